import { Column, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { IdentityDocument, PersonName } from '../persons/person.entity';

export const AMENDMENT_STATUSES = ['pending', 'accepted', 'rejected', 'superseded'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/**
 * A change of an active entry's identity, proposed by a change of the person by its owning country:
 * the banning country's liaison accepts it (the entry's identity, keys and screening profile follow)
 * or rejects it. A later change of the person supersedes an amendment still pending.
 */
@Entity('blacklist_entry_amendment')
export class BlacklistEntryAmendment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  entryId!: string;

  @Column({ type: 'uuid' })
  personId!: string;

  @Column({ type: 'char', length: 2 })
  proposingCountry!: string;

  @Column({ type: 'char', length: 2 })
  banningCountry!: string;

  @Column({ type: 'jsonb' })
  names!: PersonName[];

  @Column({ type: 'text', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', array: true })
  nationalities!: string[];

  @Column({ type: 'text', nullable: true })
  sex!: string | null;

  @Column({ type: 'jsonb' })
  documents!: IdentityDocument[];

  @Column({ type: 'text' })
  status!: AmendmentStatus;

  @Column({ type: 'uuid', nullable: true })
  proposedBy!: string | null;

  @Column({ type: 'timestamptz' })
  proposedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionComment!: string | null;

  @VersionColumn()
  version!: number;
}
