import { DeadlineService } from '../../src/notifications/deadline.service';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A repatriation's answer time asks for an answer (accept or reject), not for the persons to be home:
 * once accepted it runs on its schedule, a flight weeks ahead, and neither side reads it as overdue or
 * is warned of it. An information request accepted but not answered in time is overdue, as before.
 */
describe('An accepted repatriation is not overdue while its plan runs', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  async function aRepatriation() {
    const arrest = await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'KR',
        person: { names: [{ full: '한가람', script: 'hangul', kind: 'primary' }] },
      })
      .expect(201);
    return givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ priority: 'routine', arrestIds: [arrest.body.id] });
  }
  const overdueIds = async (who: SignedIn, path: string) =>
    ((await who.get(`${path}?overdue=true&limit=200`).expect(200)).body.items as Array<{ id: string }>).map(
      (r) => r.id,
    );
  const overdueNotices = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE record_id = $1 AND event_type = 'request.overdue'`,
        [id],
      )
    )[0].n as number;

  it('past its answer time: a sent repatriation is overdue; an accepted one is not, nor warned of; an accepted information request is', async () => {
    const accepted = await (await aRepatriation()).accepted();
    expect(accepted).toMatchObject({ status: 'accepted', dueAt: null, overdue: false });
    const waiting = await (await aRepatriation()).sent();
    const information = await givenIn(tf)
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .with({ priority: 'routine' })
      .accepted();

    // Every answer time these requests still have has passed (moved back a day: the sign-ins keep
    // their real clock).
    await t.dataSource.query(
      `UPDATE cross_border_request SET due_at = now() - interval '1 day'
        WHERE id = ANY($1::uuid[]) AND due_at IS NOT NULL`,
      [[accepted.id, waiting.id, information.id]],
    );
    await t.app.get(DeadlineService).scan();

    const repatriations = await overdueIds(tf['kr.liaison'], '/repatriation-requests');
    expect(repatriations).toContain(waiting.id);
    expect(repatriations).not.toContain(accepted.id);
    expect(await overdueIds(tf['kh.officer'], '/repatriation-requests')).not.toContain(accepted.id);
    expect(await overdueIds(tf['kr.liaison'], '/information-requests')).toContain(information.id);
    const view = (await tf['kr.liaison'].get(`/repatriation-requests/${accepted.id}`).expect(200)).body;
    expect(view).toMatchObject({ overdue: false, dueAt: null });

    expect(await overdueNotices(accepted.id)).toBe(0);
    expect(await overdueNotices(waiting.id)).toBe(2);
    expect(await overdueNotices(information.id)).toBe(2);

    // Accepted late, the waiting one leaves the overdue figures and lists too.
    const overdueNow = async () => (await tf['kr.liaison'].get('/stats').expect(200)).body.overdueNow;
    const before = await overdueNow();
    await tf['kr.liaison']
      .post(`/repatriation-requests/${waiting.id}/accept`, { version: waiting.version })
      .expect(200);
    expect(await overdueNow()).toEqual({ ...before, inbound: before.inbound - 1 });
    expect(await overdueIds(tf['kr.liaison'], '/repatriation-requests')).not.toContain(waiting.id);
  });
});
