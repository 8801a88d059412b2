import { RELEASE_REFUSED, personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A custody reason written before an arrest is shared reaches the country it is shared with (its
 * custody history): it is weighed at the share, as the arrest's own columns are. KH gave KR a phone
 * under AMBER; KR writes it into a custody reason of its own arrest, then shares the arrest with MY.
 */
describe('A custody reason written before the share is weighed at the share', () => {
  let t: TestApp;
  let tf: TaskForce;
  let share: { status: number; type?: string };
  let myReads: string[];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Busan',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          person: { names: [{ full: 'HAN Beforeshare', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body;
    await tf['kr.officer']
      .post(`/arrests/${arrest.id}/custody`, {
        status: 'charged',
        reason: 'Called his handler on +85512000111',
        version: arrest.version,
      })
      .expect(200);
    const res = await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' });
    share = { status: res.status, type: res.body.type };
    const history = await tf['my.officer'].get(`/arrests/${arrest.id}/custody`);
    myReads = history.status === 200 ? history.body.map((h: { reason: string | null }) => h.reason) : [];
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses the share (409 release-refused), and MY reads nothing of the arrest', () => {
    expect(share).toEqual({ status: 409, type: RELEASE_REFUSED });
    expect(myReads.join(' ')).not.toContain('85512000111');
  });
});
