import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import type { Role } from '../common/permissions/roles';

export type UserStatus = 'active' | 'disabled';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  username!: string;

  @Column()
  displayName!: string;

  @Column({ type: 'uuid', nullable: true })
  agencyId!: string | null;

  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ type: 'text' })
  status!: UserStatus;

  /** Never leaves the service: responses are built by `toUserView`. */
  @Column({ select: true })
  passwordHash!: string;

  @Column({ type: 'timestamptz' })
  passwordChangedAt!: Date;

  @Column({ type: 'int' })
  failedLogins!: number;

  @Column({ type: 'timestamptz', nullable: true })
  failedLoginsSince!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /**
   * The admin whose password reset awaits a second admin's confirmation: until then the account cannot
   * sign in and no token of it is accepted (null: no reset waiting).
   */
  @Column({ type: 'uuid', nullable: true })
  passwordResetBy!: string | null;

  /**
   * The admin who set the current password (the account's creator, or the admin whose reset set it);
   * null once the owner set one of their own. That admin issues no enrolment pass for the account.
   */
  @Column({ type: 'uuid', nullable: true })
  passwordSetBy!: string | null;

  /**
   * The admin who reset the second factor last, until it is on again: that admin issues no enrolment
   * pass for the account (a second admin does).
   */
  @Column({ type: 'uuid', nullable: true })
  mfaResetBy!: string | null;

  /**
   * When the account's second factor (TOTP) was turned on; null: signs in with a password alone. The
   * secret itself is never loaded with the entity (src/auth/mfa/mfa.store.ts reads it when a code is checked).
   */
  @Column({ type: 'timestamptz', nullable: true })
  mfaEnabledAt!: Date | null;

  /** Who created the account (null for accounts from before it was recorded). */
  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
