import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { RescreeningService } from '../../src/screening/rescreening.service';
import { proposedAndAccepted, threeSuspects } from '../support/blacklist-scenario';
import { Given, givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { anAcceptedRequest, aBankAccount, BASE } from '../asset-freezes/asset-freeze-scenario';
import { frameworkId, identifiersKhGaveKr, personKhGaveKr, RELEASE_REFUSED, send } from './support';

/**
 * What partner-country probes found after the release rule landed, each as a named regression: edits,
 * races, phones, disguised numbers, and what auditors, custody histories and ledgers let slip.
 */
describe('Partner-country probes (issue 15, second round)', () => {
  let t: TestApp;
  let tf: TaskForce;
  let given: Given;
  let krMy: string;
  beforeAll(async () => {
    t = await createTestApp({}, { AUDIT_SEAL_INTERVAL_MS: '0' });
    tf = await taskForce(t);
    given = givenIn(tf);
    krMy = await frameworkId(t, 'Korea–Malaysia');
  });
  afterAll(() => t?.close());

  const name = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
  const ownPerson = async (full: string, fields: object = {}) =>
    (await tf['kr.officer'].post('/persons', { names: name(full), ...fields }).expect(201)).body as {
      id: string;
      version: number;
    };
  /** A KR case holding `personId`, shared with MY under AMBER. */
  const caseSharedWithMy = async (personId: string) => {
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Shared with MY', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    return kase as { id: string };
  };

  describe('editing a person is a release to every country it went to', () => {
    it('a passport number KH gave under AMBER, written into a KR person already shared with MY, is refused and MY never reads it', async () => {
      await personKhGaveKr(tf, 'AMBER', 'PRAK Dara', {
        documents: [{ type: 'passport', number: 'N0123456', issuingCountry: 'KH' }],
      });
      const own = await ownPerson('KR informant record');
      await caseSharedWithMy(own.id);
      const edit = {
        names: name('KR informant record'),
        documents: [{ type: 'passport', number: 'n 0123-456', issuingCountry: 'KH' }],
        version: own.version,
      };
      const refused = await tf['kr.officer'].patch(`/persons/${own.id}`, edit).expect(409);
      expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['AMBER'] });
      expect(refused.body.errors[0].field).toBe('documents[0].number');
      expect((await tf['my.officer'].get(`/persons/${own.id}`).expect(200)).body.documents).toEqual([]);
      // A person that went nowhere is the holder's own business.
      const kept = await ownPerson('KR desk copy');
      await tf['kr.officer'].patch(`/persons/${kept.id}`, { ...edit, version: kept.version }).expect(200);
    });

    it('a phone KH gave under AMBER, added to a person KR already sent MY in a request, is refused', async () => {
      await personKhGaveKr(tf, 'AMBER', 'KEO Sokha', { phones: ['+85516777001'] });
      const own = await ownPerson('KR suspect asked about');
      const draft = (
        await tf['kr.officer']
          .post('/information-requests', {
            frameworkId: krMy,
            targetCountry: 'MY',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject: 'Does he travel to Malaysia?',
            questions: ['Entries?'],
            personIds: [own.id],
          })
          .expect(201)
      ).body;
      await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
      const refused = await tf['kr.officer']
        .patch(`/persons/${own.id}`, {
          names: name('KR suspect asked about'),
          phones: ['+85516777001'],
          version: own.version,
        })
        .expect(409);
      expect(refused.body.errors[0].field).toBe('phones[0]');
      expect((await tf['my.officer'].get(`/persons/${own.id}`).expect(200)).body.phones).toEqual([]);
    });
  });

  it('linking a person into a case and sharing the case at the same moment never both succeed', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await personKhGaveKr(tf, 'AMBER', `RACE Subject ${round}`);
      const kase = (await tf['kr.officer'].post('/cases', { title: `Race ${round}` }).expect(201)).body;
      const [link, share] = await Promise.all([
        tf['kr.officer'].post(`/cases/${kase.id}/persons`, { persons: [{ personId: p, role: 'suspect' }] }),
        tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }),
      ]);
      expect([link.status, share.status].sort()).toEqual([201, 409]);
      await tf['my.officer'].get(`/persons/${p}`).expect(404);
    }
  });

  it('a case shared under CLEAR shows each person with the stricter code it is held under', async () => {
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/frameworks', {
        name: 'Three-country body (probes)',
        members: ['KR', 'KH', 'MY'],
        validFrom: '2026-01-01',
      })
      .expect(201);
    const green = await personKhGaveKr(tf, 'GREEN', 'SAO Green');
    const own = await ownPerson('KR own suspect');
    const kase = (
      await tf['kr.officer']
        .post('/cases', {
          title: 'Clear case, green person',
          persons: [
            { personId: green, role: 'suspect' },
            { personId: own.id, role: 'suspect' },
          ],
        })
        .expect(201)
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(201);
    const mySees = (await tf['my.officer'].get(`/cases/${kase.id}`).expect(200)).body;
    expect(mySees.receivedUnder).toBe('CLEAR');
    const code = (body: { persons: Array<{ personId: string; receivedUnder: string | null }> }, id: string) =>
      body.persons.find((p) => p.personId === id)!.receivedUnder;
    expect(code(mySees, green)).toBe('GREEN');
    expect(code(mySees, own.id)).toBe('CLEAR');
    const krSees = (await tf['kr.officer'].get(`/cases/${kase.id}`).expect(200)).body;
    expect(code(krSees, green)).toBe('GREEN');
    expect(code(krSees, own.id)).toBeNull();
  });

  it('a phone KH gave under AMBER, copied into a person KR records itself, does not reach MY through a case', async () => {
    await personKhGaveKr(tf, 'AMBER', 'CHEA Rith', { phones: ['+85516777002'] });
    const own = await ownPerson('KR copy of CHEA', { phones: ['+85516777002'] });
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Copied phone', persons: [{ personId: own.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    const refused = await tf['kr.liaison']
      .post(`/cases/${kase.id}/shares`, { countryCode: 'MY' })
      .expect(409);
    expect(refused.body.errors[0].field).toBe('persons[0].phones[0]');
    await tf['my.officer'].get(`/persons/${own.id}`).expect(404);
  });

  describe('a number is the same number however it is written', () => {
    const askMy = (identifiers: object) =>
      tf['kr.officer'].post('/information-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'urgent',
        handlingCode: 'AMBER',
        subject: 'Known in Malaysia?',
        questions: ['Anything?'],
        identifiers,
      });

    it('an account number KH gave under AMBER+STRICT, disguised with zero-width spaces, en dashes, underscores or full-width digits, is refused', async () => {
      await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
        bankAccounts: [{ institution: 'ABA', accountNumber: '7700-1234-5566' }],
      });
      for (const disguised of [
        '7700\u200b1234\u200b5566',
        '7700\u20131234\u20135566',
        '7700_1234_5566',
        '７７００１２３４５５６６',
      ])
        await askMy({ bankAccounts: [{ institution: 'Maybank', accountNumber: disguised }] }).expect(409);
      await askMy({ bankAccounts: [{ institution: 'Maybank', accountNumber: '7700-1234-5567' }] }).expect(
        201,
      );
    });

    it('web addresses and compound names KH gave under AMBER+STRICT are weighed too', async () => {
      await identifiersKhGaveKr(tf, 'AMBER+STRICT', {
        urls: ['https://golden-fortune.example/login'],
        compounds: ['Golden Fortune Park'],
      });
      const url = await askMy({ urls: ['http://www.GOLDEN-FORTUNE.example/login/'] }).expect(409);
      expect(url.body.errors[0].field).toBe('identifiers.urls[0]');
      const compound = await askMy({ compounds: ['golden  fortune-park'] }).expect(409);
      expect(compound.body.errors[0].field).toBe('identifiers.compounds[0]');
    });
  });

  describe('what auditors read', () => {
    const events = async (who: SignedIn, query: string) =>
      (await who.get(`/audit-events?limit=200&${query}`).expect(200)).body.items as Array<{
        action: string;
        ownerCountry: string | null;
        recordId: string;
        details: Record<string, unknown> | null;
        seal: { hash: string | null; salt: string | null } | null;
        actor: { userId: string | null; agencyId: string | null; country: string | null };
        sourceIp: string | null;
        userAgent: string | null;
        requestId: string | null;
      }>;

    it("a refused look at another country's record does not tell the prober's own auditors whose it was", async () => {
      const myCase = (await tf['my.officer'].post('/cases', { title: 'MY only' }).expect(201)).body;
      await tf['kr.officer'].get(`/cases/${myCase.id}`).expect(404);
      await t.app.get(AuditSealerService).sealNow({ drain: true });
      const krSees = await events(tf['kr.auditor'], `action=access.denied&recordId=${myCase.id}`);
      expect(krSees).toHaveLength(1);
      expect(krSees[0]!.ownerCountry).toBeNull();
      // Nor can the owner be recovered from the chain by trying each country: no hash, no salt.
      expect(krSees[0]!.seal).toEqual({ hash: null, salt: null });
      const mySees = await events(tf['my.auditor'], `action=access.denied&recordId=${myCase.id}`);
      expect(mySees.map((e) => e.ownerCountry)).toEqual(['MY']);
    });

    it("a step comment withheld from the counterpart's auditors comes without the hash that would let them test guesses", async () => {
      const d = (
        await tf['kr.officer']
          .post('/information-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KH',
            priority: 'urgent',
            handlingCode: 'AMBER',
            subject: 'Withheld comment',
            questions: ['?'],
          })
          .expect(201)
      ).body;
      const s = (
        await tf['kr.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      const sent = (
        await tf['kr.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: s.version, comment: 'yes' })
          .expect(200)
      ).body;
      await t.app.get(AuditSealerService).sealNow({ drain: true });
      const [khView] = await events(tf['kh.auditor'], `action=request.approve&recordId=${d.id}`);
      expect(khView!.details).toMatchObject({ commentWithheld: true });
      expect(khView!.seal).toEqual({ hash: null, salt: null });
      // Nor the other country's staff details: who exactly, from which address, with which agent.
      expect(khView).toMatchObject({
        actor: { userId: null, agencyId: null, country: 'KR' },
        sourceIp: null,
        userAgent: null,
        requestId: null,
      });
      expect(JSON.stringify(khView)).not.toContain(await tf.userId('kr.liaison'));
      // On the reader's own record too (probe, third round): KH's accept of KR's request, read by KR.
      const accepted = await tf['kh.liaison']
        .post(`/information-requests/${d.id}/accept`, { version: sent.version })
        .expect(200);
      expect(accepted.body.status).toBe('accepted');
      await t.app.get(AuditSealerService).sealNow({ drain: true });
      const [krOfAccept] = await events(tf['kr.auditor'], `action=request.accept&recordId=${d.id}`);
      expect(krOfAccept).toMatchObject({
        actor: { userId: null, country: 'KH' },
        sourceIp: null,
        userAgent: null,
        ownerCountry: 'KR',
      });
      expect(JSON.stringify(krOfAccept)).not.toContain(await tf.userId('kh.liaison'));
      const [krView] = await events(tf['kr.auditor'], `action=request.approve&recordId=${d.id}`);
      expect(krView!.seal!.hash).toMatch(/^[0-9a-f]{64}$/);
      // Never the salt: with it the hash would confirm guesses of the event's row and transaction
      // numbers, which count every country's events (probe r27).
      expect(krView!.seal!.salt).toBeNull();
      expect(krView!.actor.userId).toBe(await tf.userId('kr.liaison'));
    });

    it("the target's assign note (which officer, and why) stays with the target: the origin's history and auditors do not read it", async () => {
      const d = await given.anInformationRequest().from('KR').sentTo('KH').accepted();
      const [officer] = await t.dataSource.query(`SELECT id FROM app_user WHERE username = 'kh.officer'`);
      await tf['kh.liaison']
        .post(`/information-requests/${d.id}/assign`, {
          version: d.version,
          assigneeId: officer.id,
          comment: 'Not Chan: his cousin works at the compound',
        })
        .expect(200);
      const krHistory = (await tf['kr.officer'].get(`/information-requests/${d.id}/history`).expect(200))
        .body;
      const khHistory = (await tf['kh.liaison'].get(`/information-requests/${d.id}/history`).expect(200))
        .body;
      const assignNote = (rows: Array<{ action: string; comment: string | null }>) =>
        rows.find((h) => h.action === 'assign')!.comment;
      expect(assignNote(krHistory)).toBeNull();
      expect(assignNote(khHistory)).toBe('Not Chan: his cousin works at the compound');
      const [krAudit] = await events(tf['kr.auditor'], `action=request.assign&recordId=${d.id}`);
      expect(krAudit!.details).toMatchObject({ commentWithheld: true });
      expect(JSON.stringify(krAudit)).not.toContain('cousin');
      const [khAudit] = await events(tf['kh.auditor'], `action=request.assign&recordId=${d.id}`);
      expect(JSON.stringify(khAudit)).toContain('cousin');
    });

    it("clearing a screening candidate stays with the checkpoint's country: the proposing country's auditors do not read the reason", async () => {
      const { proposal } = await proposedAndAccepted(tf, threeSuspects(tf.cambodiaKoreaFramework));
      const entry = proposal.entries[0];
      await tf['kh.liaison']
        .post(`/blacklist-entries/${entry.id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Law art. 29',
          expiresOn: '2031-12-31',
        })
        .expect(200);
      const screener = await signIn(t.server, 'kh.screener');
      const screening = (
        await screener
          .post('/screenings', {
            checkpoint: 'PNH-AIRPORT-ARR-3',
            names: [{ full: 'Lee Jae-seong' }],
            birthDate: '1985-03-14',
            nationality: 'KR',
          })
          .expect(201)
      ).body;
      const candidate = screening.candidates[0];
      await screener
        .post(`/screenings/${screening.id}/candidates/${candidate.id}/decision`, {
          decision: 'cleared',
          reason: 'Traveller is a tour guide from Busan, different father',
        })
        .expect(200);
      const krSees = await events(tf['kr.auditor'], 'action=screening.candidate.cleared');
      expect(JSON.stringify(krSees)).not.toContain('tour guide');
      const khSees = await events(tf['kh.auditor'], 'action=screening.candidate.cleared');
      expect(JSON.stringify(khSees)).toContain('tour guide');
    });
  });

  it('the custody history of an arrest shared with a third country does not name a RED repatriation or who confirmed it', async () => {
    await (
      await signIn(t.server, 'platform.admin')
    )
      .post('/frameworks', {
        name: 'Cambodia–Malaysia probes',
        members: ['KH', 'MY'],
        validFrom: '2026-01-01',
      })
      .expect(201);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T10:00:00+07:00',
          place: 'Golden Fortune compound',
          grounds: 'Fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: name('JANG Custody'), nationalities: ['KR'] },
        })
        .expect(201)
    ).body;
    await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }).expect(200);
    const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
      who.post(`/repatriation-requests/${id}/${action}`, { version, ...extra }).expect(200);
    const draft = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'urgent',
          handlingCode: 'RED',
          subject: 'Quiet return of JANG',
          arrestIds: [arrest.id],
        })
        .expect(201)
    ).body;
    let r = (await act(tf['kh.officer'], draft.id, 'submit', draft.version)).body;
    r = (await act(tf['kh.liaison'], draft.id, 'approve', r.version)).body;
    r = (await act(tf['kr.liaison'], draft.id, 'accept', r.version)).body;
    r = (
      await act(tf['kh.officer'], draft.id, 'handover', r.version, {
        handovers: [
          {
            arrestId: arrest.id,
            handedOverBy: 'Lt. Sok Dara',
            receivedBy: 'Insp. Park Ji-hoon',
            handedOverAt: '2026-04-10T05:00:00Z',
            place: 'Incheon, gate 12',
          },
        ],
      })
    ).body;
    await act(tf['kr.liaison'], draft.id, 'confirm-handover', r.version, { arrestIds: [arrest.id] });

    const history = async (who: SignedIn) =>
      (await who.get(`/arrests/${arrest.id}/custody`).expect(200)).body as Array<{
        toStatus: string;
        requestId: string | null;
        actorUsername: string | null;
        actorCountry: string | null;
      }>;
    const repatriated = (rows: Awaited<ReturnType<typeof history>>) =>
      rows.find((h) => h.toStatus === 'repatriated');
    expect(repatriated(await history(tf['kh.officer']))).toMatchObject({
      requestId: draft.id,
      actorCountry: 'KR',
    });
    const mySees = await history(tf['my.officer']);
    expect(repatriated(mySees)).toMatchObject({ requestId: null, actorUsername: null, actorCountry: null });
    expect(JSON.stringify(mySees)).not.toContain(draft.id);
  });

  it('funds are returned only to a person the freeze request names', async () => {
    const victim = await ownPerson('KIM Victim');
    const r = await anAcceptedRequest(tf, krMy, [
      aBankAccount({
        grounds: {
          summary: 'Proceeds',
          victimLosses: [{ personId: victim.id, loss: { amount: '1000', currency: 'MYR' } }],
        },
      }),
    ]);
    const target = r.targets[0].id;
    const officer = tf['my.officer'];
    let cur = (
      await officer
        .post(`${BASE}/${r.id}/targets/${target}/freeze`, {
          version: r.version,
          outcome: 'frozen',
          amount: { amount: '1000.10', currency: 'MYR' },
        })
        .expect(200)
    ).body;
    cur = (
      await officer
        .post(`${BASE}/${r.id}/targets/${target}/recover`, {
          version: cur.version,
          amount: { amount: '500', currency: 'MYR' },
          disposition: 'seized',
        })
        .expect(200)
    ).body;
    const myOwn = (await officer.post('/persons', { names: name('MY bank clerk') }).expect(201)).body.id;
    const step = (personId: string) =>
      officer.post(`${BASE}/${r.id}/targets/${target}/return`, {
        version: cur.version,
        amount: { amount: '100', currency: 'MYR' },
        recipient: { name: 'KIM Victim', personId },
        decision: 'Court order 1',
      });
    const refused = await step(myOwn).expect(400);
    expect(refused.body.errors[0].field).toBe('recipient.personId');
    await step(victim.id).expect(200);
  });

  describe('third round: drafts, revoked shares, RED inside a country, look-alikes, re-screening', () => {
    /** A KH person with a passport and a phone, in a KH case shared with KR under `code`. */
    const khPersonSharedWithKr = async (code: string, passport: string, phone: string) => {
      const p = (
        await tf['kh.officer']
          .post('/persons', {
            names: name(`KH source ${passport}`),
            documents: [{ type: 'passport', number: passport, issuingCountry: 'KH' }],
            phones: [phone],
          })
          .expect(201)
      ).body.id as string;
      const kase = (
        await tf['kh.officer']
          .post('/cases', { title: 'KH case for KR', persons: [{ personId: p, role: 'suspect' }] })
          .expect(201)
      ).body;
      await tf['kh.liaison']
        .post(`/cases/${kase.id}/shares`, { countryCode: 'KR', handlingCode: code })
        .expect(201);
      return p;
    };
    /** A KH draft to KR under CLEAR, withdrawn before anyone approved it. */
    const withdrawnClearDraft = async (over: object) => {
      const d = (
        await tf['kh.officer']
          .post('/information-requests', {
            frameworkId: tf.cambodiaKoreaFramework,
            targetCountry: 'KR',
            priority: 'routine',
            handlingCode: 'CLEAR',
            subject: 'Never sent',
            questions: ['?'],
            ...over,
          })
          .expect(201)
      ).body;
      await tf['kh.officer']
        .post(`/information-requests/${d.id}/withdraw`, { version: d.version })
        .expect(200);
    };

    it('a draft the originator never sent does not loosen the code it gave a person or a phone under', async () => {
      const p = await khPersonSharedWithKr('AMBER+STRICT', 'K7001001', '+85516777101');
      await withdrawnClearDraft({ personIds: [p], identifiers: { phones: ['+85516777101'] } });
      const c = (
        await tf['kr.officer']
          .post('/cases', { title: 'Onward', persons: [{ personId: p, role: 'suspect' }] })
          .expect(201)
      ).body;
      await tf['kr.liaison'].post(`/cases/${c.id}/shares`, { countryCode: 'MY' }).expect(409);
      await tf['my.officer'].get(`/persons/${p}`).expect(404);
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Phone?',
          questions: ['?'],
          identifiers: { phones: ['+85516777101'] },
        })
        .expect(409);
    });

    // Since probe r7: a country whose last link was revoked keeps what it received, in its own records
    // too; the owner's later edits no longer reach it, so they are not weighed for it either.
    it('an edit does not reach a country that keeps the person in its own case after the share is revoked', async () => {
      await khPersonSharedWithKr('AMBER+STRICT', 'K7001002', '+85516777102');
      const own = await ownPerson('KR person kept by MY');
      const kase = await caseSharedWithMy(own.id);
      await tf['my.officer']
        .post('/cases', { title: 'MY keeps it', persons: [{ personId: own.id, role: 'suspect' }] })
        .expect(201);
      await tf['kr.liaison'].delete(`/cases/${kase.id}/shares/MY`).expect(200);
      await tf['my.officer'].get(`/persons/${own.id}`).expect(200); // through MY's own case
      await tf['kr.officer']
        .patch(`/persons/${own.id}`, {
          names: name('KR person kept by MY'),
          documents: [{ type: 'passport', number: 'K7001002', issuingCountry: 'KH' }],
          version: own.version,
        })
        .expect(200);
      expect((await tf['my.officer'].get(`/persons/${own.id}`).expect(200)).body.documents).toEqual([]);
    });

    it('a person received only under RED stays with the named recipients: no KR case, arrest or AMBER request shows it to the rest of KR', async () => {
      const p = (
        await tf['kh.officer']
          .post('/persons', { names: name('KH RED informant'), phones: ['+85516777103'] })
          .expect(201)
      ).body.id as string;
      await given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('RED')
        .about(p)
        .assignedTo('kr.officer');
      await tf['kr.officer'].get(`/persons/${p}`).expect(200);
      const inCase = await tf['kr.officer']
        .post('/cases', { title: 'Widening', persons: [{ personId: p, role: 'suspect' }] })
        .expect(409);
      expect(inCase.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['RED'] });
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-04-02T10:00:00+09:00',
          place: 'Incheon',
          grounds: 'Fraud',
          arrestingAgency: 'KNP',
          nationality: 'KH',
          personId: p,
        })
        .expect(409);
      await tf['kr.officer2'].get(`/persons/${p}`).expect(404);
      await tf['kr.auditor'].get(`/persons/${p}`).expect(404);
    });

    it("a passport number KH gave, hidden in a compound name, a web address path or a person's notes, is still that number", async () => {
      await khPersonSharedWithKr('AMBER+STRICT', 'N7001007', '+85516777107');
      const askMy = (identifiers: object) =>
        tf['kr.officer'].post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Known?',
          questions: ['?'],
          identifiers,
        });
      const inName = await askMy({ compounds: ['Lotus block, passport N700-1007'] }).expect(409);
      expect(inName.body.errors[0].field).toBe('identifiers.compounds[0]');
      const inPath = await askMy({ urls: ['https://scam.example/victims/N7001007/photo'] }).expect(409);
      expect(inPath.body.errors[0].field).toBe('identifiers.urls[0]');
      const noted = await ownPerson('KR note keeper', {
        notes: 'Travels on passport n7001007, seen at Poipet',
      });
      const c = (
        await tf['kr.officer']
          .post('/cases', { title: 'Notes', persons: [{ personId: noted.id, role: 'suspect' }] })
          .expect(201)
      ).body;
      const shared = await tf['kr.liaison'].post(`/cases/${c.id}/shares`, { countryCode: 'MY' }).expect(409);
      expect(shared.body.errors[0].field).toBe('persons[0].notes');
      await askMy({ compounds: ['Lotus block 7'] }).expect(201); // a short number is no identifier
    });

    it("a case view does not betray a RED request its reader is not a recipient of through a person's code", async () => {
      const p = await khPersonSharedWithKr('AMBER', 'K7001005', '+85516777105');
      await given.anInformationRequest().from('KH').sentTo('KR').handledAs('RED').about(p).sent();
      const kase = (
        await tf['kr.officer2']
          .post('/cases', { title: 'Officer2 case', persons: [{ personId: p, role: 'suspect' }] })
          .expect(201)
      ).body;
      const code = async (who: SignedIn) =>
        (await who.get(`/cases/${kase.id}`).expect(200)).body.persons[0].receivedUnder as string;
      // The code that governs passing it on: the loosest receipt (KR holds it under AMBER too).
      expect(await code(tf['kr.officer2'])).toBe('AMBER');
      expect(await code(tf['kr.liaison'])).toBe('AMBER');
    });

    it('a person KH sent on a RED request cannot be put into a RED request KR sends: all of KR reads its own requests (probe, fourth round)', async () => {
      const p = (
        await tf['kh.officer']
          .post('/persons', {
            names: name('KH red source'),
            documents: [{ type: 'passport', number: 'R2965944', issuingCountry: 'KH' }],
          })
          .expect(201)
      ).body.id as string;
      await given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('RED')
        .about(p)
        .assignedTo('kr.officer2');
      const redDraft = {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KH',
        priority: 'urgent',
        handlingCode: 'RED',
        subject: 'Back to KH',
        questions: ['?'],
      };
      const refused = await tf['kr.officer2']
        .post('/information-requests', { ...redDraft, personIds: [p] })
        .expect(409);
      expect(refused.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['RED'] });
      const typed = await tf['kr.officer2']
        .post('/information-requests', {
          ...redDraft,
          identifiers: { compounds: ['Tower block, passport R2965944'] },
        })
        .expect(409);
      expect(typed.body.rules).toEqual(['RED']);
      await tf['kr.officer'].get(`/persons/${p}`).expect(404);
    });

    it('a passport number in Cyrillic look-alikes is no number (400); a compound name in them, or a phone typed as an account number, is still what KH gave', async () => {
      await khPersonSharedWithKr('AMBER+STRICT', 'M7001004', '+85516777104');
      const copy = await tf['kr.officer']
        .post('/persons', {
          names: name('KR look-alike copy'),
          documents: [{ type: 'passport', number: '\u041c7001004', issuingCountry: 'KH' }],
        })
        .expect(400);
      expect(copy.body.errors[0].field).toBe('documents[0].number');
      await identifiersKhGaveKr(tf, 'AMBER+STRICT', { compounds: ['Golden Lotus Park'] });
      const compound = await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Compound?',
          questions: ['?'],
          identifiers: { compounds: ['G\u043elden L\u043etus P\u0430rk'] },
        })
        .expect(409);
      expect(compound.body.errors[0].field).toBe('identifiers.compounds[0]');
      const asAccount = await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'Mobile money?',
          questions: ['?'],
          identifiers: { bankAccounts: [{ institution: 'Touch n Go', accountNumber: '855 1677 7104' }] },
        })
        .expect(409);
      expect(asAccount.body.errors[0].field).toBe('identifiers.bankAccounts[0].accountNumber');
    });

    it("a re-screening match at MY's checkpoint is MY's lead: the proposing country is told only of a confirmed hit", async () => {
      const myScreener = await signIn(t.server, 'my.screener');
      const traveller = { names: [{ full: 'RYU Seong-min' }], birthDate: '1981-07-07', nationality: 'KR' };
      await myScreener.post('/screenings', { checkpoint: 'KUL-KLIA-ARR-1', ...traveller }).expect(201);
      const proposal = (
        await tf['kr.officer']
          .post('/blacklist-entries', {
            frameworkId: krMy,
            banningCountry: 'MY',
            entry: {
              person: {
                names: [{ full: 'RYU Seong-min', script: 'latin', kind: 'primary' }],
                birthDate: '1981-07-07',
                nationalities: ['KR'],
              },
              grounds: 'Recruiter.',
              groundsSummary: 'Recruiter',
            },
          })
          .expect(201)
      ).body;
      const sent = await send(tf['kr.officer'], tf['kr.liaison'], '/blacklist-proposals', proposal);
      await tf['my.liaison']
        .post(`/blacklist-proposals/${proposal.id}/accept`, { version: sent.version })
        .expect(200);
      await tf['my.liaison']
        .post(`/blacklist-entries/${proposal.entries[0].id}/activate`, {
          version: 1,
          legalBasis: 'Immigration Act s.8',
          expiresOn: '2031-12-31',
        })
        .expect(200);
      const alerts = async (who: SignedIn) =>
        (
          (await who.get('/screenings/alerts').expect(200)).body.items as Array<{ kind: string; entryId: string }>
        ).filter((a) => a.entryId === proposal.entries[0].id);
      // Re-screening is a background job (off in tests): run what the activation queued.
      await t.app.get(RescreeningService).runPending();
      expect((await alerts(tf['my.liaison'])).map((a) => a.kind)).toEqual(['rescreen_match']);
      expect(await alerts(tf['kr.liaison'])).toEqual([]);
      const [krInbox] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM notification WHERE country_code = 'KR' AND record_type = 'screening_alert'`,
      );
      expect(krInbox.n).toBe(0);
    });
  });

  describe('fourth round: RED numbers inside a country, numerals the fold cannot read', () => {
    it('numbers KH gave KR only under RED stay with the recipients: not in a KR person, not in a CLEAR request', async () => {
      const p = (
        await tf['kh.officer']
          .post('/persons', {
            names: name('KH RED numbers'),
            documents: [{ type: 'passport', number: 'R7001006', issuingCountry: 'KH' }],
            phones: ['+85516777106'],
          })
          .expect(201)
      ).body.id as string;
      await given
        .anInformationRequest()
        .from('KH')
        .sentTo('KR')
        .handledAs('RED')
        .about(p)
        .assignedTo('kr.officer');
      const copy = await tf['kr.officer']
        .post('/persons', {
          names: name('KR copy of RED'),
          documents: [{ type: 'passport', number: 'R7001006', issuingCountry: 'KH' }],
        })
        .expect(409);
      expect(copy.body).toMatchObject({ type: RELEASE_REFUSED, rules: ['RED'] });
      expect(copy.body.errors[0].field).toBe('documents[0].number');
      await tf['kr.officer']
        .post('/persons', { names: name('KR copy of RED phone'), phones: ['+85516777106'] })
        .expect(409);
      const toKh = (code: string) =>
        tf['kr.officer'].post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: code,
          subject: 'About the number',
          questions: ['?'],
          identifiers: { phones: ['+85516777106'] },
        });
      await toKh('CLEAR').expect(409);
      // Not under RED either when KR sends it: all of KR reads its own requests (probe, fourth round).
      await toKh('RED').expect(409);
      const ids = (await tf['kr.officer2'].get('/persons?phone=%2B85516777106').expect(200)).body.items;
      expect(ids).toEqual([]);
    });

    it('a document or account number in numerals the fold cannot read (Han, Ethiopic, a squared letter) is a 400, not a different number', async () => {
      for (const number of ['P\u4e00\u4e8c\u4e09\u56db', 'P\u1369\u136a\u136b', '\u{1F17F}1234567'])
        expect(
          (
            await tf['kr.officer']
              .post('/persons', {
                names: name('Numerals'),
                documents: [{ type: 'passport', number, issuingCountry: 'KH' }],
              })
              .expect(400)
          ).body.errors[0].field,
        ).toBe('documents[0].number');
      const account = await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'CLEAR',
          subject: 'Account?',
          questions: ['?'],
          identifiers: {
            bankAccounts: [{ institution: 'Maybank', accountNumber: '\u4e00\u4e8c\u4e09\u56db' }],
          },
        })
        .expect(400);
      expect(account.body.errors[0].field).toMatch(
        /identifiers\.bankAccounts\.0\.accountNumber|identifiers\.bankAccounts\[0\]\.accountNumber/,
      );
    });
  });
});
