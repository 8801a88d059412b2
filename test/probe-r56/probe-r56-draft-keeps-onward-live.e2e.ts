import { signIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

type Named = { names: Array<{ full: string }>; documents?: Array<{ number: string }> };

/**
 * Probe r56: an onward recipient reads the owner's later edits through a partner's record once the
 * owner drafted a request to it naming the person — a draft that gives it nothing, even one withdrawn
 * before it was ever sent. KH's person P reaches KR by a case share; KR links P into a case of its own
 * and shares that with MY: MY reads P only through KR's record, an onward recipient, which keeps P as KR
 * passed it on (a copy at KH's next edit). On main, a request KH drafted to MY naming P (unsent, or
 * withdrawn as a draft) made `recipientsOf` count MY as a direct recipient: no onward copy was kept, and
 * `keepForEndedCooperation` dropped any copy MY kept as "live" — MY read KH's rename and new passport
 * through KR's case, though KH gave MY nothing.
 */
describe('Probe r56: a draft to an onward recipient', () => {
  let t: TestApp;
  let tf: TaskForce;
  let khMyFramework: string;

  const khPersonPassedOnByKr = async (name: string) => {
    const personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: name, script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
        })
        .expect(201)
    ).body.id as string;
    const khCase = (
      await tf['kh.officer']
        .post('/cases', { title: `KH case ${name}`, persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    await tf['kh.liaison']
      .post(`/cases/${khCase}/shares`, { countryCode: 'KR', handlingCode: 'CLEAR' })
      .expect(201);
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: `KR case ${name}`, persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    await tf['kr.liaison']
      .post(`/cases/${krCase}/shares`, { countryCode: 'MY', handlingCode: 'CLEAR' })
      .expect(201);
    return personId;
  };
  const khEdits = async (personId: string, name: string) => {
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: [{ full: name, script: 'latin', kind: 'primary' }],
        documents: [{ type: 'passport', number: 'N5605601', issuingCountry: 'KH' }],
      })
      .expect(200);
  };
  const khDraftsToMy = async (personId: string) =>
    (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(khMyFramework, {
            targetCountry: 'MY',
            subject: 'Who is this person?',
            questions: ['Known to you?'],
            identifiers: {},
            personIds: [personId],
          }),
        )
        .expect(201)
    ).body as { id: string; version: number };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    khMyFramework =
      (await tf.frameworkBetween('KH', 'MY')) ??
      (
        await (
          await signIn(t.server, 'platform.admin')
        )
          .post('/frameworks', {
            name: 'Cambodia–Malaysia body',
            members: ['KH', 'MY'],
            validFrom: '2026-01-01',
          })
          .expect(201)
      ).body.id;
  }, 120_000);
  afterAll(() => t?.close());

  it('control: MY, reading KH’s person only through KR’s case, keeps it as KR passed it on', async () => {
    const personId = await khPersonPassedOnByKr('SOK Control');
    await khEdits(personId, 'SOK ControlRenamed');
    const seen: Named = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(seen.names.map((n) => n.full)).toEqual(['SOK Control']);
    expect(JSON.stringify(seen.documents ?? [])).not.toContain('N5605601');
  });

  it('FINDING a: with KH’s draft to MY naming the person still unsent, MY reads none of KH’s later edit', async () => {
    const personId = await khPersonPassedOnByKr('SOK Drafted');
    await khDraftsToMy(personId);
    await khEdits(personId, 'SOK DraftedRenamed');
    const seen: Named = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(seen.names.map((n) => n.full)).toEqual(['SOK Drafted']);
    expect(JSON.stringify(seen.documents ?? [])).not.toContain('N5605601');
  });

  it('FINDING b: with KH’s draft to MY withdrawn before it was sent, MY reads none of KH’s later edit', async () => {
    const personId = await khPersonPassedOnByKr('SOK Withdrawn');
    const draft = await khDraftsToMy(personId);
    await tf['kh.officer']
      .post(`/information-requests/${draft.id}/withdraw`, { version: draft.version })
      .expect(200);
    await khEdits(personId, 'SOK WithdrawnRenamed');
    const seen: Named = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(seen.names.map((n) => n.full)).toEqual(['SOK Withdrawn']);
    expect(JSON.stringify(seen.documents ?? [])).not.toContain('N5605601');
  });
  it('once KH sends that request, MY reads the person live, as the request carries it', async () => {
    const personId = await khPersonPassedOnByKr('SOK Sent');
    const draft = await khDraftsToMy(personId);
    await khEdits(personId, 'SOK SentRenamed');
    const submitted = (
      await tf['kh.officer']
        .post(`/information-requests/${draft.id}/submit`, { version: draft.version })
        .expect(200)
    ).body;
    await tf['kh.liaison']
      .post(`/information-requests/${draft.id}/approve`, { version: submitted.version })
      .expect(200);
    const seen: Named = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(seen.names.map((n) => n.full)).toEqual(['SOK SentRenamed']);
    expect(JSON.stringify(seen.documents ?? [])).toContain('N5605601');
  });
});
