import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (input round 2): `ScheduleDto.departureAt` (src/repatriations/dto/repatriation-request.dto.ts)
 * is checked only against the `DATE_TIME` shape, which reads any two digits as a month, day or hour,
 * and unlike `handedOverAt` and `arrestedAt` carries no `@IsISO8601({ strict: true })`. The string goes
 * as it is into `INSERT INTO repatriation_schedule … departure_at` (repatriation-requests.service.ts
 * `schedule`), and PostgreSQL refuses `2026-02-30T01:00:00Z` ("date/time field value out of range"):
 * the step answers 500. A departure time that does not exist is the caller's mistake: a 400 naming
 * `departureAt`, and the request stays `accepted`.
 */
describe('Probe: a repatriation scheduled at a time that does not exist is a 400, not a 500', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const base = '/repatriation-requests';

  /** An accepted KH → KR repatriation of one Korean arrested in Cambodia: KR may schedule it. */
  async function anAcceptedRepatriation(): Promise<{ id: string; version: number }> {
    const arrest = await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'KR',
        person: { names: [{ full: 'KIM Min-jun', kind: 'primary' }] },
      })
      .expect(201);
    const draft = await tf['kh.officer']
      .post(base, {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KR',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Repatriation of one Korean national',
        arrestIds: [arrest.body.id],
      })
      .expect(201);
    const submitted = await tf['kh.officer']
      .post(`${base}/${draft.body.id}/submit`, { version: draft.body.version })
      .expect(200);
    const sent = await tf['kh.liaison']
      .post(`${base}/${draft.body.id}/approve`, { version: submitted.body.version })
      .expect(200);
    const accepted = await tf['kr.liaison']
      .post(`${base}/${draft.body.id}/accept`, { version: sent.body.version })
      .expect(200);
    return { id: draft.body.id, version: accepted.body.version };
  }

  const plan = (departureAt: string, version: number) => ({
    version,
    departureAt,
    departurePoint: 'Phnom Penh International Airport',
    arrivalPoint: 'Incheon International Airport',
    carrier: 'Korean Air',
    sendingEscorts: ['Lt. Sok Dara'],
    receivingEscorts: ['Insp. Park Ji-hoon'],
  });

  it('a real departure time is scheduled (the request below is schedulable)', async () => {
    const { id, version } = await anAcceptedRepatriation();
    const res = await tf['kr.officer'].post(`${base}/${id}/schedule`, plan('2026-03-20T01:00:00Z', version));
    expect(res.status).toBe(200);
  });

  it.each(['2026-02-30T01:00:00Z', '2026-01-01T25:00:00Z', '0000-01-01T01:00:00Z'])(
    'departureAt %s: a 400 naming departureAt, and nothing scheduled',
    async (departureAt) => {
      const { id, version } = await anAcceptedRepatriation();
      const res = await tf['kr.officer'].post(`${base}/${id}/schedule`, plan(departureAt, version));
      expect({
        status: res.status,
        type: res.body.type,
        problemJson: /^application\/problem\+json/.test(String(res.headers['content-type'])),
        // The fields named (a field may carry more than one message: its shape and its date).
        fields: [...new Set((res.body.errors ?? []).map((e: { field: string }) => e.field))],
      }).toEqual({
        status: 400,
        type: 'urn:case-desk:problem:validation-failed',
        problemJson: true,
        fields: ['departureAt'],
      });
      const after = await tf['kr.officer'].get(`${base}/${id}`).expect(200);
      expect({ status: after.body.status, version: after.body.version }).toEqual({
        status: 'accepted',
        version,
      });
    },
  );
});
