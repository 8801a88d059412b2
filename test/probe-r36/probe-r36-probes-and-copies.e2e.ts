import { download } from '../attachments/attachment-support';
import { naming, now, onwardWorld, OnwardWorld, trailSince } from './r36-support';

/**
 * Probe r36: what else put MY, an onward recipient of KR's person, into KR's trail.
 * - A probe of the person after KH stopped sharing its case with MY: `access.denied` (not-visible) is
 *   written with the refused record's owner, so that the owner's auditors see who probed their records;
 *   for a country that had the person from a partner, that told KR that MY knew its person.
 * - KR giving the person to MY itself after MY had kept a copy of it (an onward recipient keeps one,
 *   silently, at the owner's first edit): the copy goes, and `person.kept_copy` in KR's trail said so —
 *   `liveAgainFor: ["MY"]`, a copy MY could only have had from someone else.
 */
describe('Probe r36: an onward recipient’s probes and copies stay out of the owner’s trail', () => {
  let w: OnwardWorld;
  beforeAll(async () => {
    w = await onwardWorld('GREEN');
  }, 120_000);
  afterAll(() => w?.t.close());

  it('KH stops sharing its case with MY; MY’s probes of the person and its file (404) are not in KR’s trail', async () => {
    await w.tf['kh.liaison'].delete(`/cases/${w.khCaseId}/shares/MY`).expect(200);
    const since = await now(w.t);
    await w.tf['my.officer'].get(`/persons/${w.personId}`).expect(404);
    await download(w.t, w.tf['my.officer'], w.fileId).expect(404);
    // Before the fix: two `access.denied` (not-visible) owned by KR, actor MY.
    expect(naming(await trailSince(w.tf['kr.auditor'], since), 'MY').map((e) => e.action)).toEqual([]);
    // MY's auditors read their users' refused attempts, as ever without the owner.
    const mine = (await trailSince(w.tf['my.auditor'], since)).filter((e) => e.action === 'access.denied');
    expect(mine.map((e) => [e.recordType, e.ownerCountry])).toEqual([
      ['person', null],
      ['attachment', null],
    ]);
  });

  it('control: TH, which never had the person, probes it: KR’s auditors see who probed their record', async () => {
    const since = await now(w.t);
    await w.th.officer.get(`/persons/${w.personId}`).expect(404);
    expect(
      (await trailSince(w.tf['kr.auditor'], since)).filter((e) => e.action === 'access.denied'),
    ).toMatchObject([{ recordId: w.personId, ownerCountry: 'KR', actor: { country: 'TH' } }]);
  });

  it('KR edits the person, then shares its own case with MY: KR’s trail does not say MY had kept a copy', async () => {
    // KH shares its case with MY again: MY holds the person onward once more.
    await w.tf['kh.liaison']
      .post(`/cases/${w.khCaseId}/shares`, { countryCode: 'MY', handlingCode: 'GREEN' })
      .expect(201);
    await w.tf['my.officer'].get(`/persons/${w.personId}`).expect(200);
    const current = (await w.tf['kr.officer'].get(`/persons/${w.personId}`).expect(200)).body;
    await w.tf['kr.officer']
      .patch(`/persons/${w.personId}`, {
        version: current.version,
        names: [{ full: 'PARK Onward', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        documents: [{ type: 'passport', number: w.passport, issuingCountry: 'KR' }],
        notes: 'seen at Bavet',
      })
      .expect(200);
    // MY does not read KR's edit: it keeps the person as KH passed it on.
    expect(
      (await w.tf['my.officer'].get(`/persons/${w.personId}`).expect(200)).body.notes ?? null,
    ).toBeNull();
    const since = await now(w.t);
    await w.tf['kr.liaison']
      .post(`/cases/${w.krCaseId}/shares`, { countryCode: 'MY', handlingCode: 'GREEN' })
      .expect(201);
    // MY now reads the person live, from KR itself.
    expect((await w.tf['my.officer'].get(`/persons/${w.personId}`).expect(200)).body.notes).toBe(
      'seen at Bavet',
    );
    // KR's own share names MY; nothing else may. Before the fix: `person.kept_copy` with liveAgainFor ["MY"].
    const krEvents = naming(await trailSince(w.tf['kr.auditor'], since), 'MY');
    expect(krEvents.map((e) => e.action)).toEqual(['case.share']);
  });
});
