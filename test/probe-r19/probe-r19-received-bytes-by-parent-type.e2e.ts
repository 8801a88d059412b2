import { upload } from '../attachments/attachment-support';
import { aBankAccount, aFreezeDraft } from '../asset-freezes/asset-freeze-scenario';
import { RELEASE_REFUSED } from '../sharing/support';
import { givenIn } from '../support/given';
import type { SignedIn } from '../support/http';
import { aDraft, taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { ok, twoVersions } from './r19-support';

interface Given {
  label: string;
  /** Replaced before the record reached KR: KR never received these bytes. */
  replaced: Buffer;
  /** On the record as it reached KR. */
  received: Buffer;
}

/**
 * Probe r19: the release rule finds a file's bytes a country received (`foreignFiles`, `redOnlyFiles`
 * in provenance.store.ts, prepared statements since 3de0df4) through every type of record a file hangs
 * on. KH gives KR a file on a record of each type (a case and an arrest shared with KR, a person on
 * that case, a request, a freeze target and a blacklist entry sent to KR), each in two versions, the
 * first replaced before the record reached KR. KR attaching the received bytes to a KR case shared
 * with MY is refused (AMBER: not to a third country) and MY reads nothing; the replaced bytes, which
 * never reached KR, are KR's own, and refusing them would tell KR what KH's record held before KR
 * read it. Bytes KR received on a RED request only stay with its named recipients.
 */
describe('Probe r19: bytes received on a record of each type do not go on to a third country', () => {
  let t: TestApp;
  let tf: TaskForce;
  const given: Given[] = [];
  let redOnly: Buffer;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const kh = tf['kh.officer'];
    const files = async (label: string, path: string) => {
      const { bytes } = await twoVersions(t, kh, path);
      given.push({ label, replaced: bytes[0], received: bytes[1] });
    };
    const step = async (who: SignedIn, path: string, r: { id: string; version: number }, action: string) =>
      ok(who.post(`${path}/${r.id}/${action}`, { version: r.version }));
    const send = async (path: string, r: { id: string; version: number }) =>
      step(tf['kh.liaison'], path, await step(kh, path, r, 'submit'), 'approve');

    const kase = await ok(kh.post('/cases', { title: 'KH compound case r19' }), 201);
    await files('a KH case shared with KR', `/cases/${kase.id}/attachments`);
    const person = await ok(
      kh.post('/persons', {
        names: [{ full: 'SOK Given', script: 'latin', kind: 'primary' }],
        nationalities: ['KH'],
      }),
      201,
    );
    await files('a KH person on that case', `/persons/${person.id}/attachments`);
    await ok(
      kh.post(`/cases/${kase.id}/persons`, { persons: [{ personId: person.id, role: 'suspect' }] }),
      201,
    );
    await ok(tf['kh.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'KR' }), 201);

    const arrest = await ok(
      kh.post('/arrests', {
        arrestedAt: '2026-03-03T02:30:00Z',
        place: 'A compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'KR',
        person: { names: [{ full: 'KANG Held', script: 'latin', kind: 'primary' }] },
      }),
      201,
    );
    await files('a KH arrest shared with KR', `/arrests/${arrest.id}/attachments`);
    await ok(
      tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR', handlingCode: 'AMBER' }),
    );

    // A KH arrest of a Korean, sent home to KR on a repatriation request.
    const repatriated = await ok(
      kh.post('/arrests', {
        arrestedAt: '2026-03-04T02:30:00Z',
        place: 'A compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Police',
        nationality: 'KR',
        person: { names: [{ full: 'JANG Home', script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
      }),
      201,
    );
    await files('a KH arrest on a repatriation request sent to KR', `/arrests/${repatriated.id}/attachments`);
    await givenIn(tf)
      .aRequest('repatriation')
      .from('KH')
      .sentTo('KR')
      .with({ arrestIds: [repatriated.id], subject: 'Take JANG Home home' })
      .sent();

    const info = await ok(
      kh.post('/information-requests', aDraft(tf.cambodiaKoreaFramework, { targetCountry: 'KR' })),
      201,
    );
    await files('a KH information request sent to KR', `/information-requests/${info.id}/attachments`);
    await send('/information-requests', info);

    const freeze = async (handlingCode: string, accountNumber: string) =>
      (await ok(
        kh.post(
          '/asset-freeze-requests',
          aFreezeDraft(tf.cambodiaKoreaFramework, [aBankAccount({ accountNumber })], {
            targetCountry: 'KR',
            handlingCode,
          }),
        ),
        201,
      )) as unknown as { id: string; version: number; targets: Array<{ id: string }> };
    const amber = await freeze('AMBER', '5140-0001-0001');
    await files(
      'a freeze target of a KH request sent to KR',
      `/asset-freeze-requests/${amber.id}/targets/${amber.targets[0].id}/attachments`,
    );
    await send('/asset-freeze-requests', amber);

    const proposal = await ok(
      kh.post('/blacklist-entries/batch', {
        frameworkId: tf.cambodiaKoreaFramework,
        banningCountry: 'KR',
        entries: [
          {
            person: {
              names: [{ full: 'CHEA Banned', script: 'latin', kind: 'primary' }],
              nationalities: ['KH'],
            },
            grounds: 'Recruiter for the compound.',
            groundsSummary: 'Recruiter',
          },
        ],
      }),
      201,
    );
    const [entry] = (await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [
      proposal.id,
    ])) as Array<{ id: string }>;
    await files('a blacklist entry KH proposed to KR', `/blacklist-entries/${entry.id}/attachments`);
    await send('/blacklist-proposals', proposal);

    const red = await freeze('RED', '5140-0002-0002');
    redOnly = (
      await twoVersions(t, kh, `/asset-freeze-requests/${red.id}/targets/${red.targets[0].id}/attachments`)
    ).bytes[1];
    await send('/asset-freeze-requests', red);
  }, 120_000);
  afterAll(() => t?.close());

  const krCaseSharedWithMy = async () => {
    const kase = await ok(tf['kr.officer'].post('/cases', { title: 'KR case shared with MY r19' }), 201);
    await ok(tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }), 201);
    return kase.id;
  };

  it('refuses the bytes KR received on each type of record on a KR case shared with MY, and MY reads none of them', async () => {
    const caseId = await krCaseSharedWithMy();
    const answers = [];
    for (const g of given) {
      const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, g.received, 'again.pdf');
      answers.push([g.label, res.status, res.body.type]);
    }
    expect(answers).toEqual(given.map((g) => [g.label, 409, RELEASE_REFUSED]));
    const listed = (await tf['my.officer'].get(`/cases/${caseId}/attachments`).expect(200)).body
      .items as Array<{
      sha256: string;
    }>;
    expect(listed).toEqual([]);
  });

  it('takes the bytes KH replaced before its record reached KR as KR’s own (a refusal would tell KR what the record held before)', async () => {
    const caseId = await krCaseSharedWithMy();
    const answers = [];
    for (const g of given) {
      const res = await upload(t, tf['kr.officer'], `/cases/${caseId}/attachments`, g.replaced, 'mine.pdf');
      answers.push([g.label, res.status]);
    }
    expect(answers).toEqual(given.map((g) => [g.label, 201]));
  });

  it('keeps bytes KR received on a RED freeze target only off any KR case', async () => {
    const own = await ok(tf['kr.officer'].post('/cases', { title: 'KR own case r19' }), 201);
    const res = await upload(t, tf['kr.officer'], `/cases/${own.id}/attachments`, redOnly, 'red.pdf');
    expect([res.status, res.body.type]).toEqual([409, RELEASE_REFUSED]);
  });
});
