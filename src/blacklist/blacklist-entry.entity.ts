import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { IdentityDocument, PersonName } from '../persons/person.entity';

export const ENTRY_STATUSES = ['proposed', 'active', 'rejected', 'lifted'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/**
 * A person proposed by one country to be banned from entering another. Checkpoints of the banning
 * country screen against `active` entries whose expiry has not passed.
 */
@Entity('blacklist_entry')
export class BlacklistEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The `blacklist` request the entry travelled in. */
  @Column({ type: 'uuid' })
  proposalId!: string;

  /** The entry's row in the proposed list, from 0. */
  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'uuid' })
  personId!: string;

  @Column({ type: 'char', length: 2 })
  proposingCountry!: string;

  @Column({ type: 'char', length: 2 })
  banningCountry!: string;

  @Column({ type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column()
  grounds!: string;

  /** What a screener is shown of the grounds. */
  @Column()
  groundsSummary!: string;

  @Column({ type: 'text' })
  status!: EntryStatus;

  @Column({ type: 'text', nullable: true })
  legalBasis!: string | null;

  @Column({ type: 'date', nullable: true })
  expiresOn!: string | null;

  @Column({ type: 'text', nullable: true })
  decisionReason!: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /**
   * The last extension of an active ban (`extend`): when, by whom, why, and the expiry it replaced
   * (`extendedFrom`). Each extension is in the audit trail (`blacklist.entry.extend`); the entry keeps
   * the last one. `decidedAt`/`decidedBy` stay the activation's.
   */
  @Column({ type: 'timestamptz', nullable: true })
  extendedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  extendedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  extensionReason!: string | null;

  @Column({ type: 'date', nullable: true })
  extendedFrom!: string | null;

  /**
   * The expiry date both countries were told of before it lapsed (`blacklist.entry_expiring`, sent by
   * `BlacklistExpiryNoticeService`): once per expiry date; an extension's new date is told again.
   */
  @Column({ type: 'date', nullable: true })
  expiryNoticeFor!: string | null;

  /**
   * The banning country's copy of the person's identity, taken at activation (null before): screening
   * keys and the screening profile are made from it, never from the live person. Changed only by an
   * amendment the banning country accepts (`blacklist_entry_amendment`).
   */
  @Column({ type: 'jsonb', nullable: true })
  identityNames!: PersonName[] | null;

  @Column({ type: 'text', nullable: true })
  identityBirthDate!: string | null;

  @Column({ type: 'text', array: true, nullable: true })
  identityNationalities!: string[] | null;

  @Column({ type: 'text', nullable: true })
  identitySex!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  identityDocuments!: IdentityDocument[] | null;

  /**
   * When the identity was copied from the person, or last changed by an accepted amendment. Screening
   * candidates keep it as the mark of the identity they met (`screening_candidate.entry_identity_at`):
   * a clearance counts only for a candidate with the same mark (`clearedBefore`), so set it on every
   * change of the identity and on nothing else.
   */
  @Column({ type: 'timestamptz', nullable: true })
  identityTakenAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
