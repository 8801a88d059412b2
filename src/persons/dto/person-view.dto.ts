import type { KeptCopy } from '../kept-copies.store';
import type { IdentityDocument, Person, PersonName } from '../person.entity';

export class PersonView {
  id!: string;
  ownerCountry!: string;
  names!: PersonName[];
  birthDate!: string | null;
  nationalities!: string[];
  sex!: string | null;
  documents!: IdentityDocument[];
  phones!: string[];
  notes!: string | null;
  createdAt!: string;
  updatedAt!: string;
  version!: number;
  /**
   * Set when the caller's country reads its own copy: the cooperation with the owner ended, and the
   * person is shown as it stood then; the owner's later edits do not reach it.
   */
  keptSince!: string | null;
}

/** A person as the reader sees it: from the reader's country's kept copy when it keeps one. */
export function toPersonView(p: Person, kept?: KeptCopy): PersonView {
  if (kept) return { ...toPersonView(p), ...keptFields(kept) };
  return {
    id: p.id,
    ownerCountry: p.ownerCountry,
    names: p.names,
    birthDate: p.birthDate,
    nationalities: p.nationalities,
    sex: p.sex,
    documents: p.documents,
    phones: p.phones,
    notes: p.notes,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
    keptSince: null,
  };
}

function keptFields(k: KeptCopy) {
  return {
    names: k.names,
    birthDate: k.birthDate,
    nationalities: k.nationalities,
    sex: k.sex,
    documents: k.documents,
    phones: k.phones,
    notes: k.notes,
    updatedAt: k.updatedAt.toISOString(),
    version: k.version,
    keptSince: k.keptSince.toISOString(),
  };
}
