import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const aName = { full: 'SOK Dara', family: 'Sok', given: 'Dara', script: 'latin', kind: 'primary' };

/** What a caller can compare between two answers: everything but the ids they sent and the request's own. */
function answer(res: Response, id: string): unknown {
  const { instance: _instance, requestId: _requestId, ...body } = (res.body ?? {}) as Record<string, unknown>;
  return { status: res.status, body: JSON.parse(JSON.stringify(body).split(id).join('<id>')) };
}

const refusesField = (seen: unknown, field: string) => {
  const { status, body } = seen as { status: number; body: { errors?: Array<{ field: string }> } };
  return status === 400 && (body.errors ?? []).some((e) => e.field === field);
};

/**
 * Probe (session 12): probe-not-found-bodies compares foreign ids with unknown ones in the path. A body
 * names records too (`personId`, `caseId`, `leadOfficerId`, `assigneeId`, `arrestIds`). A KR caller who
 * gives the id of a KH record it may not read, or of a KH officer, must get exactly the answer an id
 * that never existed gets: status and problem body alike, a 400 naming the field. Nothing found; kept
 * as a regression spec.
 */
describe('Probe: another country’s ids in a request body answer as unknown ids do', () => {
  let t: TestApp;
  let tf: TaskForce;
  let foreign: Record<'person' | 'case' | 'arrest' | 'officer', string>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const kh = tf['kh.officer'];
    const person = (await kh.post('/persons', { names: [aName], nationalities: ['KH'] }).expect(201)).body;
    const kase = (await kh.post('/cases', { title: 'KH only' }).expect(201)).body;
    const arrest = (
      await kh
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Golden Fortune compound',
          grounds: 'Online fraud',
          arrestingAgency: 'Police',
          nationality: 'KR',
          person: { names: [aName] },
        })
        .expect(201)
    ).body;
    foreign = { person: person.id, case: kase.id, arrest: arrest.id, officer: await tf.userId('kh.officer') };
  });
  afterAll(() => t?.close());

  it('answers each body field naming a KH record or officer exactly as a made-up id', async () => {
    const kr = tf['kr.officer'];
    const framework = tf.cambodiaKoreaFramework;
    const ownCase = (await kr.post('/cases', { title: 'KR case' }).expect(201)).body;
    const draft = {
      frameworkId: framework,
      targetCountry: 'KH',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: 'Probe',
    };
    const probes: Array<{
      what: string;
      /** The field the refusal must name: the comparison is then about the id, not another fault. */
      field: string;
      kind: keyof typeof foreign;
      send: (id: string) => Promise<Response>;
    }> = [
      {
        what: 'case leadOfficerId',
        field: 'leadOfficerId',
        kind: 'officer',
        send: (id) => kr.post('/cases', { title: 'x', leadOfficerId: id }),
      },
      {
        what: 'case persons[].personId',
        field: 'persons',
        kind: 'person',
        send: (id) =>
          kr.post(`/cases/${ownCase.id}/persons`, { persons: [{ personId: id, role: 'suspect' }] }),
      },
      {
        what: 'information request caseId',
        field: 'caseId',
        kind: 'case',
        send: (id) => kr.post('/information-requests', { ...draft, questions: ['Who?'], caseId: id }),
      },
      {
        what: 'information request personIds',
        field: 'personIds',
        kind: 'person',
        send: (id) => kr.post('/information-requests', { ...draft, questions: ['Who?'], personIds: [id] }),
      },
      {
        what: 'repatriation request arrestIds',
        field: 'arrestIds',
        kind: 'arrest',
        send: (id) => kr.post('/repatriation-requests', { ...draft, arrestIds: [id] }),
      },
      {
        what: 'blacklist entry personId',
        field: 'entries[0].personId',
        kind: 'person',
        send: (id) =>
          kr.post('/blacklist-entries', {
            frameworkId: framework,
            banningCountry: 'KH',
            entry: { personId: id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
          }),
      },
      {
        what: 'blacklist entry caseId',
        field: 'entries[0].caseId',
        kind: 'case',
        send: (id) =>
          kr.post('/blacklist-entries', {
            frameworkId: framework,
            banningCountry: 'KH',
            entry: {
              person: { names: [aName], nationalities: ['KR'] },
              grounds: 'Recruiter.',
              groundsSummary: 'Recruiter',
              caseId: id,
            },
          }),
      },
      {
        what: 'arrest personId',
        field: 'personId',
        kind: 'person',
        send: (id) =>
          kr.post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Seoul',
            grounds: 'Fraud',
            arrestingAgency: 'Police',
            nationality: 'KH',
            personId: id,
          }),
      },
      {
        what: 'arrest caseId',
        field: 'caseId',
        kind: 'case',
        send: (id) =>
          kr.post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Seoul',
            grounds: 'Fraud',
            arrestingAgency: 'Police',
            nationality: 'KH',
            person: { names: [aName] },
            caseId: id,
          }),
      },
    ];
    const differ: string[] = [];
    for (const probe of probes) {
      const id = foreign[probe.kind];
      const made = randomUUID();
      const [seen, unknown] = [answer(await probe.send(id), id), answer(await probe.send(made), made)];
      if (JSON.stringify(seen) !== JSON.stringify(unknown))
        differ.push(`${probe.what}: KH id → ${JSON.stringify(seen)}; unknown → ${JSON.stringify(unknown)}`);
      else if (!refusesField(seen, probe.field))
        differ.push(`${probe.what}: not refused on ${probe.field} (${JSON.stringify(seen).slice(0, 200)})`);
    }
    expect(differ).toEqual([]);
  });
});
