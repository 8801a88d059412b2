import type { Chain } from '../common/accounts/wallet-address';
import { NAME_SCRIPTS } from '../common/text/name-script';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export { NAME_SCRIPTS };
export const NAME_KINDS = ['primary', 'alias', 'former'] as const;
export const DOCUMENT_TYPES = ['passport', 'national_id', 'other'] as const;
export const SEXES = ['male', 'female', 'other', 'unknown'] as const;

export interface PersonName {
  full: string;
  given?: string;
  family?: string;
  script: (typeof NAME_SCRIPTS)[number];
  kind: (typeof NAME_KINDS)[number];
}

export interface IdentityDocument {
  type: (typeof DOCUMENT_TYPES)[number];
  number: string;
  issuingCountry: string;
  expires?: string;
}

export const ACCOUNT_TYPES = ['bank_account', 'crypto_wallet'] as const;

/**
 * A bank account or crypto wallet known to be the person's, shaped as an asset-freeze target's: a
 * bank account often held in a borrowed name (대포통장). Stored as written; compared normalised
 * (`accountNumbers`).
 */
export type PersonAccount =
  | {
      type: 'bank_account';
      institutionName: string;
      accountNumber: string;
      holderName: string | null;
      borrowedName: boolean | null;
    }
  | { type: 'crypto_wallet'; chain: Chain; address: string };

/** Someone a record is about. Personal data: only what a workflow needs. */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 2 })
  ownerCountry!: string;

  @Column({ type: 'jsonb' })
  names!: PersonName[];

  /** Every name folded for search (case and accents removed); derived, never shown. */
  @Column()
  searchText!: string;

  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: dates of birth are often known only in part. */
  @Column({ type: 'text', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', array: true })
  nationalities!: string[];

  @Column({ type: 'text', nullable: true })
  sex!: (typeof SEXES)[number] | null;

  @Column({ type: 'jsonb' })
  documents!: IdentityDocument[];

  /** Document numbers folded for exact search (upper case, letters and digits only); derived. */
  @Column({ type: 'text', array: true })
  documentNumbers!: string[];

  /** E.164. */
  @Column({ type: 'text', array: true })
  phones!: string[];

  /** Bank accounts and crypto wallets; identifiers like its phones (indexed, weighed by the release rule). */
  @Column({ type: 'jsonb' })
  accounts!: PersonAccount[];

  /** Account numbers and wallet addresses normalised for exact search and duplicates; derived. */
  @Column({ type: 'text', array: true })
  accountNumbers!: string[];

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
