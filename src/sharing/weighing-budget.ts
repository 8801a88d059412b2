import { AsyncLocalStorage } from 'node:async_hooks';
import { ValidationFailedError } from '../common/errors/domain-errors';

/**
 * Number-like runs (`numbersIn`: a word or run of groups with three digits and five characters, each
 * turned into its keys, 3–6 µs) the release rule may weigh for one request, over every text it weighs
 * and every time it weighs it: ~0.6–1.3 s of the event loop at most. One text is capped on its own
 * (`MAX_WEIGHED`), but a write holds many: fifty accounts of a person, forty persons of a raid, a
 * hundred freeze targets, each weighed again for each country it reaches; `1 2 3 …` in each held the
 * event loop for 20 s and more (probe r40). A raid of 2,000 persons, each with a few phones, accounts
 * and documents, weighs some 20,000 runs a time; past the budget a write is refused (400) before it
 * changes anything, naming the field where the budget ran out.
 */
export const RUNS_PER_REQUEST = 200_000;

const budgets = new AsyncLocalStorage<{ left: number }>();

/** One run weighed for the current request, if it has a budget (background jobs have none). */
export function chargeWeighedRun(field: string): void {
  const budget = budgets.getStore();
  if (budget && --budget.left < 0)
    throw new ValidationFailedError([
      {
        field,
        message: `the request holds more number-like text than can be weighed before it leaves (${RUNS_PER_REQUEST} runs in all); send it in parts`,
      },
    ]);
}

/** Work that yields the event loop as it goes (a file read line by line) is not charged. */
export const outsideWeighingBudget = <T>(work: () => T): T => budgets.exit(work);

/** Runs `work` (a request's handling) with a budget of its own. */
export const withWeighingBudget = <T>(work: () => T): T => budgets.run({ left: RUNS_PER_REQUEST }, work);
