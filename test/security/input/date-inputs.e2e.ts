import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/test-app';
import { signIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';

/**
 * Dates that pass an ISO 8601 check but that PostgreSQL cannot read (`1288`, `2026-W01`,
 * `2026-03-01T10Z`) are refused as invalid input naming the field. Found by the sqlmap probe: a case
 * opened on "1288" answered 500.
 */
describe('Dates PostgreSQL cannot read are a 400 naming the field, never a 500', () => {
  let t: TestApp;
  let tf: TaskForce;
  let platformAdmin: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    platformAdmin = await signIn(t.server, 'platform.admin');
  });
  afterAll(() => t?.close());

  const id = randomUUID();
  const cases = (bad: string) => [
    {
      who: 'kr.officer',
      method: 'post',
      path: '/cases',
      body: { title: 'Raid', openedOn: bad },
      field: 'openedOn',
    },
    { who: 'kr.officer', method: 'get', path: `/cases?openedFrom=${bad}`, field: 'openedFrom' },
    { who: 'kr.officer', method: 'get', path: `/cases?openedTo=${bad}`, field: 'openedTo' },
    {
      who: 'kr.officer',
      method: 'post',
      path: '/persons',
      body: {
        names: [{ full: 'KIM Min-jun', script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: 'M1', issuingCountry: 'KR', expires: bad }],
      },
      field: 'documents[0].expires',
    },
    { who: 'kr.auditor', method: 'get', path: `/audit-events?from=${bad}`, field: 'from' },
    { who: 'kr.auditor', method: 'get', path: `/audit-events?to=${bad}`, field: 'to' },
    { who: 'kh.liaison', method: 'get', path: `/stats?from=${bad}`, field: 'from' },
    { who: 'kh.liaison', method: 'get', path: `/stats?to=${bad}`, field: 'to' },
    {
      who: 'kh.liaison',
      method: 'post',
      path: `/blacklist-entries/${id}/activate`,
      body: { version: 1, legalBasis: 'Immigration Law art. 29', expiresOn: bad },
      field: 'expiresOn',
    },
    {
      who: 'platform.admin',
      method: 'post',
      path: '/frameworks',
      body: { name: `Framework ${bad}`, members: ['KR', 'MY'], validFrom: bad },
      field: 'validFrom',
    },
  ];

  it.each(['1288', '2026-W01', '0000-01-01'])('%s', async (bad) => {
    for (const c of cases(bad)) {
      const who = c.who === 'platform.admin' ? platformAdmin : tf[c.who as keyof TaskForce & string];
      const res =
        c.method === 'get'
          ? await (who as typeof platformAdmin).get(c.path)
          : await (who as typeof platformAdmin).post(c.path, c.body);
      expect({ path: c.path, status: res.status }).toEqual({ path: c.path, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(c.field);
    }
  });

  it('a freeze step with a date and time PostgreSQL cannot read is refused on frozenAt', async () => {
    const res = await tf['my.officer'].post(`/asset-freeze-requests/${id}/targets/${randomUUID()}/freeze`, {
      version: 1,
      outcome: 'frozen',
      amount: { amount: '100', currency: 'MYR' },
      frozenAt: '2026-03-01T10Z',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('frozenAt');
  });

  it('an arrest, a freeze step or a handover dated before the desk’s time (a typo of the year) is refused on its field', async () => {
    for (const at of ['0206-03-01T10:00:00Z', '1000-01-01T00:00:00Z', '1989-12-31T23:59:59+00:00']) {
      const arrest = await tf['kh.officer'].post('/arrests', {
        arrestedAt: at,
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'KR',
        person: { names: [{ full: 'KANG Early', script: 'latin', kind: 'primary' }] },
      });
      const freeze = await tf['my.officer'].post(
        `/asset-freeze-requests/${id}/targets/${randomUUID()}/freeze`,
        {
          version: 1,
          outcome: 'frozen',
          amount: { amount: '100', currency: 'MYR' },
          frozenAt: at,
        },
      );
      const handover = await tf['kh.officer'].post(`/repatriation-requests/${id}/handover`, {
        version: 1,
        handovers: [
          {
            arrestId: randomUUID(),
            handedOverBy: 'Officer A',
            receivedBy: 'Officer B',
            handedOverAt: at,
            place: 'Airport',
          },
        ],
      });
      for (const [res, field] of [
        [arrest, 'arrestedAt'],
        [freeze, 'frozenAt'],
        [handover, 'handovers[0].handedOverAt'],
      ] as const)
        expect({
          at,
          status: res.status,
          fields: res.body.errors?.map((e: { field: string }) => e.field),
        }).toEqual({
          at,
          status: 400,
          fields: [field],
        });
    }
    // The desk's first day is taken.
    await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '1990-01-01T00:00:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'KR',
        person: { names: [{ full: 'KANG Early', script: 'latin', kind: 'primary' }] },
      })
      .expect(201);
  });

  it('the audit filters still take a day or a date and time with or without its zone', async () => {
    for (const at of [
      '2026-03-01',
      '2026-03-01T10:00:00Z',
      '2026-03-01T10:00+07:00',
      '2026-03-01T10:00:00.123456',
    ])
      await tf['kr.auditor'].get(`/audit-events?from=${encodeURIComponent(at)}`).expect(200);
  });
});
