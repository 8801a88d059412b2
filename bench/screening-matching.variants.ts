import type { ScreeningQuery } from '../src/screening/matching';
import { pick, type GeneratedPerson, type Random } from './screening-matching.population';

/** How a checkpoint query spells the blacklisted person's name differently from the entry. */
export type VariantKind =
  | 'case and accents'
  | 'order swapped'
  | 'spacing and hyphens'
  | 'romanisation variant'
  | 'original script'
  | 'typo'
  | 'romanisation + swapped + typo';

export const VARIANT_KINDS: readonly VariantKind[] = [
  'case and accents',
  'order swapped',
  'spacing and hyphens',
  'romanisation variant',
  'original script',
  'typo',
  'romanisation + swapped + typo',
];

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const stripAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd');

interface Parts {
  family: string;
  given: string[];
}

function usualParts(person: GeneratedPerson): Parts {
  return {
    family: person.family.latin[0],
    given:
      person.origin === 'korean'
        ? [person.given.map((part) => part.latin[0]).join('')]
        : person.given.map((part) => part.latin[0]),
  };
}

/** Another listed spelling for each part that has one (Park → Pak, joon → jun). */
function romanisedParts(person: GeneratedPerson, random: Random): Parts {
  const other = (latin: readonly string[]) => (latin.length > 1 ? pick(random, latin.slice(1)) : latin[0]);
  return {
    family: other(person.family.latin),
    given:
      person.origin === 'korean'
        ? [person.given.map((part) => other(part.latin)).join('')]
        : person.given.map((part) => other(part.latin)),
  };
}

function withTypo(word: string, random: Random): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)];
  switch (Math.floor(random() * 3)) {
    case 0:
      return word.slice(0, at) + letter + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    default:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
}

function written(person: GeneratedPerson, parts: Parts, swapped: boolean): string {
  const familyFirst = (person.origin !== 'thai' && person.origin !== 'malay') !== swapped;
  const given = parts.given.map(capitalise).join(' ');
  const family = capitalise(parts.family);
  return familyFirst ? `${family} ${given}` : `${given} ${family}`;
}

function nameVariant(person: GeneratedPerson, kind: VariantKind, random: Random): string {
  const usual = usualParts(person);
  switch (kind) {
    case 'case and accents':
      return stripAccents(written(person, usual, false)).toUpperCase();
    case 'order swapped':
      return written(person, usual, true);
    case 'spacing and hyphens': {
      const given =
        person.origin === 'korean'
          ? [person.given.map((part) => part.latin[0]).join(random() < 0.5 ? '-' : ' ')]
          : [usual.given.join('-')];
      return written(person, { ...usual, given }, false);
    }
    case 'romanisation variant':
      return written(person, romanisedParts(person, random), false);
    case 'original script': {
      const native = person.candidate.names.find((name) => name.script !== 'latin');
      return native ? native.full : stripAccents(written(person, usual, false));
    }
    case 'typo': {
      const typoInFamily = random() < 0.5;
      return written(
        person,
        typoInFamily
          ? { ...usual, family: withTypo(usual.family, random) }
          : { ...usual, given: [withTypo(usual.given[0], random), ...usual.given.slice(1)] },
        false,
      );
    }
    case 'romanisation + swapped + typo': {
      const parts = romanisedParts(person, random);
      return written(
        person,
        { ...parts, given: [withTypo(parts.given[0], random), ...parts.given.slice(1)] },
        true,
      );
    }
  }
}

function nearbyYear(dateOfBirth: string, random: Random): string {
  const shift = pick(random, [-3, -2, -1, 1, 2, 3]);
  return `${Number(dateOfBirth.slice(0, 4)) + shift}${dateOfBirth.slice(4)}`;
}

/** A checkpoint query for the person: a differently spelled name, and usually some details. */
export function queryFor(person: GeneratedPerson, kind: VariantKind, random: Random): ScreeningQuery {
  const entry = person.candidate;
  const query: ScreeningQuery = { names: [nameVariant(person, kind, random)] };
  if (entry.dateOfBirth && random() < 0.6) {
    const roll = random();
    query.dateOfBirth =
      roll < 0.7
        ? entry.dateOfBirth
        : roll < 0.85
          ? entry.dateOfBirth.slice(0, 4)
          : nearbyYear(entry.dateOfBirth, random);
  }
  if (random() < 0.8) query.nationality = entry.nationalities?.[0];
  return query;
}
