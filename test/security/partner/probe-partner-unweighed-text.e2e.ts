import { aPdf, upload } from '../../attachments/attachment-support';
import { aBankAccount, aFreezeDraft, koreaMalaysiaFramework } from '../../asset-freezes/asset-freeze-scenario';
import type { SignedIn } from '../../support/http';
import { aDraft, taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const RELEASE_REFUSED = 'urn:case-desk:problem:release-refused';

/**
 * Probe (TLP propagation): KH gives KR a phone number under AMBER+STRICT ("never passed on"). The
 * release rule weighs numbers written into free text (subjects, questions, messages, notes, grounds…),
 * and KR writing it into an information request's subject for MY is refused. The probe found other free
 * text reaching MY unweighed (a repatriation request's subject, a rejection reason, a step comment);
 * the tests after it walk every write of text the other country reads — each kind's subject, each step's
 * comment and reason, a repatriation's plan, handovers, drops and arrests, a freeze's steps and targets,
 * blacklist decisions, custody reasons — refused with the number and nothing changed, taken without it.
 */
describe('Probe (TLP): AMBER+STRICT numbers leave through free text the rule does not weigh', () => {
  let t: TestApp;
  let tf: TaskForce;
  let krMy: string;
  const phone = '+85599887766';
  const written = 'Contact +855 99 887 766';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    krMy = await koreaMalaysiaFramework(t);
    // KH sends KR the number under AMBER+STRICT.
    const draft = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            targetCountry: 'KR',
            handlingCode: 'AMBER+STRICT',
            subject: 'Subscriber check',
            questions: ['Who uses the phone in the identifiers?'],
            identifiers: { phones: [phone] },
          }),
        )
        .expect(201)
    ).body;
    const submitted = (
      await tf['kh.officer']
        .post(`/information-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/information-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
  }, 180_000);
  afterAll(() => t?.close());

  it('control: the number in an information request subject to MY is refused (409)', async () => {
    const res = await tf['kr.officer'].post(
      '/information-requests',
      aDraft(krMy, { targetCountry: 'MY', subject: written, questions: ['Who?'], identifiers: undefined }),
    );
    expect(`${res.status} ${res.body.type}`).toBe('409 urn:case-desk:problem:release-refused');
  });

  it('the number in a repatriation request subject to MY is refused too', async () => {
    const arrestId = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon airport',
          grounds: 'Fraud',
          arrestingAgency: 'Korean National Police Agency',
          nationality: 'MY',
          person: { names: [{ full: 'TAN Probe', script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body.id;
    const res = await tf['kr.officer'].post('/repatriation-requests', {
      frameworkId: krMy,
      targetCountry: 'MY',
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: written,
      arrestIds: [arrestId],
    });
    if (res.status === 201) {
      // Not refused: KR sends it, and MY reads the number in the subject.
      const s = (
        await tf['kr.officer']
          .post(`/repatriation-requests/${res.body.id}/submit`, { version: res.body.version })
          .expect(200)
      ).body;
      await tf['kr.liaison']
        .post(`/repatriation-requests/${res.body.id}/approve`, { version: s.version })
        .expect(200);
      const mine = await tf['my.officer'].get(`/repatriation-requests/${res.body.id}`).expect(200);
      expect(mine.body.subject).not.toContain('99 887 766');
    }
    expect(`${res.status} ${res.body.type}`).toBe('409 urn:case-desk:problem:release-refused');
  });

  it('the number in a rejection reason and an accept comment on MY’s requests is refused too', async () => {
    const ask = async () => {
      const d = (
        await tf['my.officer']
          .post(
            '/information-requests',
            aDraft(krMy, {
              targetCountry: 'KR',
              subject: 'Ask',
              questions: ['Who?'],
              identifiers: undefined,
            }),
          )
          .expect(201)
      ).body;
      const s = (
        await tf['my.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      return (
        await tf['my.liaison']
          .post(`/information-requests/${d.id}/approve`, { version: s.version })
          .expect(200)
      ).body;
    };
    const first = await ask();
    const rejected = await tf['kr.liaison'].post(`/information-requests/${first.id}/reject`, {
      version: first.version,
      reason: written,
    });
    const second = await ask();
    const accepted = await tf['kr.liaison'].post(`/information-requests/${second.id}/accept`, {
      version: second.version,
      comment: written,
    });
    // What MY reads when they were not refused.
    const myReads = [
      (await tf['my.officer'].get(`/information-requests/${first.id}`)).body.rejectionReason,
      JSON.stringify((await tf['my.officer'].get(`/information-requests/${second.id}/history`)).body),
    ];
    expect({
      reject: rejected.status,
      accept: accepted.status,
      myReadsTheNumber: myReads.some((x) => typeof x === 'string' && x.includes('99 887 766')),
    }).toEqual({ reject: 409, accept: 409, myReadsTheNumber: false });
  });
  /**
   * One write of text the other country reads: refused with the number (409 `release-refused`, and the
   * record — version, status, history — unchanged), then taken with the same words without it.
   */
  const weighed = async (
    who: SignedIn,
    what: { record: string; write: string; history?: string },
    body: (text: string) => object,
  ) => {
    const before = (await who.get(what.record).expect(200)).body;
    const history = what.history ? (await who.get(what.history).expect(200)).body : [];
    const refused = await who.post(what.write, { version: before.version, ...body(written) });
    expect(`${what.write} ${refused.status} ${refused.body.type}`).toBe(
      `${what.write} 409 ${RELEASE_REFUSED}`,
    );
    const after = (await who.get(what.record).expect(200)).body;
    expect({ version: after.version, status: after.status }).toEqual({
      version: before.version,
      status: before.status,
    });
    if (what.history) expect((await who.get(what.history).expect(200)).body).toEqual(history);
    const taken = await who.post(what.write, { version: before.version, ...body(plain) });
    expect(`${what.write} ${taken.status}`).toBe(`${what.write} 200`);
    return taken.body;
  };
  const plain = 'Contact the duty desk';
  /** A step of a request under `base`, with the request's history as the other thing it must not change. */
  const step = (base: string, id: string, action: string) => ({
    record: `${base}/${id}`,
    write: `${base}/${id}/${action}`,
    history: `${base}/${id}/history`,
  });

  it('every step KR takes as the target of MY’s information requests weighs its reason and comment', async () => {
    const ask = async () => {
      const d = (
        await tf['my.officer']
          .post(
            '/information-requests',
            aDraft(krMy, {
              targetCountry: 'KR',
              subject: 'Ask',
              questions: ['Who?'],
              identifiers: undefined,
            }),
          )
          .expect(201)
      ).body;
      const s = (
        await tf['my.officer']
          .post(`/information-requests/${d.id}/submit`, { version: d.version })
          .expect(200)
      ).body;
      await tf['my.liaison']
        .post(`/information-requests/${d.id}/approve`, { version: s.version })
        .expect(200);
      return d.id as string;
    };
    const base = '/information-requests';
    const rejected = await ask();
    await weighed(tf['kr.liaison'], step(base, rejected, 'reject'), (text) => ({ reason: text }));
    const answered = await ask();
    const accepted = await weighed(tf['kr.liaison'], step(base, answered, 'accept'), (comment) => ({
      comment,
    }));
    // `assign` is the target's internal note: it does not leave KR, and goes.
    await tf['kr.liaison']
      .post(`${base}/${answered}/assign`, {
        version: accepted.version,
        assigneeId: await tf.userId('kr.officer'),
        comment: written,
      })
      .expect(200);
    await weighed(tf['kr.officer'], step(base, answered, 'fulfil'), (comment) => ({
      comment,
      findings: { summary: 'Nothing known' },
    }));
    const mine = JSON.stringify((await tf['my.officer'].get(`${base}/${answered}/history`).expect(200)).body);
    expect(mine).not.toContain('99 887 766');
  });

  it('KR’s answers to MY’s asset freeze request (accept, a target step) weigh their text', async () => {
    const base = '/asset-freeze-requests';
    const d = (
      await tf['my.officer']
        .post(
          base,
          aFreezeDraft(krMy, [aBankAccount({ institutionCode: 'KOEXKRSE', holderName: 'KIM Mule' })], {
            targetCountry: 'KR',
          }),
        )
        .expect(201)
    ).body;
    const s = (await tf['my.officer'].post(`${base}/${d.id}/submit`, { version: d.version }).expect(200))
      .body;
    await tf['my.liaison'].post(`${base}/${d.id}/approve`, { version: s.version }).expect(200);
    const accepted = await weighed(tf['kr.liaison'], step(base, d.id, 'accept'), (comment) => ({ comment }));
    const target = accepted.targets[0].id as string;
    const freeze = { ...step(base, d.id, 'x'), write: `${base}/${d.id}/targets/${target}/freeze` };
    await weighed(tf['kr.officer'], freeze, (comment) => ({ outcome: 'not_found', comment }));
  });

  it('KR’s decisions on MY’s blacklist proposal weigh their comment, legal basis and reason', async () => {
    const person = (full: string) => ({
      names: [{ full, script: 'latin', kind: 'primary' }],
      nationalities: ['MY'],
    });
    const proposal = (
      await tf['my.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: krMy,
          banningCountry: 'KR',
          subject: 'Recruiters',
          entries: [
            { person: person('LIM Recruiter'), grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
            { person: person('ONG Driver'), grounds: 'Driver.', groundsSummary: 'Driver' },
          ],
        })
        .expect(201)
    ).body;
    const base = '/blacklist-proposals';
    const s = (
      await tf['my.officer'].post(`${base}/${proposal.id}/submit`, { version: proposal.version }).expect(200)
    ).body;
    await tf['my.liaison'].post(`${base}/${proposal.id}/approve`, { version: s.version }).expect(200);
    await weighed(tf['kr.liaison'], step(base, proposal.id, 'accept'), (comment) => ({ comment }));
    const [first, second] = proposal.entries as Array<{ id: string }>;
    const entry = (id: string, action: string) => ({
      record: `/blacklist-entries/${id}`,
      write: `/blacklist-entries/${id}/${action}`,
    });
    await weighed(tf['kr.liaison'], entry(first!.id, 'activate'), (legalBasis) => ({
      legalBasis,
      expiresOn: '2031-01-01',
    }));
    await weighed(tf['kr.liaison'], entry(second!.id, 'reject'), (reason) => ({ reason }));
    await weighed(tf['kr.liaison'], step(base, proposal.id, 'fulfil'), (comment) => ({ comment }));
    await weighed(tf['kr.liaison'], entry(first!.id, 'extend'), (reason) => ({
      reason,
      expiresOn: '2032-01-01',
    }));
    await weighed(tf['kr.liaison'], entry(first!.id, 'lift'), (reason) => ({ reason }));
    const mine = (await tf['my.officer'].get(`/blacklist-entries/${first!.id}`).expect(200)).body;
    expect(JSON.stringify(mine)).not.toContain('99 887 766');
  });

  it('what KR writes into its repatriation request to MY (plan, handover, drop) is weighed; its close note stays home', async () => {
    const arrest = async (full: string) =>
      (
        await tf['kr.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Incheon airport',
            grounds: 'Fraud',
            arrestingAgency: 'Korean National Police Agency',
            nationality: 'MY',
            person: { names: [{ full, script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body.id as string;
    const [handed, dropped] = [await arrest('TAN Handed'), await arrest('LEE Dropped')];
    const base = '/repatriation-requests';
    const draft = (
      await tf['kr.officer']
        .post(base, {
          frameworkId: krMy,
          targetCountry: 'MY',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Two nationals',
          arrestIds: [handed, dropped],
        })
        .expect(201)
    ).body;
    const id = draft.id as string;
    const s = (await tf['kr.officer'].post(`${base}/${id}/submit`, { version: draft.version }).expect(200))
      .body;
    const sent = (await tf['kr.liaison'].post(`${base}/${id}/approve`, { version: s.version }).expect(200))
      .body;
    await tf['my.liaison'].post(`${base}/${id}/accept`, { version: sent.version }).expect(200);
    const plan = {
      departureAt: '2026-03-20T01:00:00Z',
      departurePoint: 'Incheon International Airport',
      arrivalPoint: 'Kuala Lumpur International Airport',
      carrier: 'Malaysia Airlines',
      flightNumber: 'MH67',
      sendingEscorts: ['Insp. Park Ji-hoon'],
      receivingEscorts: ['Insp. Aziz'],
      notes: 'Wheelchair needed',
    };
    const fields: Array<[string, (text: string) => object]> = [
      ['departurePoint', (t) => ({ departurePoint: t })],
      ['arrivalPoint', (t) => ({ arrivalPoint: t })],
      ['carrier', (t) => ({ carrier: t })],
      ['flightNumber', (t) => ({ flightNumber: t === written ? phone.slice(1) : 'MH67' })],
      ['sendingEscorts', (t) => ({ sendingEscorts: ['Insp. Park Ji-hoon', t] })],
      ['receivingEscorts', (t) => ({ receivingEscorts: [t] })],
      ['notes', (t) => ({ notes: t })],
    ];
    for (const [, field] of fields)
      await weighed(tf['kr.officer'], step(base, id, 'schedule'), (text) => ({ ...plan, ...field(text) }));
    const handover = (t: string, at: 'place' | 'handedOverBy' | 'receivedBy') => ({
      handovers: [
        {
          arrestId: handed,
          handedOverBy: 'Insp. Park Ji-hoon',
          receivedBy: 'Insp. Aziz',
          handedOverAt: '2026-03-20T05:00:00Z',
          place: 'KLIA, gate 3',
          [at]: t,
        },
      ],
    });
    for (const at of ['place', 'handedOverBy', 'receivedBy'] as const) {
      const before = (await tf['kr.officer'].get(`${base}/${id}`).expect(200)).body;
      const refused = await tf['kr.officer'].post(`${base}/${id}/handover`, {
        version: before.version,
        ...handover(written, at),
      });
      expect(`${at} ${refused.status} ${refused.body.type}`).toBe(`${at} 409 ${RELEASE_REFUSED}`);
      expect((await tf['kr.officer'].get(`${base}/${id}`).expect(200)).body.version).toBe(before.version);
    }
    await weighed(tf['kr.officer'], step(base, id, 'handover'), (text) => handover(text, 'place'));
    await weighed(tf['kr.officer'], step(base, id, 'drop'), (note) => ({
      arrestId: dropped,
      reason: 'charged_locally',
      note,
    }));
    const current = (await tf['my.liaison'].get(`${base}/${id}`).expect(200)).body;
    const confirmed = (
      await tf['my.liaison']
        .post(`${base}/${id}/confirm-handover`, { version: current.version, arrestIds: [handed] })
        .expect(200)
    ).body;
    const fulfilled = (
      await tf['my.liaison'].post(`${base}/${id}/fulfil`, { version: confirmed.version }).expect(200)
    ).body;
    // The origin's own note on closing is not read by MY (its history shows no origin comments): it goes.
    await tf['kr.officer']
      .post(`${base}/${id}/close`, { version: fulfilled.version, comment: written })
      .expect(200);
    const myReads = JSON.stringify([
      (await tf['my.officer'].get(`${base}/${id}`).expect(200)).body,
      (await tf['my.officer'].get(`${base}/${id}/schedules`).expect(200)).body,
      (await tf['my.officer'].get(`${base}/${id}/history`).expect(200)).body,
    ]);
    expect(myReads).not.toContain('99 887 766');
    expect(myReads).not.toContain(phone.slice(1));
  });

  it('the subject of every kind KR drafts for MY, and the free text of a freeze target, is weighed', async () => {
    const refused = async (path: string, body: object) => {
      const res = await tf['kr.officer'].post(path, body);
      expect(`${path} ${res.status} ${res.body.type}`).toBe(`${path} 409 ${RELEASE_REFUSED}`);
    };
    await refused('/asset-freeze-requests', aFreezeDraft(krMy, [aBankAccount()], { subject: written }));
    await refused('/asset-freeze-requests', aFreezeDraft(krMy, [aBankAccount({ holderName: written })]));
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'PARK Ban', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body;
    await refused('/blacklist-entries', {
      frameworkId: krMy,
      banningCountry: 'MY',
      subject: written,
      entry: { personId: person.id, grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
    });
    await tf['kr.officer']
      .post(
        '/asset-freeze-requests',
        aFreezeDraft(krMy, [aBankAccount({ holderName: plain })], { subject: plain }),
      )
      .expect(201);
  });
  it('the arrests a repatriation request carries to MY, and a custody reason MY reads, are weighed', async () => {
    const arrest = async (grounds: string) =>
      (
        await tf['kr.officer']
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Incheon airport',
            grounds,
            arrestingAgency: 'Korean National Police Agency',
            nationality: 'MY',
            person: { names: [{ full: `WONG ${grounds.length}`, script: 'latin', kind: 'primary' }] },
          })
          .expect(201)
      ).body.id as string;
    const draft = (arrestId: string) =>
      tf['kr.officer'].post('/repatriation-requests', {
        frameworkId: krMy,
        targetCountry: 'MY',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'One national',
        arrestIds: [arrestId],
      });
    const refused = await draft(await arrest(`Fraud. ${written}`));
    expect(`${refused.status} ${refused.body.type}`).toBe(`409 ${RELEASE_REFUSED}`);
    expect(refused.body.errors[0].field).toBe('arrestIds[0].grounds');
    const quiet = await arrest('Fraud');
    await draft(quiet).expect(201);
    await weighed(
      tf['kr.officer'],
      {
        record: `/arrests/${quiet}`,
        write: `/arrests/${quiet}/custody`,
        history: `/arrests/${quiet}/custody`,
      },
      (reason) => ({ status: 'charged', reason }),
    );
  });

  it('a file whose name carries the number is refused on a case shared with MY and on a request to MY; renamed, it goes', async () => {
    const caseId = (await tf['kr.officer'].post('/cases', { title: 'Filename probe' }).expect(201)).body.id as string;
    await tf['kr.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'MY' }).expect(201);
    const request = (
      await tf['kr.officer']
        .post('/information-requests', aDraft(krMy, { targetCountry: 'MY', subject: 'Accounts', questions: ['Who?'], identifiers: undefined }))
        .expect(201)
    ).body;
    for (const [path, name] of [
      [`/cases/${caseId}/attachments`, '+85599887766 subscriber.pdf'],
      [`/cases/${caseId}/attachments`, 'subscriber_855-99-887-766.pdf'],
      [`/information-requests/${request.id}/attachments`, 'calls of +85599887766.pdf'],
    ] as const) {
      const refused = await upload(t, tf['kr.officer'], path, aPdf(4_000, name), name);
      expect(`${name}: ${refused.status} ${refused.body.type}`).toBe(`${name}: 409 ${RELEASE_REFUSED}`);
    }
    // Nothing was kept of the refused uploads; the same file named without the number is taken.
    expect((await tf['my.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items).toEqual([]);
    await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, aPdf(4_000, 'renamed'), 'subscriber.pdf').expect(201);
    expect(
      (await tf['my.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body.items.map(
        (a: { filename: string }) => a.filename,
      ),
    ).toEqual(['subscriber.pdf']);
  });
});
