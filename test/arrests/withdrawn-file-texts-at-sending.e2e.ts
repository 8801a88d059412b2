import { upload } from '../attachments/attachment-support';
import { personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A repatriation request the arresting country sends opens its arrests to the person's country, with
 * the files on them then; a file withdrawn before the sending is not among them, so its name and its
 * withdrawal reason are not weighed at the sending (`arrestFilesOnRequest`) — and must not be read. KH
 * gave KR a phone under AMBER; KR writes it into the name of a file on its arrest of a Malaysian, or into
 * the reason it withdrew a file for, withdraws the file, and asks MY to take the person back.
 */
describe('Repatriation: a file withdrawn before the sending never reaches the person’s country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const sendings: Record<string, { status: number; type?: string }> = {};
  const myReads: Record<string, { list: string[]; file: number }> = {};

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
    const kr = tf['kr.officer'];
    const arrestWithWithdrawnFile = async (name: string, filename: string, reason: string) => {
      const arrest = (
        await kr
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Busan',
            grounds: 'Online fraud',
            arrestingAgency: 'KNP',
            nationality: 'MY',
            person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['MY'] },
          })
          .expect(201)
      ).body.id as string;
      const file = (
        await upload(
          t,
          kr,
          `/arrests/${arrest}/attachments`,
          Buffer.from(`notes of ${name}`),
          filename,
        ).expect(201)
      ).body;
      await kr.post(`/attachments/${file.id}/withdraw`, { reason }).expect(200);
      return { arrest, file: file.id as string };
    };
    const send = async ({ arrest, file }: { arrest: string; file: string }, name: string) => {
      const draft = await givenIn(tf)
        .aRequest('repatriation')
        .from('KR')
        .sentTo('MY')
        .with({ arrestIds: [arrest], subject: 'Take him back' })
        .submitted();
      const res = await tf['kr.liaison'].post(`/repatriation-requests/${draft.id}/approve`, {
        version: draft.version,
      });
      const listed = await tf['my.officer'].get(`/arrests/${arrest}/attachments`);
      myReads[name] = {
        list: listed.status === 200 ? listed.body.items.map((f: { filename: string }) => f.filename) : [],
        file: (await tf['my.officer'].get(`/attachments/${file}`)).status,
      };
      return { status: res.status, type: res.body.type };
    };

    sendings.named = await send(
      await arrestWithWithdrawnFile('AZMAN Named', 'handler +85512000111.txt', 'Duplicate upload'),
      'named',
    );
    sendings.reason = await send(
      await arrestWithWithdrawnFile(
        'AZMAN Reason',
        'notes.txt',
        'Wrong handset, the right one is +85512000111',
      ),
      'reason',
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('sends each request (200): nothing of the withdrawn file goes with it', () => {
    expect(sendings).toEqual({ named: { status: 200 }, reason: { status: 200 } });
  });

  it('MY, reading the arrest, neither lists the withdrawn file nor opens it (404)', () => {
    expect(myReads).toEqual({ named: { list: [], file: 404 }, reason: { list: [], file: 404 } });
  });
});
