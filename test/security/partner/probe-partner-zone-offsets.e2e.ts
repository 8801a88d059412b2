import request from 'supertest';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (hostile input): date-times "with a zone" accept any two-digit offset (`[+-]\d{2}:\d{2}`), but
 * PostgreSQL refuses a displacement beyond ±15:59 ("time zone displacement out of range"): a 500 on
 * every route that hands such a value to SQL.
 */
describe('Probe (hostile input): a zone offset beyond ±15:59 is a 400, never a 500', () => {
  let t: TestApp;
  let tf: TaskForce;
  let auditor: SignedIn;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    auditor = tf['kr.auditor'];
  }, 120_000);
  afterAll(() => t?.close());

  const arrest = (arrestedAt: string) => ({
    arrestedAt,
    place: 'Seoul',
    grounds: 'Fraud',
    arrestingAgency: 'Korean National Police Agency',
    nationality: 'KH',
    person: { names: [{ full: 'OFFSET Probe', script: 'latin', kind: 'primary' }] },
  });

  it('answers each route with a 4xx problem', async () => {
    const odd = '2026-03-01T02:30:00+23:59';
    const results: Record<string, number> = {
      'POST /arrests': (await tf['kr.officer'].post('/arrests', arrest(odd))).status,
      'POST /arrests/batch': (
        await tf['kr.officer'].post('/arrests/batch', { arrests: [arrest('2026-03-01T02:30:00-16:00')] })
      ).status,
      'POST /arrests/import': (
        await request(t.server)
          .post('/api/v1/arrests/import')
          .set('Authorization', `Bearer ${tf['kr.officer'].tokens.accessToken}`)
          .set('Content-Type', 'text/csv')
          .send(
            'arrested_at,place,grounds,arresting_agency,nationality,full_name\n2026-03-01T02:30:00+20:00,Seoul,Fraud,KNPA,KH,OFFSET Csv\n',
          )
      ).status,
      'GET /audit-events?from': (await auditor.get(`/audit-events?from=${encodeURIComponent(odd)}`)).status,
      'GET /audit-events/export?to': (await auditor.get(`/audit-events/export?to=${encodeURIComponent(odd)}`))
        .status,
    };
    const fiveHundreds = Object.entries(results).filter(([, status]) => status >= 500);
    expect(fiveHundreds).toEqual([]);
  });
});
