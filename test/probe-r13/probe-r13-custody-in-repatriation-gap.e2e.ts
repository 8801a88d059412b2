import { upload } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface CustodyStep {
  toStatus: string;
  reason: string | null;
  actorUsername: string | null;
}

/**
 * Probe (round 13): a custody step the arresting country took while the person's country could not
 * read the arrest is shown to it in full once a new repatriation request reaches it. KH arrests a Korean
 * national and sends KR a repatriation request: KR reads the arrest. KH withdraws the request: the
 * arrest is KH's own again (`repatriationUnderWay`, probe r7; KR's `GET /arrests/:id` is 404). KH then
 * changes its custody to `charged`, with a reason. Later KH sends KR a new repatriation request for the
 * same arrest. KR's `GET /arrests/:id/custody` lists the step taken in the gap with its reason and the
 * KH officer's username: src/arrests/arrests.service.ts `custodyHistory` shows the steps from
 * `arrestSeenSince`, which is the FIRST sending of any repatriation request for the arrest (a withdrawn
 * one included), and hides a step's reason and actor only when the step's `told` (the countries
 * cooperating when it was taken) lacks the reader — KR cooperated with KH all along, it just could not
 * read the arrest. A step taken while no framework joined the two reads "as of when cooperation resumed
 * (its status only: no reason, actor or request)"; the same gap made by a withdrawn request gives it all.
 * Likewise its files: one KH filed and withdrew in the gap is listed to KR with its name and withdrawal
 * reason (`attachmentDraftedAwaySql` drops such gap files for a case share, not for an arrest).
 * Fix: read a step taken while no repatriation request (nor share) opened the arrest to the reader as a
 * gap step (status only, as of the new arrival), e.g. by recording the readers in `told` or by comparing
 * the step's time with the arrest's open windows (`repatriationUnderWay`) for that reader.
 */
describe('Probe r13: custody changed while a repatriation was withdrawn is read in full on the next one', () => {
  let t: TestApp;
  let tf: TaskForce;
  let readInGap: number;
  let steps: CustodyStep[];
  let files: Array<{ id: string; filename: string; withdrawalReason: string | null }>;
  let gapFileId: string;
  const reason = 'Charged before the provincial court; the prosecutor asks to keep him here';

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const given = givenIn(tf);
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'LEE Gapstep', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
          },
        })
        .expect(201)
    ).body;
    const first = await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrest.id], subject: 'Repatriation, withdrawn' })
      .sent();
    await tf['kh.officer']
      .post(`/repatriation-requests/${first.id}/withdraw`, { version: first.version })
      .expect(200);
    readInGap = (await tf['kr.officer'].get(`/arrests/${arrest.id}`)).status;
    const current = (await tf['kh.officer'].get(`/arrests/${arrest.id}`).expect(200)).body;
    await tf['kh.officer']
      .post(`/arrests/${arrest.id}/custody`, { status: 'charged', reason, version: current.version })
      .expect(200);
    gapFileId = (
      await upload(
        t,
        tf['kh.officer'],
        `/arrests/${arrest.id}/attachments`,
        Buffer.from('Interview notes, first draft\n'),
        'interview-draft.txt',
      ).expect(201)
    ).body.id;
    await tf['kh.officer']
      .post(`/attachments/${gapFileId}/withdraw`, { reason: 'Draft filed on the wrong arrest' })
      .expect(200);
    await given
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [arrest.id], subject: 'Repatriation, asked again' })
      .sent();
    steps = (await tf['kr.officer'].get(`/arrests/${arrest.id}/custody`).expect(200)).body;
    files = (await tf['kr.officer'].get(`/arrests/${arrest.id}/attachments`).expect(200)).body.items;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR could not read the arrest while no repatriation request was under way', () => {
    expect(readInGap).toBe(404);
  });

  it('and does not read, later, why or by whom its custody changed then', () => {
    expect(steps.filter((s) => s.reason === reason)).toEqual([]);
    expect(steps.filter((s) => s.toStatus === 'charged' && s.actorUsername !== null)).toEqual([]);
  });

  it('nor a file filed and withdrawn then, as a case file filed and withdrawn while unshared is not', () => {
    expect(files.filter((f) => f.id === gapFileId)).toEqual([]);
  });
});
