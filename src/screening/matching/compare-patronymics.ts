import { compareParts, readAlikeByOcr, type PartComparison } from './compare-names';
import { parsePatronymic, patronymicReadings, type Patronymic } from './malay-patronymic';
import { compareMalayNames } from './malay-name-words';
import { partForms } from './prepared-name';

// What a name made of someone else's parts is worth: below any alert, whatever the dates say.
const ANOTHER_PERSON = 0.35;

const agrees = (c: PartComparison) =>
  c.level !== 'different' && c.level !== 'initial' && c.level !== 'another-name';

/**
 * Two own names or two fathers' names: alike as name parts, and then, since a Malay name that is
 * another valid name is another person, told apart by Malay spelling (malay-name-words.ts).
 */
function compareMalayParts(query: string[], entry: string[], lastOfName: boolean): PartComparison {
  const parts = compareParts(partForms(query), partForms(entry));
  if (parts.level === 'exact' || parts.level === 'variant') return parts;
  // A misreading of the document, not another name (PERURNAL for PERUMAL).
  if (readAlikeByOcr(query.join(''), entry.join(''))) return parts;
  const verdict = compareMalayNames(query, entry, lastOfName);
  if (verdict === 'same') return { level: 'variant', similarity: 0.95 };
  if (verdict === 'another-name') return { level: 'another-name', similarity: 0.3 };
  const close = parts.level === 'phonetic' || parts.level === 'typo';
  return { level: 'typo', similarity: close ? Math.min(parts.similarity, 0.87) : 0.82 };
}

function compareOnce(query: Patronymic, entry: Patronymic) {
  const own = compareMalayParts(query.own, entry.own, false);
  const father = compareMalayParts(query.father, entry.father, true);
  // Swapped parts are only worth comparing when the parts in place do not both agree.
  const swapped =
    !(agrees(own) && agrees(father)) &&
    agrees(compareMalayParts(query.own, entry.father, false)) &&
    agrees(compareMalayParts(query.father, entry.own, false));
  return { own, father, swapped };
}

/**
 * Two names compared as own name + father's name when at least one writes its connector (bin,
 * binti, a/l…); null otherwise, and the generic comparison applies. The other side, if it has no
 * connector, is read with the father's name last or first (a machine-readable zone). Both parts must
 * agree: a different or swapped father's name is another person.
 */
export function comparePatronymicNames(
  queryWritten: string,
  entryWritten: string,
): { score: number; reasons: string[] } | null {
  let parsedQuery = parsePatronymic(queryWritten);
  let parsedEntry = parsePatronymic(entryWritten);
  if (!parsedQuery && !parsedEntry) return null;
  parsedQuery ??= parsePatronymic(queryWritten, true);
  parsedEntry ??= parsePatronymic(entryWritten, true);
  const queries = parsedQuery ? [parsedQuery] : patronymicReadings(queryWritten, parsedEntry!.father.length);
  const entries = parsedEntry ? [parsedEntry] : patronymicReadings(entryWritten, parsedQuery!.father.length);
  let best: { score: number; reasons: string[] } | null = null;
  for (const q of queries) {
    for (const e of entries) {
      const { own, father, swapped } = compareOnce(q, e);
      let outcome: { score: number; reasons: string[] };
      if (agrees(own) && agrees(father)) {
        outcome = {
          score: 0.5 * own.similarity + 0.5 * father.similarity,
          reasons: [`own name ${own.level}`, `father's name ${father.level}`],
        };
      } else if (swapped && !(agrees(own) && agrees(father))) {
        outcome = {
          score: ANOTHER_PERSON - 0.1,
          reasons: ["own and father's names swapped: another person"],
        };
      } else if (agrees(own)) {
        outcome = {
          score: ANOTHER_PERSON,
          reasons: [`own name ${own.level}`, "father's name differs: another person"],
        };
      } else {
        outcome = { score: 0.3 * own.similarity, reasons: ['own name differs'] };
      }
      if (!best || outcome.score > best.score) best = outcome;
    }
  }
  return best;
}
