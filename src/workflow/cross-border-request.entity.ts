import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { HandlingCode } from '../sharing/handling-code';
import type { RequestStatus } from './request-lifecycle';

export const REQUEST_KINDS = ['information', 'asset_freeze', 'repatriation', 'blacklist', 'release'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const PRIORITIES = ['routine', 'urgent', 'immediate'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The times of a request; a list page reads them as ISO strings (`ListedRequest`), an entity as dates. */
export type RequestTimeField =
  'sentAt' | 'dueAt' | 'acceptedAt' | 'fulfilledAt' | 'closedAt' | 'createdAt' | 'updatedAt';

/** A request from an origin country to a target country; every kind shares this row and life cycle. */
@Entity('cross_border_request')
export class CrossBorderRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: RequestKind;

  /**
   * `KR-KH-INF-2026-000042`, given at `approve` (the step to `sent`); null before. A RED request's has a
   * random suffix instead of the number (`KR-KH-INF-2026-R7KQ4M2XP`, `numberSentRequest`). Drafts are
   * named by their draft id (`draftIdOf`).
   */
  @Column({ type: 'text', nullable: true })
  reference!: string | null;

  @Column({ type: 'char', length: 2 })
  originCountry!: string;

  @Column({ type: 'char', length: 2 })
  targetCountry!: string;

  @Column({ type: 'uuid' })
  frameworkId!: string;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ type: 'text' })
  handlingCode!: HandlingCode;

  @Column({ type: 'text' })
  status!: RequestStatus;

  @Column()
  subject!: string;

  /** What the origin asks, in the kind's own shape (an information request's questions and identifiers). */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** What the target answered (an information request's findings). */
  @Column({ type: 'jsonb', nullable: true })
  outcome!: Record<string, unknown> | null;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  /** Who edited it while it was a draft, each once: like its drafter, none of them may approve it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  editedBy!: string[];

  @Column({ type: 'uuid', nullable: true })
  assignedTo!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  fulfilledAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** Threads of one request sent to several countries share it (`RequestDispatch` migration); else null. */
  @Column({ type: 'uuid', nullable: true })
  dispatchId!: string | null;

  /** Whether each recipient of a dispatch may see who else was asked (the origin decides). */
  @Column({ type: 'boolean', default: false })
  recipientsVisible!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Optimistic lock: every transition states the version it saw. */
  @Column({ type: 'int' })
  version!: number;
}
