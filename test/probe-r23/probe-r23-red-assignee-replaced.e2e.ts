import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { download, upload } from '../attachments/attachment-support';

/**
 * Probe r23: in the target country a RED request is read by its liaisons and the officer it is assigned
 * to. When KH's liaison assigns it to another officer, the first one is no longer a named recipient:
 * every path it had — the request, its list and search, history, messages, files (a ranged download
 * begun before), the person it names, "seen in" for its number, and its own statistics — must close at
 * once, and read as if it had never been assigned.
 */
describe('A RED request reassigned: the former assignee loses every path at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const phone = '+85512309988';
  const PATH = '/information-requests';
  const stats = async (who: SignedIn) => {
    const res = await who.get('/stats?from=2026-01-01T00:00:00Z&to=2027-12-31T00:00:00Z').expect(200);
    return res.body;
  };

  /** What `who` reads of the request `id`: a status per path, and the texts that answered 200. */
  async function pathsOf(who: SignedIn, id: string, personId: string, fileId: string) {
    const out: Record<string, number> = {};
    const texts: string[] = [];
    const read = async (name: string, res: { status: number; body: unknown }) => {
      out[name] = res.status;
      if (res.status < 300) texts.push(JSON.stringify(res.body));
    };
    await read('view', await who.get(`${PATH}/${id}`));
    await read('history', await who.get(`${PATH}/${id}/history`));
    await read('messages', await who.get(`${PATH}/${id}/messages`));
    await read('files', await who.get(`${PATH}/${id}/attachments`));
    await read('file', await who.get(`/attachments/${fileId}`));
    await read('content', await download(t, who, fileId, { Range: 'bytes=2-' }));
    await read('person', await who.get(`/persons/${personId}`));
    const list = await who.get(`${PATH}?limit=100`);
    const seen = await who.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`);
    texts.push(JSON.stringify(list.body), JSON.stringify(seen.body.items));
    return { out, texts: texts.join('\n') };
  }

  it('view, history, messages, files, person, list, seen-in and stats', async () => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'RED R23 SUBJECT', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const before = await stats(tf['kh.officer']);
    const given = givenIn(tf)
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .handledAs('RED')
      .about(person.id)
      .with({ identifiers: { phones: [phone] } });
    const draft = await given.drafted();
    const file = (
      await upload(
        t,
        tf['kr.officer'],
        `${PATH}/${draft.id}/attachments`,
        Buffer.from('red material r23'),
        'm.txt',
      ).expect(201)
    ).body;
    await given.assignedTo('kh.officer');
    const view = (await tf['kh.officer'].get(`${PATH}/${draft.id}`).expect(200)).body;
    await tf['kh.officer'].post(`${PATH}/${draft.id}/messages`, { body: 'Working on it (r23)' }).expect(201);

    const whileAssigned = await pathsOf(tf['kh.officer'], draft.id, person.id, file.id);
    expect(Object.values(whileAssigned.out).every((s) => s < 300)).toBe(true);
    expect(whileAssigned.texts).toContain(person.id);

    const current = (await tf['kh.liaison'].get(`${PATH}/${draft.id}`).expect(200)).body;
    await tf['kh.liaison']
      .post(`${PATH}/${draft.id}/assign`, {
        version: current.version,
        assigneeId: await tf.userId('kh.officer2'),
      })
      .expect(200);

    const after = await pathsOf(tf['kh.officer'], draft.id, person.id, file.id);
    expect(after.out).toEqual({
      view: 404,
      history: 404,
      messages: 404,
      files: 404,
      file: 404,
      content: 404,
      person: 404,
    });
    for (const secret of [draft.id, person.id, file.id, view.reference])
      expect(after.texts).not.toContain(secret);
    expect(await stats(tf['kh.officer'])).toEqual(before);
    // The new assignee reads it.
    await tf['kh.officer2'].get(`${PATH}/${draft.id}`).expect(200);
  });
});
