import type { SignedIn } from '../support/http';
import { threeSuspects } from '../support/blacklist-scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld, myLeavesTheBody } from './r21-support';
import { aPdf, upload } from '../attachments/attachment-support';
import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';

/**
 * Probe r21: the blacklist list KR sent KH and MY through the multilateral body is still open when MY
 * leaves the body. KR may attach files to its entries while the proposal is open, but a file is
 * something new for MY: after the framework the proposal relies on ended for MY, none reaches MY's
 * entries (as `probe-r21-file-after-leaving` for a request's thread).
 */
describe('A blacklist entry whose proposal’s framework ended takes no new file', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kr.officer',
      'kr.liaison',
      'my.liaison',
      PLATFORM_ADMIN_USERNAME,
    ]));
  });
  afterAll(() => t?.close());

  it('after MY leaves the body, KR puts no file on MY’s entry', async () => {
    const list = { ...threeSuspects(body), alsoTo: ['MY'] };
    const proposal = (await as['kr.officer']!.post('/blacklist-entries/batch', list).expect(201)).body;
    const submitted = (
      await as['kr.officer']!.post(`/blacklist-proposals/${proposal.id}/submit`, {
        version: proposal.version,
      }).expect(200)
    ).body;
    await as['kr.liaison']!.post(`/blacklist-proposals/${proposal.id}/approve`, {
      version: submitted.version,
    }).expect(200);
    const myProposal = proposal.recipients.find((r: { country: string }) => r.country === 'MY').requestId;
    const entries = (
      await as['my.liaison']!.get(`/blacklist-entries?proposalId=${myProposal}&limit=200`).expect(200)
    ).body.items as Array<{ id: string }>;
    const files = `/blacklist-entries/${entries[0]!.id}/attachments`;
    // While MY is a member, KR may attach to the open proposal's entry.
    await upload(t, as['kr.officer']!, files, aPdf(1500, 'scan-1'), 'passport-scan.pdf').expect(201);
    const before = (await as['my.liaison']!.get(files).expect(200)).body.items.length;

    await myLeavesTheBody(as, body);

    const late = await upload(t, as['kr.officer']!, files, aPdf(1500, 'scan-2'), 'photo.pdf');
    expect([late.status, late.body.code ?? late.body.type]).toEqual([
      409,
      expect.stringMatching(/no-active-framework/),
    ]);
    expect((await as['my.liaison']!.get(files).expect(200)).body.items).toHaveLength(before);
  });
});
