import { signIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

type Named = { names: Array<{ full: string }>; birthDate?: string | null };

/**
 * Probe (round 7): a country whose direct share the owner revoked keeps receiving the owner's later
 * edits through a partner's record. KH, KR and MY share frameworks (a KH–MY body is added); KH shares
 * a case holding its person P with KR and with MY (CLEAR). KR proposes P for MY's blacklist
 * (`POST /blacklist-entries { banningCountry: 'MY', entry: { personId: P } }`; KR approves, MY
 * accepts). KH revokes MY's share (`DELETE /cases/:id/shares/MY`): MY now reads P only through KR's
 * proposal — an onward recipient, which by the rule "reads what the country that passed it on
 * released; the owner's later additions do not travel through a partner's record"
 * (`ReleaseService.keepForEndedCooperation`). KH then renames P, changes its birth date and adds a
 * passport. MY's `GET /persons/P` and `GET /blacklist-entries/:id` show all of it, and MY's activation
 * (`POST /blacklist-entries/:id/activate`) copies the new name and passport into the entry its
 * checkpoints screen against. No copy is kept for MY: `recipientsOf` counts MY as a direct recipient
 * (it once had a share, `basis`), never as onward, although that share is revoked.
 * Fix: src/sharing/release.service.ts `recipientsOf` / `keepForEndedCooperation` (a country whose
 * direct channels from the owner all ended — share revoked — and that still reads the person through
 * a partner's record is an onward recipient: it keeps a copy), with
 * src/sharing/provenance.store.ts `personRecipients`/`onwardRecipients` and
 * src/blacklist/blacklist-index.service.ts `activate` then taking that copy.
 */
describe('Probe r7: a revoked direct recipient reads the owner’s later edits through a partner’s proposal', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let entryId: string;
  let myPerson: Named;
  let myEntry: Named;
  let activated: Named;
  let identity: { identity_documents: Array<{ number: string }> | null };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await (await signIn(t.server, 'platform.admin'))
      .post('/frameworks', { name: 'Cambodia–Malaysia body', members: ['KH', 'MY'], validFrom: '2026-01-01' })
      .expect(201);
    personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Twice', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          birthDate: '1990',
        })
        .expect(201)
    ).body.id;
    const caseId = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    for (const countryCode of ['KR', 'MY'])
      await tf['kh.liaison']
        .post(`/cases/${caseId}/shares`, { countryCode, handlingCode: 'CLEAR' })
        .expect(201);
    const proposal = (
      await tf['kr.officer']
        .post('/blacklist-entries', {
          frameworkId: await tf.frameworkBetween('KR', 'MY'),
          banningCountry: 'MY',
          entry: { personId, grounds: 'Recruiter for a compound.', groundsSummary: 'Recruiter' },
        })
        .expect(201)
    ).body;
    let version = proposal.version;
    for (const [who, action] of [
      [tf['kr.officer'], 'submit'],
      [tf['kr.liaison'], 'approve'],
      [tf['my.liaison'], 'accept'],
    ] as const)
      version = (await who.post(`/blacklist-proposals/${proposal.id}/${action}`, { version }).expect(200)).body
        .version;
    entryId = proposal.entries[0].id;

    await tf['kh.liaison'].delete(`/cases/${caseId}/shares/MY`).expect(200);
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: 'SOK TwiceRenamed', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
        birthDate: '1988-02-03',
        documents: [{ type: 'passport', number: 'N6660001', issuingCountry: 'KH' }],
      })
      .expect(200);

    myPerson = (await tf['my.liaison'].get(`/persons/${personId}`).expect(200)).body;
    myEntry = (await tf['my.liaison'].get(`/blacklist-entries/${entryId}`).expect(200)).body;
    activated = (
      await tf['my.liaison']
        .post(`/blacklist-entries/${entryId}/activate`, {
          version: 1,
          legalBasis: 'Immigration Act s. 9',
          expiresOn: '2031-12-31',
        })
        .expect(200)
    ).body;
    [identity] = await t.dataSource.query(`SELECT identity_documents FROM blacklist_entry WHERE id = $1`, [
      entryId,
    ]);
  }, 120_000);
  afterAll(() => t?.close());

  it('MY still reads the person, as KR passed it on', () => {
    expect(myPerson.names.map((n) => n.full)).toEqual(['SOK Twice']);
    expect(myPerson.birthDate).toBe('1990');
  });

  it("MY's proposed entry shows none of KH's edits made after MY's share was revoked", () => {
    expect(myEntry.names.map((n) => n.full)).toEqual(['SOK Twice']);
  });

  it("MY's activated entry screens against the person as KR passed it on, not KH's later passport", () => {
    expect(activated.names.map((n) => n.full)).toEqual(['SOK Twice']);
    expect(JSON.stringify(identity.identity_documents ?? [])).not.toContain('N6660001');
  });
});
