import type { KeptCopy } from '../kept-copies.store';
import type { IdentityDocument, Person, PersonAccount, PersonName } from '../person.entity';
import { timesAsRead } from '../../access/times-as-read';

export class PersonView {
  id!: string;
  ownerCountry!: string;
  names!: PersonName[];
  birthDate!: string | null;
  nationalities!: string[];
  sex!: string | null;
  documents!: IdentityDocument[];
  phones!: string[];
  /** Bank accounts (`type: 'bank_account'`) and crypto wallets (`type: 'crypto_wallet'`). */
  accounts!: PersonAccount[];
  notes!: string | null;
  /**
   * For the owner, when it recorded the person; for another country, when the person first reached it
   * (a case share or link, an arrest share, the sending of a request): when the owner recorded it is
   * the owner's.
   */
  createdAt!: string;
  /**
   * For another country, the later of `createdAt` and the owner's last change after it (of its kept
   * copy's, once it keeps one): changes made before the person reached it are the owner's.
   */
  updatedAt!: string;
  /**
   * For the owner, the version to send with a change; null for another country, which may not change
   * the person (and is not told how often the owner did).
   */
  version!: number | null;
  /**
   * Always null (kept in the answer for clients that read it). A country whose cooperation with the
   * owner ended keeps reading the person as it stood, from a copy taken at the owner's first later
   * edit: the copy's time is the time of that edit, the owner's to know (probe r4), and a reader sees
   * the same person, with the same times, before the copy as after it.
   */
  keptSince!: string | null;
}

/**
 * Who reads a person: the reader's country and, for a person another country owns, since when it reads
 * it (`personSeenSince`) and its kept copy if it keeps one. A person of another country is never shown
 * without `seenSince`: its owner's creation time, edit count and pre-share edit times are the owner's.
 */
export interface PersonReader {
  country: string | null;
  seenSince?: Date;
  /** The last time the person reached the reader's country (`personSeenSince(…, 'max')`). */
  arrivedLast?: Date;
  kept?: KeptCopy;
}

/** A person as the reader sees it: from the reader's country's kept copy when it keeps one. */
export function toPersonView(p: Person, reader: PersonReader): PersonView {
  const own = {
    id: p.id,
    ownerCountry: p.ownerCountry,
    names: p.names,
    birthDate: p.birthDate,
    nationalities: p.nationalities,
    sex: p.sex,
    documents: p.documents,
    phones: p.phones,
    accounts: p.accounts,
    notes: p.notes,
    keptSince: null,
  };
  const k = reader.country === p.ownerCountry ? undefined : reader.kept;
  // No earlier than the person last reached the reader: an edit made while it could not read the
  // person (a share revoked, then made again) reads as of that arrival (probe r4).
  const changed = k ? k.updatedAt : p.updatedAt;
  const lastChange = reader.arrivedLast && reader.arrivedLast > changed ? reader.arrivedLast : changed;
  const times = timesAsRead({ kind: 'person', ...p }, reader, lastChange);
  return {
    ...own,
    ...(k && {
      names: k.names,
      birthDate: k.birthDate,
      nationalities: k.nationalities,
      sex: k.sex,
      documents: k.documents,
      phones: k.phones,
      accounts: k.accounts,
      notes: k.notes,
    }),
    ...times,
  };
}
