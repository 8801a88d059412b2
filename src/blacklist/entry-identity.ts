import type { IdentityDocument, Person, PersonName } from '../persons/person.entity';

/**
 * What screening knows of a blacklisted person: copied from the person into the entry when the banning
 * country activates it, and changed afterwards only by an amendment that country accepts. The live
 * person belongs to its owner; the entry's identity belongs to the banning country.
 */
export interface EntryIdentity {
  names: PersonName[];
  birthDate: string | null;
  nationalities: string[];
  sex: string | null;
  documents: IdentityDocument[];
}

export const IDENTITY_FIELDS = ['names', 'birthDate', 'nationalities', 'sex', 'documents'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** The identity fields of a person (or of an amendment), and nothing else of it. */
export function identityOf(person: {
  names: PersonName[];
  birthDate?: string | null;
  nationalities?: string[] | null;
  sex?: Person['sex'] | string | null;
  documents?: IdentityDocument[] | null;
}): EntryIdentity {
  return {
    names: person.names,
    birthDate: person.birthDate ?? null,
    nationalities: person.nationalities ?? [],
    sex: person.sex ?? null,
    documents: person.documents ?? [],
  };
}

/** JSON with object keys sorted: jsonb hands keys back in its own order, not the order written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The identity fields that differ between two identities (order of names and documents counts). */
export function changedIdentityFields(before: EntryIdentity, after: EntryIdentity): IdentityField[] {
  return IDENTITY_FIELDS.filter((field) => canonical(before[field]) !== canonical(after[field]));
}

export function sameIdentity(a: EntryIdentity, b: EntryIdentity): boolean {
  return changedIdentityFields(a, b).length === 0;
}
