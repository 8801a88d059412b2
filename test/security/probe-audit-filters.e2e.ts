import { randomUUID } from 'node:crypto';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (session 11): an auditor reads another country's steps on its own records with the foreign
 * staff's user ids withheld (`asReadBy`). A filter must not give back what the page withholds: an
 * actor filter with a foreign user id answers exactly as an id that does not exist.
 */
describe('Probe: the audit list and export filters find no more than the auditor may read', () => {
  let t: TestApp;
  let tf: TaskForce;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('an actor filter with the user id of another country’s staff finds nothing, as an unknown id does', async () => {
    const request = await givenIn(tf).anInformationRequest().from('KR').sentTo('KH').accepted();
    const khLiaison = await tf.userId('kh.liaison');
    const krLiaison = await tf.userId('kr.liaison');
    const list = async (query: string) =>
      (await tf['kr.auditor'].get(`/audit-events?recordId=${request.id}&${query}`).expect(200)).body.items.map(
        (e: { action: string }) => e.action,
      );
    const exported = async (query: string) =>
      (await tf['kr.auditor'].get(`/audit-events/export?recordId=${request.id}&${query}`).expect(200)).text;

    // KR's auditor sees KH's accept on KR's request, without the KH liaison's user id.
    const all = (await tf['kr.auditor'].get(`/audit-events?recordId=${request.id}`).expect(200)).body.items;
    const accept = all.find((e: { action: string }) => e.action === 'request.accept');
    expect(accept).toBeDefined();
    expect(JSON.stringify(accept)).not.toContain(khLiaison);

    expect(await list(`actor=${krLiaison}`)).toContain('request.approve');
    const unknown = await list(`actor=${randomUUID()}`);
    expect(unknown).toEqual([]);
    expect(await list(`actor=${khLiaison}`)).toEqual(unknown);
    expect(await exported(`actor=${khLiaison}`)).toBe(await exported(`actor=${randomUUID()}`));
  });
});
