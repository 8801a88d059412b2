import { PLATFORM_ADMIN_USERNAME } from '../../src/seed/demo-data';
import type { SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';
import { download, upload } from '../attachments/attachment-support';
import { multilateralWorld, myLeavesTheBody } from '../probe-r21/r21-support';
import { inboxOf } from './r23-support';

/**
 * Probe r23: KH shares an arrest (with a file) with MY, which only the multilateral body joins to KH.
 * The share raises a correlation alert for MY's lead officer (MY's case holds the arrested person's
 * phone). Then MY leaves the body: the arrest share ends with it (README, "Who sees an arrest"), and
 * every path MY had to the arrest must close at once — view, list, custody, files (a ranged download
 * begun before), the alert in the inbox, and the arrest's events in MY's auditors' trail. The person
 * itself, once given, stays given (documented), so it is not asked here.
 */
describe('An arrest share ends with the framework on every path', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  const phone = '+85512309977';
  const EVIDENCE = Buffer.from('arrest report, plain text, r23');
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld([
      'kh.officer',
      'kh.liaison',
      'my.officer',
      'my.auditor',
      PLATFORM_ADMIN_USERNAME,
    ]));
  });
  afterAll(() => t?.close());

  it('view, list, custody, files, inbox and audit trail close when MY leaves', async () => {
    const my = as['my.officer']!;
    const myPerson = (
      await my
        .post('/persons', {
          names: [{ full: 'MY HOLDER R23', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    await my
      .post('/cases', { title: 'MY scam line', persons: [{ personId: myPerson.id, role: 'suspect' }] })
      .expect(201);

    const kh = as['kh.officer']!;
    let arrest = (
      await kh
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Bavet compound r23',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'MY',
          person: {
            names: [{ full: 'TAN R23 ARRESTED', script: 'latin', kind: 'primary' }],
            nationalities: ['MY'],
            phones: [phone],
          },
        })
        .expect(201)
    ).body;
    const file = (
      await upload(t, kh, `/arrests/${arrest.id}/attachments`, EVIDENCE, 'report.txt').expect(201)
    ).body;
    await as['kh.liaison']!.post(`/arrests/${arrest.id}/shares`, {
      countryCode: 'MY',
      handlingCode: 'GREEN',
    }).expect(200);

    await my.get(`/arrests/${arrest.id}`).expect(200);
    await download(t, my, file.id, { Range: 'bytes=0-5' }).expect(206);
    const [alert] = (await inboxOf(my, 'identifier.correlation')).filter((n) => n.recordId === arrest.id);
    expect(alert).toBeDefined();
    const trailBefore = (
      await as['my.auditor']!.get(`/audit-events/timeline?recordType=arrest&recordId=${arrest.id}`).expect(
        200,
      )
    ).body;
    expect(JSON.stringify(trailBefore)).toContain('arrest.share');

    await myLeavesTheBody(as, body);
    // KH goes on: a custody step after the end.
    arrest = (await kh.get(`/arrests/${arrest.id}`).expect(200)).body;
    await kh
      .post(`/arrests/${arrest.id}/custody`, {
        status: 'charged',
        reason: 'Charged r23',
        version: arrest.version,
      })
      .expect(200);

    await my.get(`/arrests/${arrest.id}`).expect(404);
    expect(JSON.stringify((await my.get('/arrests?limit=100').expect(200)).body)).not.toContain(arrest.id);
    await my.get(`/arrests/${arrest.id}/custody`).expect(404);
    await my.get(`/arrests/${arrest.id}/attachments`).expect(404);
    await my.get(`/attachments/${file.id}`).expect(404);
    await download(t, my, file.id, { Range: 'bytes=6-' }).expect(404);
    expect((await inboxOf(my, 'identifier.correlation')).filter((n) => n.recordId === arrest.id)).toEqual([]);
    await my.post(`/notifications/${alert!.id}/read`).expect(404);
    const trail = (
      await as['my.auditor']!.get(`/audit-events/timeline?recordType=arrest&recordId=${arrest.id}`).expect(
        200,
      )
    ).body;
    expect(JSON.stringify(trail)).not.toContain('Charged r23');
    expect(JSON.stringify(trail)).not.toContain('arrest.custody');
    const list = (await as['my.auditor']!.get(`/audit-events?recordId=${arrest.id}&limit=100`).expect(200))
      .body;
    expect(JSON.stringify(list)).not.toContain('arrest.custody');
  });
});
