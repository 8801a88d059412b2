import type { SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld, myLeavesTheBody } from './r21-support';
import { aPdf, upload } from '../attachments/attachment-support';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';

/**
 * Probe r21: KR asks KH and MY through the multilateral body; MY then leaves the body. Nothing new
 * reaches the other side of a request once the framework it relies on has ended (a message is refused,
 * so are accept and fulfil), although KR and MY still share their bilateral MOU. A file is something
 * new too: neither side's upload may reach the other on MY's thread, and MY's list of files stays as it
 * was.
 */
describe('A thread whose framework ended takes no new file', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'my.liaison',
      'my.officer',
      PLATFORM_ADMIN_USERNAME,
    ]));
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number) =>
    as[who]!.post(`${base}/${id}/${action}`, { version }).expect(200);

  it('after MY leaves the body, neither KR nor MY puts a file on MY’s thread', async () => {
    const draft = (
      await as['kr.officer']!.post(base, aDraft(body, { targetCountry: 'KH', alsoTo: ['MY'] })).expect(201)
    ).body;
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', draft.id, 'approve', submitted.version)).body;
    const my = sent.recipients.find((r: { country: string }) => r.country === 'MY').requestId;
    const files = `${base}/${my}/attachments`;
    // MY accepts its thread while still a member, so it may attach its answer's files.
    const mine = (await as['my.liaison']!.get(`${base}/${my}`).expect(200)).body;
    await act('my.liaison', my, 'accept', mine.version);
    const before = (await as['my.liaison']!.get(files).expect(200)).body.items.length;

    await myLeavesTheBody(as, body);

    // The shared channel is closed (the existing rule)…
    const message = await as['kr.officer']!.post(`${base}/${my}/messages`, { body: 'One more thing.' });
    expect(message.status).toBe(409);
    // …and so is a file, from either side.
    const fromKr = await upload(t, as['kr.officer']!, files, aPdf(1500, 'kr-late'), 'late.pdf');
    const fromMy = await upload(t, as['my.officer']!, files, aPdf(1500, 'my-late'), 'late-answer.pdf');
    expect([fromKr.status, fromMy.status]).toEqual([409, 409]);
    expect([fromKr.body.detail, fromMy.body.detail]).toEqual([message.body.detail, expect.any(String)]);
    expect((await as['my.liaison']!.get(files).expect(200)).body.items).toHaveLength(before);
    expect((await as['kr.officer']!.get(files).expect(200)).body.items).toHaveLength(before);
  });
});
