import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, upload } from '../../attachments/attachment-support';
import { aDraft, taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

/**
 * Probe (partner): KR owns a person and shares it with KH (CLEAR). KH links it into a case of its own and
 * shares that case with MY: KH's record, KH's decision, which KR never reads. KH also sends KR a phone
 * number under AMBER. When KR writes that number into its own person, the edit is weighed for every
 * country the person went to — including MY, reached only through KH's case — and the refusal tells KR
 * that the person sits with MY.
 */
describe('Probe (partner): an owner’s edit does not reveal where a partner passed the person on', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let khCaseId: string;
  let dataDir: string;
  const phone = '+85511223344';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'probe-onward-'));
    t = await createTestApp({}, { DATA_DIR: dataDir }, 'demo');
    tf = await taskForce(t);
    personId = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'KANG Probe', script: 'latin', kind: 'primary' }],
          nationalities: ['KR'],
        })
        .expect(201)
    ).body.id;
    const krCase = (
      await tf['kr.officer']
        .post('/cases', { title: 'KR case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison']
      .post(`/cases/${krCase.id}/shares`, { countryCode: 'KH', handlingCode: 'CLEAR' })
      .expect(201);

    // KH's own case with the KR person, shared by KH with MY (multilateral body).
    khCaseId = (
      await tf['kh.officer']
        .post('/cases', { title: 'KH case', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id;
    const onward = await tf['kh.liaison'].post(`/cases/${khCaseId}/shares`, {
      countryCode: 'MY',
      handlingCode: 'GREEN',
    });
    expect({ status: onward.status, body: onward.status === 201 ? null : onward.body }).toEqual({
      status: 201,
      body: null,
    });

    // KH sends KR a phone number under AMBER.
    const draft = (
      await tf['kh.officer']
        .post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, {
            targetCountry: 'KR',
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
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('KR’s edit of its own person answers without naming MY, and KR’s auditor reads nothing of KH’s case', async () => {
    const current = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    const edit = await tf['kr.officer'].patch(`/persons/${personId}`, {
      version: current.version,
      names: [{ full: 'KANG Probe', script: 'latin', kind: 'primary' }],
      nationalities: ['KR'],
      phones: [phone],
    });
    const events = JSON.stringify((await tf['kr.auditor'].get('/audit-events?limit=200').expect(200)).body);
    // KR may be refused for a number KH gave it (AMBER), but only in words KR already knows: the
    // person went to KH (KR shared it), never that it went on to MY through KH's own case.
    expect({
      detail: edit.body.detail ?? null,
      errors: JSON.stringify(edit.body.errors ?? null),
      auditorSeesKhCase: events.includes(khCaseId),
    }).toEqual({
      detail: expect.not.stringContaining('MY'),
      errors: expect.not.stringContaining('MY'),
      auditorSeesKhCase: false,
    });
  });

  it('the edit succeeds: it is weighed for KH only (KR’s own link), and KH’s phone going back to KH is allowed', async () => {
    const current = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(current.phones).toEqual(expect.arrayContaining([expect.stringContaining('11223344')]));
  });

  it('MY, which got the person only through KH’s case, reads it as KH released it: not KR’s later phone', async () => {
    const seen = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(JSON.stringify(seen.phones ?? [])).not.toContain('11223344');
    // Not told that it reads a copy, nor when it was taken: that is when KR edited (adjacent-onward-kept-since).
    expect(seen.keptSince).toBeNull();
  });

  it('a file KR adds to its person later goes to KH, not through KH’s case to MY; nothing of MY in KR’s audit', async () => {
    const file = await upload(
      t,
      tf['kr.officer'],
      `/persons/${personId}/attachments`,
      aPdf(4_000, `onward-${randomUUID()}`),
      'kr.pdf',
    );
    expect(file.status).toBe(201);
    const mine = (await tf['kh.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
    expect(mine.map((a: { id: string }) => a.id)).toContain(file.body.id);
    const my = await tf['my.officer'].get(`/persons/${personId}/attachments`);
    expect(JSON.stringify(my.body)).not.toContain(file.body.id);
    await tf['my.officer'].get(`/attachments/${file.body.id}`).expect(404);
    const events = (await tf['kr.auditor'].get('/audit-events?limit=200').expect(200)).body.items as Array<{
      action: string;
      details: unknown;
    }>;
    const aboutTheEdit = events.filter((e) => ['person.kept_copy', 'release.refused'].includes(e.action));
    expect(JSON.stringify(aboutTheEdit)).not.toContain('"MY"');
  });

  it('the onward copy holds when the owner edits again, and KR is still never refused for MY', async () => {
    const current = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    const edit = await tf['kr.officer'].patch(`/persons/${personId}`, {
      version: current.version,
      names: [{ full: 'KANG Probe', script: 'latin', kind: 'primary' }],
      nationalities: ['KR'],
      phones: [phone],
      notes: 'second edit',
    });
    expect(edit.status).toBe(200);
    const seen = (await tf['my.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(seen.notes ?? null).not.toBe('second edit');
  });
});
