import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export const CASE_PERSON_ROLES = ['suspect', 'victim', 'witness', 'ringleader', 'other'] as const;
export type CasePersonRole = (typeof CASE_PERSON_ROLES)[number];

/** An investigation or operation owned by one country (`case` is a reserved word in SQL). */
@Entity('case_file')
export class CaseFile {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  reference!: string;

  @Column({ type: 'char', length: 2 })
  ownerCountry!: string;

  @Column()
  title!: string;

  @Column()
  summary!: string;

  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  @Column({ type: 'date' })
  openedOn!: string;

  @Column({ type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ type: 'uuid', nullable: true })
  leadOfficerId!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** When what a partner reads of the case last changed (not its lead officer): partners' `updatedAt`. */
  @Column({ name: 'content_updated_at', type: 'timestamptz', insert: false, update: true })
  contentUpdatedAt!: Date;

  @VersionColumn()
  version!: number;
}
