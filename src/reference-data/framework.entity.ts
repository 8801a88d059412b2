import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A cooperation agreement; cross-border requests may only go between two of its active members. */
@Entity('framework')
export class Framework {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  name!: string;

  @Column({ type: 'date' })
  validFrom!: string;

  @Column({ type: 'date', nullable: true })
  validTo!: string | null;

  @Column()
  active!: boolean;

  /** Hours the target has to answer, per priority, where this framework departs from the defaults. */
  @Column({ type: 'jsonb' })
  dueHours!: Partial<Record<'immediate' | 'urgent' | 'routine', number>>;

  /** Member country codes, kept in `framework_member`; loaded by the service. */
  members: string[] = [];

  /** Each member's dates, from `framework_member`; loaded by the service. */
  memberships: Array<{ country: string; joinedOn: string; leftOn: string | null }> = [];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
