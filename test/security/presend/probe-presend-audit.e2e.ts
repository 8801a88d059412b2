import { SENT_VERSION } from '../../../src/workflow/sent-version';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/** Every number named `version` anywhere in a JSON value. */
function versionsIn(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(versionsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'version' && typeof v === 'number' ? [v] : versionsIn(v),
  );
}

/**
 * Probe: what the target's auditors read of a request's sending. The request's version jumps to
 * `SENT_VERSION` when it is sent so that the target cannot count the origin's drafting steps; the
 * audit event of that step (`request.approve`, the first event of the request its target's auditors
 * read) recorded the version it left behind, so the count was one audit read away. Every path the
 * auditor reads events by: the list (by record, by action) and the CSV export.
 */
describe('Probe: the target’s auditors read no version from before the request was sent', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('a request returned twice before it was sent shows KH’s auditor no drafting version, KR’s auditor all of them', async () => {
    const base = '/information-requests';
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Returned twice before sending',
          questions: ['Who runs it?'],
        })
        .expect(201)
    ).body;
    let version = draft.version as number;
    const step = async (who: SignedIn, action: string) => {
      version = (await who.post(`${base}/${draft.id}/${action}`, { version }).expect(200)).body.version;
    };
    for (let i = 0; i < 2; i++) {
      await step(tf['kr.officer'], 'submit');
      await step(tf['kr.liaison'], 'return');
    }
    await step(tf['kr.officer'], 'submit');
    await step(tf['kr.liaison'], 'approve');
    expect(version).toBe(SENT_VERSION);
    await step(tf['kh.liaison'], 'accept');

    const paths = [
      `/audit-events?recordId=${draft.id}`,
      `/audit-events?recordId=${draft.id}&action=request.approve`,
      `/audit-events?action=request.approve`,
      `/audit-events/timeline?recordType=request&recordId=${draft.id}`,
    ];
    type Event = { action: string; recordId: string; changes: unknown };
    const itemsAt = async (path: string): Promise<[string, Event[]]> => [
      path,
      (await tf['kh.auditor'].get(path).expect(200)).body.items as Event[],
    ];
    const exported = (await tf['kh.auditor'].get(`/audit-events/export?recordId=${draft.id}`).expect(200))
      .text;
    const lists: Array<[string, Event[]]> = [
      ...(await Promise.all(paths.map(itemsAt))),
      [
        'export (NDJSON)',
        exported
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      ],
    ];
    for (const [path, items] of lists) {
      const ours = items.filter((e) => e.recordId === draft.id);
      expect({ path, actions: ours.map((e) => e.action).sort() }).toEqual({
        path,
        actions: path.includes('action=') ? ['request.approve'] : ['request.accept', 'request.approve'],
      });
      for (const event of ours)
        expect({
          path,
          action: event.action,
          drafting: versionsIn(event.changes).filter((v) => v < SENT_VERSION),
        }).toEqual({
          path,
          action: event.action,
          drafting: [],
        });
    }
    const csv = (
      await tf['kh.auditor']
        .get(`/audit-events/export?recordId=${draft.id}`)
        .set('Accept', 'text/csv')
        .expect(200)
    ).text;
    expect(csv).toContain('request.approve');
    expect(csv).not.toMatch(/""version"":\s*[0-9]{1,6}[,}]/);

    // The origin's auditors read the count as it was.
    const krApprove = (
      await tf['kr.auditor'].get(`/audit-events?recordId=${draft.id}&action=request.approve`).expect(200)
    ).body.items[0] as { changes: { before: { version: number } } };
    expect(krApprove.changes.before.version).toBe(6);
  });
});
