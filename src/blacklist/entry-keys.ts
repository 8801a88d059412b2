import type { Person } from '../persons/person.entity';
import { foldDocumentNumber, foldName } from '../persons/search-folding';

/** The blocking keys a checkpoint query can meet an entry by: name tokens and document numbers. */
export function entryKeys(person: Pick<Person, 'names' | 'documents'>): string[] {
  const keys = new Set<string>();
  for (const name of person.names) {
    for (const token of foldName(name.full).split(' ')) if (token.length >= 2) keys.add(`n:${token}`);
  }
  for (const doc of person.documents) keys.add(`d:${foldDocumentNumber(doc.number)}`);
  return [...keys];
}
