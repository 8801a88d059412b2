import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aPdf, upload } from '../attachments/attachment-support';
import { signIn, SignedIn } from '../support/http';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { frameworkId, personKhGaveKr } from './support';

/**
 * When the framework between two countries ends, what was given stays given and nothing more goes:
 * the receiving country keeps the person as it stood, and the owner's later edits and files reach
 * only the countries it still cooperates with (issue 15, the limit left open in the last round).
 */
describe('A framework ends: the receiver keeps what it got, and gets nothing more', () => {
  let t: TestApp;
  let tf: TaskForce;
  let admin: SignedIn;
  let krMy: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ended-cooperation-'));
    t = await createTestApp({}, { DATA_DIR: dataDir });
    tf = await taskForce(t);
    admin = await signIn(t.server, 'platform.admin');
    krMy = await frameworkId(t, 'Korea–Malaysia');
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const name = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
  const setActive = (framework: string, active: boolean) =>
    admin.patch(`/frameworks/${framework}`, { active }).expect(200);
  const passport = (number: string) => [{ type: 'passport', number, issuingCountry: 'KH' }];

  it('KH gave KR a person; after the Cambodia–Korea framework ends, KH’s edits and files do not reach KR, and KR keeps what it got', async () => {
    const personId = await personKhGaveKr(tf, 'GREEN', 'CHEA Sokha', { documents: passport('N7700111') });
    const given = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(given.keptSince).toBeNull();
    await setActive(tf.cambodiaKoreaFramework, false);
    try {
      const before = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
      await tf['kh.officer']
        .patch(`/persons/${personId}`, {
          names: name('CHEA Sokha (alias TIGER)'),
          documents: passport('N9900222'),
          notes: 'Moved to the Bavet compound',
          version: before.version,
        })
        .expect(200);
      await upload(
        t,
        tf['kh.officer'],
        `/persons/${personId}/attachments`,
        aPdf(9_000, 'after-end'),
        'late.pdf',
      ).expect(201);

      // KR reads the person as it stood when the framework ended (not when the copy was taken: probe r4).
      const read = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
      expect(read).toMatchObject({
        names: given.names,
        documents: given.documents,
        notes: given.notes,
        version: given.version,
        updatedAt: given.updatedAt,
      });
      expect(read.keptSince).toBeNull();
      // Searching by what KH wrote after the end finds nothing; by what KR got, the person.
      const ids = async (query: string) =>
        (await tf['kr.officer'].get(`/persons?${query}`).expect(200)).body.items.map(
          (p: { id: string }) => p.id,
        );
      expect(await ids('document=N9900222')).not.toContain(personId);
      expect(await ids(`name=${encodeURIComponent('TIGER')}`)).not.toContain(personId);
      expect(await ids('document=N7700111')).toContain(personId);
      expect((await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items).toEqual(
        [],
      );
      // KH itself reads its live record, and its auditors see that KR keeps a copy.
      expect((await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body.notes).toBe(
        'Moved to the Bavet compound',
      );
      const kept = (
        await tf['kh.auditor'].get(`/audit-events?action=person.kept_copy&recordId=${personId}`).expect(200)
      ).body.items;
      expect(kept).toHaveLength(1);
      expect(kept[0].details).toMatchObject({ keptFor: ['KR'] });
    } finally {
      await setActive(tf.cambodiaKoreaFramework, true);
    }

    // Cooperation resumed: KH's next edit reaches KR again, and KR reads the live person.
    const current = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, { names: current.names, notes: 'Arrested', version: current.version })
      .expect(200);
    const live = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    expect(live).toMatchObject({ notes: 'Arrested', keptSince: null });
  });

  it('the files of a person KR keeps a copy of read as they were: no later withdrawal, no later version', async () => {
    const personId = await personKhGaveKr(tf, 'GREEN', 'KEO Ratana', {});
    const file = (bytes: Buffer, filename: string) =>
      upload(t, tf['kh.officer'], `/persons/${personId}/attachments`, bytes, filename);
    const photo = (await file(aPdf(6_000, 'photo'), 'photo.pdf').expect(201)).body;
    const statement = (await file(aPdf(6_000, 'statement'), 'statement.pdf').expect(201)).body;
    await setActive(tf.cambodiaKoreaFramework, false);
    try {
      const before = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
      await tf['kh.officer']
        .patch(`/persons/${personId}`, { names: before.names, notes: 'Left for Bavet', version: before.version })
        .expect(200);
      await tf['kh.officer'].post(`/attachments/${photo.id}/withdraw`, { reason: 'Wrong person' }).expect(200);
      await file(aPdf(6_000, 'statement-v2'), 'statement-v2.pdf').set('X-Supersedes', statement.id).expect(201);

      const read = async (id: string) => (await tf['kr.officer'].get(`/attachments/${id}`).expect(200)).body;
      expect(await read(photo.id)).toMatchObject({ status: 'active', withdrawnAt: null, withdrawalReason: null });
      expect(await read(statement.id)).toMatchObject({ status: 'active', supersededBy: null });
      const listed = (await tf['kr.officer'].get(`/persons/${personId}/attachments`).expect(200)).body.items;
      expect(listed.map((a: { id: string; status: string }) => [a.id, a.status]).sort()).toEqual(
        [
          [photo.id, 'active'],
          [statement.id, 'active'],
        ].sort(),
      );
      // KH reads its live files.
      expect((await tf['kh.officer'].get(`/attachments/${photo.id}`).expect(200)).body.status).toBe('withdrawn');
      expect((await tf['kh.officer'].get(`/attachments/${statement.id}`).expect(200)).body.status).toBe(
        'superseded',
      );
    } finally {
      await setActive(tf.cambodiaKoreaFramework, true);
    }
  });

  it('a KR person in a case and an arrest shared with MY: after the Korea–Malaysia framework ends, MY reads the person as it stood, and the arrest share ends', async () => {
    const person = (
      await tf['kr.officer']
        .post('/persons', { names: name('YOON Taesik'), nationalities: ['KR'] })
        .expect(201)
    ).body;
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: 'Shared with MY', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
    const arrest = (
      await tf['kr.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-01T02:30:00Z',
          place: 'Incheon',
          grounds: 'Online fraud',
          arrestingAgency: 'KNP',
          nationality: 'KR',
          personId: person.id,
        })
        .expect(201)
    ).body;
    await tf['kr.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'MY' }).expect(200);
    await tf['my.officer'].get(`/arrests/${arrest.id}`).expect(200);
    await setActive(krMy, false);
    try {
      await tf['kr.officer']
        .patch(`/persons/${person.id}`, { names: name('YOON Taesik (informant)'), version: person.version })
        .expect(200);
      expect((await tf['my.officer'].get(`/persons/${person.id}`).expect(200)).body.names).toEqual(
        name('YOON Taesik'),
      );
      // An arrest share cannot be revoked and its custody changes keep coming: it ends with the framework.
      await tf['my.officer'].get(`/arrests/${arrest.id}`).expect(404);
      expect((await tf['my.officer'].get(`/arrests?personId=${person.id}`).expect(200)).body.items).toEqual(
        [],
      );
      // Nothing new goes through the old share: a person linked into the case, a file on it.
      const newcomer = (await tf['kr.officer'].post('/persons', { names: name('SEO Minji') }).expect(201))
        .body;
      const linked = await tf['kr.officer']
        .post(`/cases/${kase.id}/persons`, { persons: [{ personId: newcomer.id, role: 'suspect' }] })
        .expect(409);
      expect(linked.body).toMatchObject({ type: expect.stringContaining('no-active-framework') });
      const filed = await upload(
        t,
        tf['kr.officer'],
        `/cases/${kase.id}/attachments`,
        aPdf(7_000, 'late'),
        'x.pdf',
      );
      expect(filed.status).toBe(409);
      expect((await tf['my.officer'].get(`/cases/${kase.id}`).expect(200)).body.persons).toHaveLength(1);
      expect((await tf['my.officer'].get(`/cases/${kase.id}/attachments`).expect(200)).body.items).toEqual(
        [],
      );
      await tf['my.officer'].get(`/persons/${newcomer.id}`).expect(404);
      // Nor an edit of the case MY reads: revoke the share, or renew the framework (probe, third round).
      const edited = await tf['kr.officer']
        .patch(`/cases/${kase.id}`, { title: 'New title after the end', version: kase.version })
        .expect(409);
      expect(edited.body.type).toContain('no-active-framework');
      expect((await tf['my.officer'].get(`/cases/${kase.id}`).expect(200)).body.title).toBe('Shared with MY');
      expect((await tf['kr.officer'].get(`/arrests/${arrest.id}`).expect(200)).body.person.names).toEqual(
        name('YOON Taesik (informant)'),
      );
    } finally {
      await setActive(krMy, true);
    }
  });

  it('a request open when its framework ended carries nothing more: no message, no answer, no accept; it can still be withdrawn (probe, fourth round)', async () => {
    const sent = await givenIn(tf).anInformationRequest().from('KR').sentTo('MY').under(krMy).sent();
    await setActive(krMy, false);
    try {
      const message = await tf['kr.officer']
        .post(`/information-requests/${sent.id}/messages`, { body: 'Any news on the compound?' })
        .expect(409);
      expect(message.body.type).toContain('no-active-framework');
      await tf['my.liaison']
        .post(`/information-requests/${sent.id}/accept`, { version: sent.version })
        .expect(409);
      // The buttons a client draws say the same: MY may only reject, KR only withdraw.
      const actions = async (who: SignedIn) =>
        (await who.get(`/information-requests/${sent.id}`).expect(200)).body.allowedActions as string[];
      expect(await actions(tf['my.liaison'])).toEqual(['reject']);
      expect(await actions(tf['kr.liaison'])).toEqual(['withdraw']);
      expect(
        (await tf['my.officer'].get(`/information-requests/${sent.id}/messages`).expect(200)).body,
      ).toEqual([]);
      await tf['kr.officer']
        .post(`/information-requests/${sent.id}/withdraw`, { version: sent.version })
        .expect(200);
    } finally {
      await setActive(krMy, true);
    }
  });
});
