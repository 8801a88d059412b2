import request from 'supertest';
import { aPdf } from '../attachments/attachment-support';
import { givenIn } from '../support/given';
import { signIn, SignedIn } from '../support/http';
import type { TaskForce } from '../support/scenario';
import { HEAVY_TEST_TIMEOUT_MS } from '../support/timeouts';
import type { TestApp } from '../support/test-app';
import { Replicas, sharedDesk, tells, through } from './r35-support';

/**
 * Probe r35: a record taken out of a partner's (or a colleague's) sight through replica A, read at once
 * through replica B on every GET route that could still name it. Nothing of a record's visibility
 * lives in a process (the scopes are SQL on every request, the reader's roles and country come from
 * the per-request user look-up), so B must answer exactly as A does, and not as it did a moment before.
 *
 * Each scenario: B's answers before the change (the control: they name the record), the change through
 * A, B's answers (all sent at once, right after A answered), then A's. Each answer is reduced to its
 * status and whether it names the record's id (`tells`).
 */
describe('Probe r35: record access changed through A, read through B at once', () => {
  let t: TestApp;
  let tf: TaskForce;
  let r: Replicas;

  beforeAll(async () => {
    ({ t, tf, r } = await sharedDesk());
  }, HEAVY_TEST_TIMEOUT_MS);

  /** Uploads through A (whose DATA_DIR B shares), as the test app's own files are not on the replicas' disk. */
  const attach = async (who: SignedIn, path: string, name: string): Promise<string> => {
    const res = await request(r.a.url)
      .post(`/api/v1${path}`)
      .set('Authorization', `Bearer ${who.tokens.accessToken}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-Filename', encodeURIComponent(name))
      .send(aPdf(2000, name));
    if (res.status !== 201) throw new Error(`upload ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };

  /** One GET: who asks, the path, the record id it must (before) or must not (after) name. */
  type Probe = [who: SignedIn, path: string, id: string];
  type Reading = Record<string, string>;
  const label = ([who, path]: Probe) => `${who.username} ${path}`;

  /**
   * Reads every probe through B, runs `change` through A, reads every probe through B at once (all
   * sent together, right after A answered), then through A.
   */
  async function acrossReplicas(
    probes: Probe[],
    change: () => Promise<void>,
  ): Promise<{ before: Reading; afterOnB: Reading; afterOnA: Reading }> {
    const read = async (replica: 'a' | 'b') => {
      const answers = await Promise.all(probes.map(([who, path, id]) => tells(through(r[replica], who), path, id)));
      return Object.fromEntries(probes.map((p, i) => [label(p), answers[i]!]));
    };
    const before = await read('b');
    await change();
    const afterOnB = await read('b');
    const afterOnA = await read('a');
    return { before, afterOnB, afterOnA };
  }

  /** `[probe, before, after]` rows as the two expected readings. */
  const expected = (rows: Array<[Probe, string, string]>) => ({
    before: Object.fromEntries(rows.map(([p, before]) => [label(p), before])),
    after: Object.fromEntries(rows.map(([p, , after]) => [label(p), after])),
  });

  const phone = (n: number) => `+8551277${String(n).padStart(4, '0')}`;
  const seenIn = (n: number) => `/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone(n))}`;
  const NAMED = '200 names it';
  const GONE = '404 silent';
  const UNLISTED = '200 silent';

  it('a case share revoked through A: at once, B answers KR’s officer and auditor as A does, on every route that named the case, its file or its person', async () => {
    const personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Revoked', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: [phone(1)],
        })
        .expect(201)
    ).body.id as string;
    const caseId = (
      await tf['kh.officer']
        .post('/cases', { title: 'Compound raid r35', persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body.id as string;
    const fileId = await attach(tf['kh.officer'], `/cases/${caseId}/attachments`, 'raid-plan.pdf');
    await tf['kh.liaison'].post(`/cases/${caseId}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' }).expect(201);
    const officer = tf['kr.officer'];
    const auditor = tf['kr.auditor'];
    const rows: Array<[Probe, string, string]> = [
      [[officer, `/cases/${caseId}`, caseId], NAMED, GONE],
      [[officer, '/cases?limit=200', caseId], NAMED, UNLISTED],
      [[officer, `/cases/${caseId}/attachments`, fileId], NAMED, GONE],
      [[officer, `/cases/${caseId}/bundle`, caseId], '200 silent', GONE],
      [[officer, `/attachments/${fileId}`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}/content`, fileId], '200 silent', GONE],
      [[officer, `/persons/${personId}`, personId], NAMED, GONE],
      [[officer, '/persons?limit=200', personId], NAMED, UNLISTED],
      [[officer, `/persons/${personId}/attachments`, personId], '200 silent', GONE],
      [[officer, seenIn(1), personId], NAMED, UNLISTED],
      [[auditor, `/cases/${caseId}`, caseId], NAMED, GONE],
      // What concerns KR stays KR's to read, on both replicas: the share and its revocation, its own
      // users' reads and refusals. KH's own events on the case (its creation, the upload) are not in it.
      [[auditor, `/audit-events?recordType=case&recordId=${caseId}`, caseId], NAMED, NAMED],
      [[auditor, `/audit-events/timeline?recordType=case&recordId=${caseId}`, caseId], NAMED, NAMED],
    ];
    const seen = await acrossReplicas(
      rows.map(([p]) => p),
      async () => {
        await through(r.a, tf['kh.liaison']).delete(`/cases/${caseId}/shares/KR`).expect(200);
      },
    );
    const want = expected(rows);
    expect(seen.before).toEqual(want.before);
    expect(seen.afterOnB).toEqual(seen.afterOnA);
    expect(seen.afterOnB).toEqual(want.after);
    // The case's events KR's auditor reads after the revocation, but for its own users' reads and
    // refusals: the same on both replicas, and none of KH's own (the case's creation, the upload).
    const events = async (replica: 'a' | 'b') =>
      (
        (await through(r[replica], auditor).get(`/audit-events?recordType=case&recordId=${caseId}&limit=200`).expect(200))
          .body.items as Array<{ action: string }>
      )
        .map((e) => e.action)
        .filter((a) => a !== 'audit.read' && a !== 'access.denied')
        .sort();
    expect(await events('b')).toEqual(['case.bundle.export', 'case.share', 'case.share.revoke']);
    expect(await events('a')).toEqual(await events('b'));
  });

  it('a repatriation request withdrawn through A: at once, B no longer opens KH’s arrest, its custody or its file to KR', async () => {
    const arrest = (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-03-03T02:30:00Z',
          place: 'Sihanoukville',
          grounds: 'Online fraud',
          arrestingAgency: 'GDNP',
          nationality: 'KR',
          person: {
            names: [{ full: 'KIM Withdrawn', script: 'latin', kind: 'primary' }],
            nationalities: ['KR'],
            phones: [phone(2)],
          },
        })
        .expect(201)
    ).body as { id: string; person: { id: string } };
    const personId = arrest.person.id;
    const fileId = await attach(tf['kh.officer'], `/arrests/${arrest.id}/attachments`, 'arrest-report.pdf');
    const sent = await givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ arrestIds: [arrest.id], subject: 'Repatriation r35' })
      .sent();
    const officer = tf['kr.officer'];
    const rows: Array<[Probe, string, string]> = [
      [[officer, `/arrests/${arrest.id}`, arrest.id], NAMED, GONE],
      [[officer, '/arrests?limit=200', arrest.id], NAMED, UNLISTED],
      [[officer, `/arrests/${arrest.id}/custody`, arrest.id], '200 silent', GONE],
      [[officer, `/arrests/${arrest.id}/attachments`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}/content`, fileId], '200 silent', GONE],
      [[officer, `/repatriation-requests/${sent.id}`, arrest.id], NAMED, NAMED],
      [[officer, `/persons/${personId}`, personId], NAMED, NAMED],
      [[officer, seenIn(2), personId], NAMED, NAMED],
    ];
    const seen = await acrossReplicas(
      rows.map(([p]) => p),
      async () => {
        await through(r.a, tf['kh.liaison'])
          .post(`/repatriation-requests/${sent.id}/withdraw`, { version: sent.version })
          .expect(200);
      },
    );
    const want = expected(rows);
    expect(seen.before).toEqual(want.before);
    expect(seen.afterOnB).toEqual(seen.afterOnA);
    expect(seen.afterOnB).toEqual(want.after);
  });

  it('a RED request reassigned through A: at once, B shows the officer who had it neither the request, its file nor its person', async () => {
    const personId = (
      await tf['kh.officer']
        .post('/persons', {
          names: [{ full: 'SOK Reassigned', script: 'latin', kind: 'primary' }],
          nationalities: ['KH'],
          phones: [phone(3)],
        })
        .expect(201)
    ).body.id as string;
    const builder = givenIn(tf).anInformationRequest().from('KH').sentTo('KR').handledAs('RED').about(personId);
    const draft = await builder.drafted();
    const fileId = await attach(tf['kh.officer'], `/information-requests/${draft.id}/attachments`, 'red-brief.pdf');
    const assigned = await builder.assignedTo('kr.officer');
    await tf['kr.officer'].post(`/information-requests/${assigned.id}/messages`, { body: 'On it' }).expect(201);
    const officer = tf['kr.officer'];
    const rows: Array<[Probe, string, string]> = [
      [[officer, `/information-requests/${draft.id}`, draft.id], NAMED, GONE],
      [[officer, '/information-requests?limit=200', draft.id], NAMED, UNLISTED],
      [[officer, `/information-requests/${draft.id}/history`, draft.id], '200 silent', GONE],
      [[officer, `/information-requests/${draft.id}/messages`, draft.id], '200 silent', GONE],
      [[officer, `/information-requests/${draft.id}/attachments`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}/content`, fileId], '200 silent', GONE],
      [[officer, `/persons/${personId}`, personId], NAMED, GONE],
      [[officer, '/persons?limit=200', personId], NAMED, UNLISTED],
      [[officer, seenIn(3), personId], NAMED, UNLISTED],
      [[officer, '/stats', draft.id], '200 silent', '200 silent'],
    ];
    const seen = await acrossReplicas(
      rows.map(([p]) => p),
      async () => {
        await through(r.a, tf['kr.liaison'])
          .post(`/information-requests/${assigned.id}/assign`, {
            version: assigned.version,
            assigneeId: await tf.userId('kr.officer2'),
          })
          .expect(200);
      },
    );
    const want = expected(rows);
    expect(seen.before).toEqual(want.before);
    expect(seen.afterOnB).toEqual(seen.afterOnA);
    expect(seen.afterOnB).toEqual(want.after);
  });

  it('a framework suspended through A: at once, B no longer shows KR the arrest MY shared under it', async () => {
    const arrest = (
      await tf['my.officer']
        .post('/arrests', {
          arrestedAt: '2026-05-03T02:30:00Z',
          place: 'Johor Bahru',
          grounds: 'Online fraud',
          arrestingAgency: 'Royal Malaysia Police',
          nationality: 'MY',
          person: {
            names: [{ full: 'TAN Suspended', script: 'latin', kind: 'primary' }],
            nationalities: ['MY'],
            phones: [phone(4)],
          },
        })
        .expect(201)
    ).body as { id: string; person: { id: string } };
    const personId = arrest.person.id;
    const fileId = await attach(tf['my.officer'], `/arrests/${arrest.id}/attachments`, 'my-arrest.pdf');
    await tf['my.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
    const [{ id: mou }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
    );
    const officer = tf['kr.officer'];
    const rows: Array<[Probe, string, string]> = [
      [[officer, `/arrests/${arrest.id}`, arrest.id], NAMED, GONE],
      [[officer, '/arrests?limit=200', arrest.id], NAMED, UNLISTED],
      [[officer, `/arrests/${arrest.id}/custody`, arrest.id], '200 silent', GONE],
      [[officer, `/arrests/${arrest.id}/attachments`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}`, fileId], NAMED, GONE],
      [[officer, `/attachments/${fileId}/content`, fileId], '200 silent', GONE],
      [[officer, `/persons/${personId}`, personId], NAMED, NAMED],
      [[officer, seenIn(4), personId], NAMED, NAMED],
    ];
    const admin = await signIn(t.server, 'platform.admin');
    const seen = await acrossReplicas(
      rows.map(([p]) => p),
      async () => {
        await through(r.a, admin).patch(`/frameworks/${mou}`, { active: false }).expect(200);
      },
    );
    const want = expected(rows);
    expect(seen.before).toEqual(want.before);
    expect(seen.afterOnB).toEqual(seen.afterOnA);
    expect(seen.afterOnB).toEqual(want.after);
  });
});
