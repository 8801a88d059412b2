import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r40, finding 3: the release rule weighs every number-like run of every text a write carries
 * (`numbersIn`), each text capped on its own, the write not at all. A raid of forty persons, each with
 * fifty accounts whose names were `1 2 3 …`, held the event loop for 21–23 s. Each request now has a
 * budget of runs over all it weighs (`src/sharing/weighing-budget.ts`): past it the write is refused,
 * naming the field where it ran out, and nothing is written. A large write of real numbers fits in it.
 */
describe('Probe r40: one request weighs only so many numbers', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const digits = (seed: number) =>
    Array.from({ length: 100 }, (_, i) => String((seed * 7 + i * 3) % 10)).join(' ');
  const arrest = (i: number, person: object) => ({
    arrestedAt: '2026-03-01T02:30:00Z',
    place: 'Golden Fortune compound',
    grounds: 'Online fraud',
    arrestingAgency: 'General Department of National Police',
    nationality: 'KH',
    person: {
      names: [{ full: `SOK Budget ${'ABCDEFGHIJ'[i % 10]}${'ABCD'[Math.floor(i / 10)]}`, kind: 'primary' }],
      ...person,
    },
  });
  const count = async (sql: string) => (await t.dataSource.query(sql))[0].n as number;

  it('a raid whose persons’ accounts are written as runs of digit groups: 400 naming the field, nothing written', async () => {
    const accounts = Array.from({ length: 50 }, (_, i) => ({
      type: 'bank_account',
      institutionName: digits(i),
      accountNumber: `C${i}`,
      holderName: digits(i + 1),
    }));
    const before = {
      arrests: await count(`SELECT count(*)::int AS n FROM arrest`),
      events: await count(`SELECT count(*)::int AS n FROM audit_event`),
    };
    const res = await tf['kh.officer'].post('/arrests/batch', {
      arrests: Array.from({ length: 40 }, (_, i) => arrest(i, { accounts })),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].field).toMatch(/accounts\[\d+\]\.(institutionName|holderName)$/);
    expect(res.body.errors[0].message).toContain('more number-like text than can be weighed');
    expect({
      arrests: await count(`SELECT count(*)::int AS n FROM arrest`),
      events: await count(`SELECT count(*)::int AS n FROM audit_event WHERE action <> 'access.denied'`),
    }).toEqual({ arrests: before.arrests, events: before.events });
  });

  it('the budget is the request’s: the next request weighs afresh, and a large raid of real numbers is recorded', async () => {
    const persons = Array.from({ length: 40 }, (_, i) => ({
      phones: Array.from({ length: 5 }, (_, p) => `+85512${p}${String(100 + i)}${p}${i % 10}`),
      accounts: Array.from({ length: 10 }, (_, a) => ({
        type: 'bank_account',
        institutionName: 'ABA Bank',
        accountNumber: `0${a}0-${String(1000 + i)}-${String(5000 + a)}`,
        holderName: `SOK Budget ${i}`,
        borrowedName: a % 2 === 0,
      })),
      notes: `Phones seized at the raid: +855 12 ${String(300 + i)} 678, 012 ${String(400 + i)} 999; passport N${5600000 + i}.`,
    }));
    const res = await tf['kh.officer'].post('/arrests/batch', {
      arrests: persons.map((person, i) => arrest(i, person)),
    });
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 201, errors: undefined });
    expect(await count(`SELECT count(*)::int AS n FROM arrest WHERE place = 'Golden Fortune compound'`)).toBe(
      40,
    );
  });
});
