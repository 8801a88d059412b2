import { type IdentityDocument, normaliseDocumentNumber, type PersonName, searchKeys } from './matching';

/**
 * Blocking keys under which a checkpoint query can meet the entry: name keys and document numbers.
 * Screening owns them (the blacklist index stores them, screening looks them up): both sides must
 * compute them the same way, and the matching engine they come from is screening's.
 */
export function entryKeys(person: {
  names: PersonName[];
  documents: Pick<IdentityDocument, 'number'>[];
  birthDate?: string | null;
}): string[] {
  const keys = new Set<string>();
  for (const name of person.names) for (const key of searchKeys(name, person.birthDate).keys) keys.add(key);
  for (const doc of person.documents) keys.add(`d:${normaliseDocumentNumber(doc.number)}`);
  return [...keys];
}

/** The same keys for what a screener typed. */
export function queryKeys(
  names: Array<string | { full?: string; given?: string; family?: string }>,
  documentNumber?: string | null,
  birthDate?: string | null,
): string[] {
  const keys = new Set<string>();
  for (const name of names) for (const key of searchKeys(name, birthDate).keys) keys.add(key);
  if (documentNumber) keys.add(`d:${normaliseDocumentNumber(documentNumber)}`);
  return [...keys];
}
