import type { PersonName } from './matching';
import { pickForScoring } from './candidate-prescore';

const entry = (id: string, full: string, family: string, given: string) => ({
  id,
  names: [{ full, family, given, kind: 'primary' } as PersonName],
});

describe('pickForScoring', () => {
  const fetched = [
    { candidate: entry('a', 'KIM Yunhwa', 'Kim', 'Yunhwa'), weight: 30 },
    { candidate: entry('b', 'KIM Yunsu', 'Kim', 'Yunsu'), weight: 20 },
    { candidate: entry('c', 'KIM Yunsu', 'Kim', 'Yunsu'), weight: 20 },
    { candidate: entry('d', 'KIM Minsu', 'Kim', 'Minsu'), weight: 18 },
    { candidate: entry('e', 'KIM Yunwon', 'Kim', 'Yunwon'), weight: 15 },
  ];

  it('keeps the key ranking’s choice, with the entries tied with its last', () => {
    const picked = pickForScoring(['Yeonwn Gim'], fetched, {
      byWeight: 2,
      byWeightWithTies: 3,
      mostAlike: 0,
    });
    expect(picked.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('adds the others whose names look most like the query', () => {
    // KIM Yunwon weighs least but is the name typed, with one letter missing and eo written for u.
    const picked = pickForScoring(['Yeonwn Gim'], fetched, {
      byWeight: 2,
      byWeightWithTies: 3,
      mostAlike: 1,
    });
    expect(picked.map((c) => c.id)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('adds the namesakes tied with the last of the most alike, up to its cap', () => {
    // The two KIM Yunsu are as alike to "Kim Yunsu" and weigh the same: a cut between them would drop
    // one by the luck of its id.
    const budget = { byWeight: 1, byWeightWithTies: 1, mostAlike: 1 };
    expect(pickForScoring(['Kim Yunsu'], fetched, budget).map((c) => c.id)).toEqual(['a', 'b']);
    expect(
      pickForScoring(['Kim Yunsu'], fetched, { ...budget, mostAlikeWithTies: 3 }).map((c) => c.id),
    ).toEqual(['a', 'b', 'c']);
  });

  it('takes the fetched order from the weights, not from the rows', () => {
    const picked = pickForScoring(['Kim Yunhwa'], [...fetched].reverse(), {
      byWeight: 1,
      byWeightWithTies: 1,
      mostAlike: 0,
    });
    expect(picked.map((c) => c.id)).toEqual(['a']);
  });
});
