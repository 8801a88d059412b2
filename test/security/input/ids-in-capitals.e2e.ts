import { aDraft, taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const aName = { full: 'KIM Min-jun', family: 'Kim', given: 'Min-jun', script: 'latin', kind: 'primary' };

/**
 * A UUID is the same id in capitals (RFC 9562 reads it case-insensitively, and so does PostgreSQL),
 * but the services compared ids as strings: a request naming a person by its id in capitals was
 * refused as naming "a person that does not exist", its case was answered in capitals, and an
 * auditor asking for a record's events by its id in capitals found none. Body, query and filter ids
 * now reach the services in lower case (`IsUUID`; every field enumerated in
 * test/architecture/uuid-fields.spec.ts), as path ids do (`UuidParam`).
 */
describe('An id written in capitals names the same record', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('in a body, a list filter and the audit trail’s filters', async () => {
    const kr = tf['kr.officer'];
    const person = (await kr.post('/persons', { names: [aName], nationalities: ['KR'] }).expect(201)).body;
    const kase = (await kr.post('/cases', { title: 'Golden Fortune' }).expect(201)).body;
    const [personUp, caseUp] = [person.id.toUpperCase(), kase.id.toUpperCase()];

    const request = (
      await kr
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, { personIds: [personUp, person.id], caseId: caseUp }),
        )
        .expect(201)
    ).body;
    expect({ personIds: request.personIds, caseId: request.caseId }).toEqual({
      personIds: [person.id],
      caseId: kase.id,
    });
    expect((await kr.get(`/information-requests/${request.id}`).expect(200)).body.caseId).toBe(kase.id);

    const listed = (await kr.get(`/information-requests?caseId=${caseUp}`).expect(200)).body.items;
    expect(listed.map((r: { id: string }) => r.id)).toEqual([request.id]);

    const auditor = tf['kr.auditor'];
    const byLower = (await auditor.get(`/audit-events?recordId=${kase.id}`).expect(200)).body.items;
    expect(byLower.length).toBeGreaterThan(0);
    expect((await auditor.get(`/audit-events?recordId=${caseUp}`).expect(200)).body.items).toEqual(byLower);
    const timeline = async (id: string) =>
      (await auditor.get(`/audit-events/timeline?recordType=case&recordId=${id}`).expect(200)).body.items;
    // Reading a timeline is itself on it: the read by the id in capitals is the case's, in lower case.
    const readInCapitals = await timeline(caseUp);
    const readAfter = await timeline(kase.id);
    expect(readInCapitals.map((e: { action: string }) => e.action)).toContain('case.create');
    expect(readAfter.slice(0, readInCapitals.length)).toEqual(readInCapitals);
    expect(
      readAfter
        .slice(readInCapitals.length)
        .map((e: { action: string; recordId: string }) => [e.action, e.recordId]),
    ).toEqual([['audit.read', kase.id]]);
  });
});
