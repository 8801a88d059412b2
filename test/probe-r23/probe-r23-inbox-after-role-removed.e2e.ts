import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { givenIn, type Given } from '../support/given';
import { inboxOf, narrowRoles, widenRoles } from './r23-support';

/**
 * Probe r23: a correlation alert is addressed to one user (the case's lead officer), not to a role.
 * When KR's admin takes that user's officer role away (leaving screener, which reads no case or
 * request), the alert — the case's reference, the phone, KH's request — must leave the user's inbox
 * with the role, as every role-addressed notification does. Before the fix the inbox let a
 * user-addressed notification through whatever the user's roles now were.
 */
describe('A correlation alert leaves the inbox of a lead officer who is no longer an officer', () => {
  let t: TestApp;
  let tf: TaskForce;
  let given: Given;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    given = givenIn(tf);
  });
  afterAll(() => t?.close());

  it('old token, new roles: no alert read, marked or counted', async () => {
    await widenRoles(t, 'kr.officer2', ['officer', 'screener']);
    const phone = '+85512309901';
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'SUSPECT R23', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const krCase = (
      await tf['kr.officer']
        .post('/cases', {
          title: 'Call centre r23',
          persons: [{ personId: person.id, role: 'suspect' }],
          leadOfficerId: await tf.userId('kr.officer2'),
        })
        .expect(201)
    ).body;
    const request = await given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .with({ identifiers: { phones: [phone] } })
      .sent();

    const lead = tf['kr.officer2'];
    const [alert, ...more] = await inboxOf(lead, 'identifier.correlation');
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ recordId: request.id, payload: { caseId: krCase.id } });

    // The admin takes the officer role away; the same token, next request.
    await narrowRoles(t, 'kr.officer2', ['screener']);
    await lead.get(`/cases/${krCase.id}`).expect(403);
    await lead.get(`/information-requests/${request.id}`).expect(403);

    const inbox = await inboxOf(lead);
    expect(inbox.map((n) => n.eventType)).not.toContain('identifier.correlation');
    expect(JSON.stringify(inbox)).not.toContain(krCase.reference);
    expect(JSON.stringify(inbox)).not.toContain(phone);
    await lead.post(`/notifications/${alert!.id}/read`).expect(404);
    expect((await lead.post('/notifications/read-all').expect(200)).body).toEqual({ marked: 0 });

    // Given the role back (four eyes), the alert is there again: hidden, not dropped.
    await widenRoles(t, 'kr.officer2', ['officer', 'screener']);
    expect((await inboxOf(lead, 'identifier.correlation')).map((n) => n.id)).toEqual([alert!.id]);
  });
});
