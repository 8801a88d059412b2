import { randomUUID } from 'node:crypto';
import {
  dateOfBirth,
  namesOf,
  NATIONALITY,
  type GeneratedPerson,
  type Random,
} from '../screening-matching.population';
import { regionalOrigin, regionalPerson } from './regional-names';

/**
 * A million-entry list of the region's names (`regional-names.ts`): each entry's name is drawn
 * independently, family names by their weight in their country, so a common name ("Nguyen Van
 * Anh", "Kim Minjun") has many namesakes, each its own person with its own date of birth, sex and
 * passport, as a real list of that size would hold. Only the date of birth tells namesakes apart,
 * so the benchmark reports both "the intended entry" and "an entry with the intended name".
 */
export function regionalName(random: Random): GeneratedPerson {
  const person = regionalPerson(regionalOrigin(random), random);
  const nationality = NATIONALITY[person.origin];
  return {
    ...person,
    candidate: { id: '', names: namesOf(person), nationalities: [nationality], documents: [] },
  };
}

/** One blacklisted person: a population name with details of its own, and the ids its rows will get. */
export interface SyntheticEntry extends GeneratedPerson {
  entryId: string;
  personId: string;
}

export function syntheticEntry(base: GeneratedPerson, index: number, random: Random): SyntheticEntry {
  const nationality = base.candidate.nationalities![0]!;
  const entryId = randomUUID();
  return {
    ...base,
    entryId,
    personId: randomUUID(),
    candidate: {
      id: entryId,
      names: base.candidate.names,
      dateOfBirth: random() < 0.85 ? dateOfBirth(random) : null,
      nationalities: [nationality],
      sex: random() < 0.5 ? 'male' : 'female',
      // Unique per entry, so a document number never makes two entries look like one person.
      documents: [
        {
          type: 'passport',
          number: `${nationality[0]}${String(index).padStart(8, '0')}`,
          issuingCountry: nationality,
        },
      ],
    },
  };
}
