import type { SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld, myLeavesTheBody } from '../probe-r21/r21-support';
import { aPdf, upload } from '../attachments/attachment-support';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';

/**
 * Probe r49, lead 4 (left open by probe r21): KR asks KH and MY through the multilateral body under
 * GREEN, one file on the dispatch; KH answers with a phone of its own. While all three are members KR
 * may pass that GREEN phone to MY; once MY leaves the body no framework joins KH and MY, so it may not.
 * A withdrawal of the file on MY's thread, and of MY's thread itself, are retractions the ended
 * framework still allows: the file's reason is read by MY, and a KH number in it is refused; the
 * thread's withdrawal comment is the origin's own note, which MY never reads.
 */
describe('Probe r49: reasons written on a thread whose framework ended are weighed', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  const KH_PHONE = '+85597440044';
  let my: string;
  let myFile: string;
  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${base}/${id}/${action}`, { version, ...extra });
  const viewOf = async (who: string, id: string) => (await as[who]!.get(`${base}/${id}`).expect(200)).body;

  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'kh.liaison',
      'my.liaison',
      PLATFORM_ADMIN_USERNAME,
    ]));
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'], handlingCode: 'GREEN' }),
      ).expect(201)
    ).body;
    await upload(
      t,
      as['kr.officer']!,
      `${base}/${draft.id}/attachments`,
      aPdf(1700, 'r49-ledger'),
      'ledger.pdf',
    ).expect(201);
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version).expect(200)).body;
    const sent = (await act('kr.liaison', draft.id, 'approve', submitted.version).expect(200)).body;
    const kh = sent.recipients.find((r: { country: string }) => r.country === 'KH').requestId;
    my = sent.recipients.find((r: { country: string }) => r.country === 'MY').requestId;
    const accepted = (
      await act('kh.liaison', kh, 'accept', (await viewOf('kh.liaison', kh)).version).expect(200)
    ).body;
    await act('kh.liaison', kh, 'fulfil', accepted.version, {
      findings: { summary: `The desk phone is ${KH_PHONE}, a nominee's SIM.` },
    }).expect(200);
    myFile = (await as['my.liaison']!.get(`${base}/${my}/attachments`).expect(200)).body.items[0].id;
    await myLeavesTheBody(as, body);
  }, 120_000);
  afterAll(() => t?.close());

  it('withdrawing the file on MY’s thread with KH’s GREEN phone in the reason is refused; MY reads no such reason', async () => {
    const refused = await as['kr.officer']!.post(`/attachments/${myFile}/withdraw`, {
      reason: `Superseded: the desk answers on ${KH_PHONE}`,
    });
    expect(refused.status).toBe(409);
    const files = await as['my.liaison']!.get(`${base}/${my}/attachments`);
    expect(JSON.stringify(files.body)).not.toContain('97440044');
    // KR's own words still go.
    await as['kr.officer']!.post(`/attachments/${myFile}/withdraw`, { reason: 'Superseded' }).expect(200);
  });

  it('withdrawing MY’s thread: the comment (KH’s phone in it) is KR’s own note; MY reads nothing of it', async () => {
    await act('kr.officer', my, 'withdraw', (await viewOf('kr.officer', my)).version, {
      comment: `KH already told us the desk is ${KH_PHONE}`,
    }).expect(200);
    expect((await viewOf('my.liaison', my)).status).toBe('withdrawn');
    const seen = JSON.stringify([
      await viewOf('my.liaison', my),
      (await as['my.liaison']!.get(`${base}/${my}/history`).expect(200)).body,
      (await as['my.liaison']!.get('/notifications?limit=200').expect(200)).body,
    ]);
    expect(seen).not.toContain('97440044');
    expect(seen).not.toContain('KH already told us');
  });
});
