import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

interface PersonBody {
  phones: string[];
}

/**
 * Probe (round 10): AMBER data of a fourth country reaches a third country through a kept copy passed on.
 * In the demo world TH gives KH, under AMBER, the phone +66812340077 (KH asks TH; TH fulfils with it).
 * KH records its person P, puts it in a case shared with KR (CLEAR) and KR links P into a case of its
 * own. Were KR's share live, KH writing TH's AMBER phone into P would be refused for KR (409, "Editing
 * is a release"). KH revokes the share first: KR keeps its copy, the edit is weighed for nobody and goes
 * through (correct so far: KR does not read it). KR then shares its own case with MY (KR–MY MOU,
 * CLEAR): MY's `GET /persons/P` shows TH's AMBER phone, and `GET /identifiers/seen-in` confirms it — TH's
 * AMBER data has reached a country TH never consented to, through a person KR could pass on only as KR
 * kept it (without the phone). README: AMBER is passed on "only with the originator's consent".
 * Fault: src/sharing/release.service.ts — the release of a person the holder keeps a copy of gives the
 * recipient the live person (no copy recorded for it) and weighs the live person's numbers
 * (src/sharing/provenance.store.ts `holdings` reads `person`, not the holder's `person_kept_copy`).
 */
describe('Probe r10: a fourth country’s AMBER phone reaches a third country through a kept copy passed on', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  const amberPhone = '+66812340077';
  let personId: string;
  let krReads: PersonBody;
  let myReads: PersonBody;
  let seenIn: Array<{ recordId: string }>;

  const step = async (who: string, id: string, action: string, version: number, body: object = {}) =>
    (await as[who]!.post(`/information-requests/${id}/${action}`, { version, ...body }).expect(200)).body as {
      version: number;
    };

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of ['kr.officer', 'kr.liaison', 'kh.officer', 'kh.liaison', 'my.officer', 'th.liaison'])
      as[name] = await signIn(t.server, name);
    const [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );

    // TH gives KH, under AMBER, a phone.
    const ask = (
      await as['kh.officer']!.post('/information-requests', {
        frameworkId: body,
        targetCountry: 'TH',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'Which phone does the recruiter use?',
        questions: ['Phone of the recruiter?'],
      }).expect(201)
    ).body;
    let v = (await step('kh.officer', ask.id, 'submit', ask.version)).version;
    v = (await step('kh.liaison', ask.id, 'approve', v)).version;
    v = (await step('th.liaison', ask.id, 'accept', v)).version;
    await step('th.liaison', ask.id, 'fulfil', v, {
      findings: { summary: 'The recruiter’s phone', identifiers: { phones: [amberPhone] } },
    });

    // KH's person, shared with KR in a case, linked by KR into a case of its own.
    personId = (
      await as['kh.officer']!.post('/persons', {
        names: [{ full: 'SOK Recruiter', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        phones: ['+85512000500'],
      }).expect(201)
    ).body.id;
    const khCase = (
      await as['kh.officer']!.post('/cases', {
        title: 'Recruiters',
        persons: [{ personId, role: 'suspect' }],
      }).expect(201)
    ).body.id as string;
    await as['kh.liaison']!.post(`/cases/${khCase}/shares`, {
      countryCode: 'KR',
      handlingCode: 'CLEAR',
    }).expect(201);
    const krCase = (
      await as['kr.officer']!.post('/cases', {
        title: 'KR own case',
        persons: [{ personId, role: 'suspect' }],
      }).expect(201)
    ).body.id as string;

    // The share revoked, KH writes TH's AMBER phone into its person (weighed for nobody: KR keeps a copy).
    await as['kh.liaison']!.delete(`/cases/${khCase}/shares/KR`).expect(200);
    const current = (await as['kh.officer']!.get(`/persons/${personId}`).expect(200)).body;
    await as['kh.officer']!.patch(`/persons/${personId}`, {
      version: current.version,
      names: current.names,
      nationalities: current.nationalities,
      phones: ['+85512000500', amberPhone],
    }).expect(200);
    krReads = (await as['kr.officer']!.get(`/persons/${personId}`).expect(200)).body;

    // KR passes its case, with the person as it keeps it, on to MY.
    await as['kr.liaison']!.post(`/cases/${krCase}/shares`, {
      countryCode: 'MY',
      handlingCode: 'CLEAR',
    }).expect(201);
    myReads = (await as['my.officer']!.get(`/persons/${personId}`).expect(200)).body;
    seenIn = (
      await as['my.officer']!.get(
        `/identifiers/seen-in?kind=phone&value=${encodeURIComponent(amberPhone)}`,
      ).expect(200)
    ).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR itself does not read TH’s AMBER phone (its kept copy)', () => {
    expect(krReads.phones).toEqual(['+85512000500']);
  });

  it('MY does not read TH’s AMBER phone on the person KR passed on', () => {
    expect(myReads.phones).not.toContain(amberPhone);
  });

  it('seen-in does not confirm TH’s AMBER phone to MY', () => {
    expect(seenIn.map((i) => i.recordId)).not.toContain(personId);
  });
});
