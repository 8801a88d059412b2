import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';
import { RELEASE_REFUSED } from '../sharing/support';
import { signIn, SignedIn } from '../support/http';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 3): the background amendment job carries to an onward banning country a number a THIRD
 * country gave the owner, which no one may pass to it. Demo world (the multilateral body). TH answers
 * KH's GREEN request with a person holding passport P. KH shares its own person X with KR under GREEN;
 * KR proposes X for MY's blacklist (all four in the multilateral body then) and MY activates the entry.
 * MY then leaves the multilateral body: MY keeps the KR–MY MOU, but shares no framework with TH (or KH).
 * KH writes P into X's documents: the edit is weighed for KR (GREEN from TH, KR in a framework with KH
 * and TH: allowed) and MY is an onward recipient (`ReleaseService.keepForEndedCooperation`: "data a third
 * country gave the owner … written into the person afterwards, does not reach the onward recipient").
 * Yet `BlacklistAmendmentsService.propose` reads the live person and writes P into an amendment of MY's
 * entry: MY reads TH's GREEN passport number in `GET /blacklist-entries/:id/amendments` (and may accept
 * it into what its checkpoints screen against), although KR itself would be refused passing P to MY
 * (control below: a KR request to MY naming P is 409 release-refused).
 * Fix: src/blacklist/blacklist-amendments.service.ts — weigh an amendment as a release from the proposing
 * country to the banning one over the proposal (`ReleaseService.release` on the proposal's channel;
 * propose nothing, or only what passes, when refused), or propose only what the proposing country itself
 * reads/may pass (its kept copy).
 */
describe('Probe r3: a third country’s GREEN passport reaches an onward banning country as an amendment', () => {
  let t: TestApp;
  const as: Record<string, SignedIn> = {};
  let body: string;
  let mou: string;
  let entryId: string;
  let personId: string;
  const passport = 'TH7788990';

  const step = async (who: string, path: string, id: string, action: string, version: number, extra = {}) =>
    (await as[who]!.post(`${path}/${id}/${action}`, { version, ...extra }).expect(200)).body as {
      version: number;
    };

  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    for (const name of [
      'kr.officer',
      'kr.liaison',
      'kh.officer',
      'kh.liaison',
      'my.liaison',
      'th.liaison',
      PLATFORM_ADMIN_USERNAME,
    ])
      as[name] = await signIn(t.server, name);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
    [{ id: mou }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );

    // TH gives KH, under GREEN, a person holding passport P.
    const ask = (
      await as['kh.officer']!.post('/information-requests', {
        frameworkId: body,
        targetCountry: 'TH',
        priority: 'routine',
        handlingCode: 'GREEN',
        subject: 'Who travels on the compound’s passports?',
        questions: ['Holder of the passports?'],
      }).expect(201)
    ).body;
    let v = (await step('kh.officer', '/information-requests', ask.id, 'submit', ask.version)).version;
    v = (await step('kh.liaison', '/information-requests', ask.id, 'approve', v)).version;
    v = (await step('th.liaison', '/information-requests', ask.id, 'accept', v)).version;
    await step('th.liaison', '/information-requests', ask.id, 'fulfil', v, {
      findings: {
        summary: 'Found the holder',
        persons: [
          {
            names: [{ full: 'SOMCHAI Holder', script: 'latin', kind: 'primary' }],
            nationalities: ['TH'],
            documents: [{ type: 'passport', number: passport, issuingCountry: 'TH' }],
          },
        ],
      },
    });

    // KH's own person X, shared with KR under GREEN.
    personId = (
      await as['kh.officer']!.post('/persons', {
        names: [{ full: 'SOK Onward', script: 'latin', kind: 'primary' }],
        birthDate: '1986',
        nationalities: ['KH'],
      }).expect(201)
    ).body.id;
    const kase = (
      await as['kh.officer']!.post('/cases', {
        title: 'KH case shared with KR',
        persons: [{ personId, role: 'suspect' }],
      }).expect(201)
    ).body;
    await as['kh.liaison']!.post(`/cases/${kase.id}/shares`, {
      countryCode: 'KR',
      handlingCode: 'GREEN',
    }).expect(201);

    // KR proposes X for MY's blacklist; MY activates.
    const proposal = (
      await as['kr.officer']!.post('/blacklist-entries', {
        frameworkId: mou,
        banningCountry: 'MY',
        handlingCode: 'GREEN',
        entry: { personId, grounds: 'Recruiter for a compound.', groundsSummary: 'Recruiter' },
      }).expect(201)
    ).body;
    v = (await step('kr.officer', '/blacklist-proposals', proposal.id, 'submit', proposal.version)).version;
    v = (await step('kr.liaison', '/blacklist-proposals', proposal.id, 'approve', v)).version;
    await step('my.liaison', '/blacklist-proposals', proposal.id, 'accept', v);
    entryId = proposal.entries[0].id;
    await as['my.liaison']!.post(`/blacklist-entries/${entryId}/activate`, {
      version: 1,
      legalBasis: 'Immigration Act s. 9',
      expiresOn: '2031-12-31',
    }).expect(200);

    // MY leaves the multilateral body (it keeps the MOU with KR; none with TH or KH any more).
    await as[PLATFORM_ADMIN_USERNAME]!.put(`/frameworks/${body}/members/MY`, {
      joinedOn: '2026-07-01',
      leftOn: new Date().toISOString().slice(0, 10),
    }).expect(200);

    // KH writes P into X: weighed for KR (allowed), MY is onward.
    const current = (await as['kh.officer']!.get(`/persons/${personId}`).expect(200)).body;
    await as['kh.officer']!.patch(`/persons/${personId}`, {
      version: current.version,
      names: [{ full: 'SOK Onward', script: 'latin', kind: 'primary' }],
      birthDate: '1986',
      nationalities: ['KH'],
      documents: [{ type: 'passport', number: passport, issuingCountry: 'TH' }],
    }).expect(200);
    await t.app.get(BlacklistAmendmentsService).runPending();
  }, 240_000);
  afterAll(() => t?.close());

  it('KR may not pass P to MY itself (control: the release rule refuses it)', async () => {
    const res = await as['kr.officer']!.post('/information-requests', {
      frameworkId: mou,
      targetCountry: 'MY',
      priority: 'routine',
      handlingCode: 'GREEN',
      subject: `Travel on passport ${passport}?`,
      questions: [`Entries on passport ${passport}?`],
    });
    const sent =
      res.status === 201
        ? await (async () => {
            const s = await as['kr.officer']!.post(`/information-requests/${res.body.id}/submit`, {
              version: res.body.version,
            });
            return s.status === 200
              ? as['kr.liaison']!.post(`/information-requests/${res.body.id}/approve`, {
                  version: s.body.version,
                })
              : s;
          })()
        : res;
    expect(`${sent.status} ${sent.body.type}`).toBe(`409 ${RELEASE_REFUSED}`);
  });

  it('MY reads neither P in the person nor in an amendment of its entry', async () => {
    const person = await as['my.liaison']!.get(`/persons/${personId}`);
    const amendments = await as['my.liaison']!.get(`/blacklist-entries/${entryId}/amendments`).expect(200);
    expect({
      person: person.text.includes(passport),
      amendments: amendments.text.includes(passport),
    }).toEqual({
      person: false,
      amendments: false,
    });
  });
});
