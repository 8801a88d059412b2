import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 14, oracles): a custody step taken while no framework joins the arresting country and a
 * country the arrest is shared with is read by that country, once cooperation resumes, as "status only"
 * (no reason: probe r5), yet the numbers in its reason are recorded as received by it
 * (`ReleaseService.releaseArrestText` weighs and records to every `arrest_share`, "a number still goes
 * where the step carrying it…", whether or not the reader will ever read the reason). KH shares an
 * arrest with KR (AMBER); the Cambodia–Korea framework is suspended; KH charges the person with the
 * reason "Handler on +85512000777"; the framework resumes: KR reads the step with `reason: null`. When KR
 * later records that number itself and shares its own case holding it with MY, the share is refused
 * (409, "was received under TLP:AMBER") — KR learns the number is in a text of KH's it was not shown.
 * Fix: record (and weigh) a gap step's numbers for no country that will not read its reason, i.e. pass
 * `releaseArrestText` only the countries told of the step (`told`), as its view does.
 */
describe('Probe r14: a number in a custody reason KR reads as null counts as received by KR', () => {
  let t: TestApp;
  let tf: TaskForce;
  const phone = '+85512000777';
  let gapStep: { toStatus: string; reason: string | null } | undefined;
  let share: { status: number; type?: string };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const admin = await signIn(t.server, 'platform.admin');
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Kampot',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'VN',
          person: {
            names: [{ full: 'NGUYEN Gapreason', script: 'latin', kind: 'primary' }],
            nationalities: ['VN'],
          },
        })
        .expect(201)
    ).body;
    await tf['kh.liaison']
      .post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' })
      .expect(200);
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: false }).expect(200);
    const current = (await tf['kh.officer'].get(`/arrests/${arrest.id}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${arrest.id}/custody`, {
        status: 'charged',
        reason: `Handler on ${phone}`,
        version: current.version,
      })
      .expect(200);
    await admin.patch(`/frameworks/${tf.cambodiaKoreaFramework}`, { active: true }).expect(200);
    const steps: Array<{ toStatus: string; reason: string | null }> = (
      await tf['kr.officer'].get(`/arrests/${arrest.id}/custody`).expect(200)
    ).body;
    gapStep = steps.find((s) => s.toStatus === 'charged');
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'LEE Ownphone', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Handlers', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const res = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
    share = { status: res.status, type: res.body.type };
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads the gap step without its reason', () => {
    expect(gapStep).toMatchObject({ toStatus: 'charged', reason: null });
  });

  it('and shares its own case holding the same number with MY', () => {
    expect(share).toEqual({ status: 201, type: undefined });
  });
});
