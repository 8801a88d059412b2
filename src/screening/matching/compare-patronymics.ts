import { compareParts, type PartComparison } from './compare-names';
import { parsePatronymic, patronymicReadings, type Patronymic } from './malay-patronymic';
import { partForms } from './prepared-name';

// What a name made of someone else's parts is worth: below any alert, whatever the dates say.
const ANOTHER_PERSON = 0.35;

const agrees = (c: PartComparison) => c.level !== 'different' && c.level !== 'initial';

function compareOnce(query: Patronymic, entry: Patronymic) {
  const own = compareParts(partForms(query.own), partForms(entry.own));
  const father = compareParts(partForms(query.father), partForms(entry.father));
  const swappedOwn = compareParts(partForms(query.own), partForms(entry.father));
  const swappedFather = compareParts(partForms(query.father), partForms(entry.own));
  return { own, father, swapped: agrees(swappedOwn) && agrees(swappedFather) };
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
  const parsedQuery = parsePatronymic(queryWritten);
  const parsedEntry = parsePatronymic(entryWritten);
  if (!parsedQuery && !parsedEntry) return null;
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
