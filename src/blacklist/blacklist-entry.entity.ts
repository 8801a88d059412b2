import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
