import { randomUUID } from 'node:crypto';
import {
  dateOfBirth,
  generatePopulation,
  pick,
  type GeneratedPerson,
  type Random,
} from '../screening-matching.population';

/**
 * The matching benchmark's name population can spell only ~16,000 distinct names (its pools are small,
 * and it keeps names distinct). A million-entry list therefore holds ~60 namesakes of every name, each
 * its own person with its own date of birth, sex and passport — as a real list of that size would hold
 * many "Kim Minjun"s. Only the date of birth can tell namesakes apart, so the benchmark reports both
 * "the intended entry" and "an entry with the intended name" as the top candidate.
 */
export function distinctNames(random: Random): GeneratedPerson[] {
  return generatePopulation(Number.MAX_SAFE_INTEGER, random);
}

/** One blacklisted person: a population name with details of its own, and the ids its rows will get. */
export interface SyntheticEntry extends GeneratedPerson {
  entryId: string;
  personId: string;
}

export function syntheticEntry(
  names: readonly GeneratedPerson[],
  index: number,
  random: Random,
): SyntheticEntry {
  const base = pick(random, names);
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
