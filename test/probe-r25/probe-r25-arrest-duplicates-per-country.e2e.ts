import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe r25: a raid's rows are refused (409 `duplicate-arrests`) when they repeat an arrest of the same
 * person on the same day — by the same arresting country. KH records a raid with a passport; KR's raid
 * the same day with the same passport (and MY's) is recorded, so no country learns from a 409 what
 * another arrested. KH's own second raid is refused (control).
 */
describe('Probe r25: another country’s arrest of the same passport that day does not make a duplicate', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  }, 60_000);
  afterAll(() => t?.close());

  const raid = (agency: string, number: string) => ({
    arrests: [
      {
        arrestedAt: '2026-05-06T03:00:00Z',
        place: 'Border checkpoint',
        grounds: 'Online fraud',
        arrestingAgency: agency,
        nationality: 'VN',
        person: {
          names: [{ full: 'NGUYEN Van R25', script: 'latin', kind: 'primary' }],
          documents: [{ type: 'passport', number, issuingCountry: 'VN' }],
        },
      },
    ],
  });

  it('records KR’s and MY’s raids and refuses only KH’s repeat', async () => {
    await tf['kh.officer'].post('/arrests/batch', raid('GDNP', 'C2500025')).expect(201);
    const kr = await tf['kr.officer'].post('/arrests/batch', raid('KNPA', 'C2500025'));
    expect(kr.status).toBe(201);
    const my = await tf['my.officer'].post('/arrests/batch', raid('PDRM', 'c-2500025'));
    expect(my.status).toBe(201);
    const again = await tf['kh.officer'].post('/arrests/batch', raid('GDNP', 'C 2500025'));
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/duplicate-arrests$/);
  });
});
