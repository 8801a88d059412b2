import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId } from './support';

/**
 * A custody step the arresting country took while no framework joined it to the partner reads, for the
 * partner, as of when cooperation resumed. That date is the resumption's: an edit of the framework that
 * brings nobody together (its due hours, a member's dates saved unchanged) does not move it, so the partner does not see an old step jump
 * forward (session 19's note).
 */
describe('A gap step keeps its resumption date through unrelated framework edits', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let arrestId: string;
  const chargedAt = async (): Promise<string> => {
    const history = (await tf['my.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body as Array<{
      at: string;
      toStatus: string;
    }>;
    return history.find((h) => h.toStatus === 'charged')!.at;
  };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'HAN Resumed', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-02T02:30:00Z',
          place: 'Busan',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          personId: person.id,
        })
        .expect(201)
    ).body;
    arrestId = arrest.id;
    await tf['kr.liaison'].post(`/arrests/${arrestId}/shares`, { countryCode: 'MY' }).expect(200);
    await admin.patch(`/frameworks/${krMy}`, { active: false }).expect(200);
    await tf['kr.officer']
      .post(`/arrests/${arrestId}/custody`, {
        status: 'charged',
        reason: 'In the gap',
        version: arrest.version,
      })
      .expect((res) => expect(res.status).toBeLessThan(300));
    await admin.patch(`/frameworks/${krMy}`, { active: true }).expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  it('an edit of the due hours leaves the date the partner reads for the gap step', async () => {
    const before = await chargedAt();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await admin.patch(`/frameworks/${krMy}`, { dueHours: { routine: 200 } }).expect(200);
    expect(await chargedAt()).toBe(before);
  });

  it('saving a member’s dates unchanged leaves it too', async () => {
    const before = await chargedAt();
    const framework = (await admin.get('/frameworks').expect(200)).body.find(
      (f: { id: string }) => f.id === krMy,
    );
    const my = framework.memberships.find((m: { country: string }) => m.country === 'MY');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await admin
      .put(`/frameworks/${krMy}/members/MY`, { joinedOn: my.joinedOn, leftOn: my.leftOn })
      .expect(200);
    expect(await chargedAt()).toBe(before);
  });
});
