import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { narrowRoles, widenRoles } from './r23-support';

/**
 * Probe r23: in the target country a RED request is read by its liaisons and "the officer it is
 * assigned to". KH's second officer is also an auditor (two admins agreed); KH's liaison assigns a RED
 * request to it; then KH's admin takes its officer role away. It is no longer the assigned *officer*:
 * as an auditor it must read the RED request exactly as KH's other auditor does — not the request, its
 * list entry, the person it names, its events by KR in the trail, nor its count in the statistics.
 * Before the fix the assignment alone (`assigned_to`) kept every path open to whatever role was left.
 */
describe('A RED request assignee who is no longer an officer reads it as any auditor does', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const PATH = '/information-requests';
  /** What an auditor reads of the request `id`, naming `personId`: statuses, and what the lists say. */
  async function reads(who: SignedIn, id: string, personId: string) {
    const trail = (await who.get(`/audit-events?recordType=request&recordId=${id}&limit=100`).expect(200))
      .body;
    const list = (await who.get(`${PATH}?limit=100`).expect(200)).body;
    const stats = (await who.get('/stats?from=2026-01-01T00:00:00Z&to=2027-12-31T00:00:00Z').expect(200))
      .body;
    return {
      view: (await who.get(`${PATH}/${id}`)).status,
      history: (await who.get(`${PATH}/${id}/history`)).status,
      person: (await who.get(`/persons/${personId}`)).status,
      listed: JSON.stringify(list).includes(id),
      trail: (trail.items as Array<{ action: string; actor: { country: string } }>)
        .filter((e) => e.actor?.country === 'KR')
        .map((e) => e.action),
      stats,
    };
  }

  it('view, history, person, list, audit trail and stats', async () => {
    await widenRoles(t, 'kh.officer2', ['officer', 'auditor']);
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'RED R23 ASSIGNED', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const request = await givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('RED')
      .about(person.id)
      .assignedTo('kh.officer2');

    const assignee = tf['kh.officer2'];
    const asAssignee = await reads(assignee, request.id, person.id);
    expect(asAssignee).toMatchObject({ view: 200, history: 200, person: 200, listed: true });

    await narrowRoles(t, 'kh.officer2', ['auditor']);
    const after = await reads(assignee, request.id, person.id);
    const otherAuditor = await reads(tf['kh.auditor'], request.id, person.id);
    expect(otherAuditor).toMatchObject({ view: 404, history: 404, person: 404, listed: false, trail: [] });
    expect(after).toEqual(otherAuditor);
  });
});
