import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { aPdf, upload } from '../attachments/attachment-support';
import { aBankAccount, aFreezeDraft } from '../asset-freezes/asset-freeze-scenario';
import type { SignedIn } from '../support/http';
import { aDraft, TASK_FORCE_CAST, TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

/** A file's two versions (`v2` supersedes `v1`) on one record, and the record's list route. */
export interface FiledRecord {
  label: string;
  /** `GET` of the record's files: the reader sees the record exactly when it answers 200. */
  list: string;
  v1: string;
  v2: string;
}

/** Everything of an answer a caller can compare: status, type, the body without the request's id, headers' names. */
export function answerOf(res: request.Response) {
  const { requestId: _id, instance: _instance, ...body } = (res.body ?? {}) as Record<string, unknown>;
  const volatile = new Set(['date', 'x-request-id', 'content-length', 'etag', 'connection', 'keep-alive']);
  return {
    status: res.status,
    contentType: String(res.headers['content-type']),
    body,
    headers: Object.keys(res.headers)
      .filter((h) => !volatile.has(h) && !h.startsWith('ratelimit') && !h.startsWith('x-ratelimit'))
      .sort(),
  };
}

let serial = 0;

/** Two versions of a PDF on `path`, by `who`: the second names the first in `X-Supersedes`. */
export async function twoVersions(
  t: TestApp,
  who: SignedIn,
  path: string,
): Promise<{ v1: string; v2: string; bytes: [Buffer, Buffer] }> {
  serial += 1;
  const bytes: [Buffer, Buffer] = [aPdf(4_000, `r19-${serial}-a`), aPdf(4_000, `r19-${serial}-b`)];
  const v1 = await upload(t, who, path, bytes[0], `r19-${serial}.pdf`);
  if (v1.status !== 201) throw new Error(`${path}: ${v1.status} ${JSON.stringify(v1.body)}`);
  const v2 = await upload(t, who, path, bytes[1], `r19-${serial}.pdf`, {
    'X-Supersedes': v1.body.id as string,
  });
  if (v2.status !== 201) throw new Error(`${path} v2: ${v2.status} ${JSON.stringify(v2.body)}`);
  return { v1: v1.body.id as string, v2: v2.body.id as string, bytes };
}

export async function ok<T = Record<string, unknown>>(
  res: request.Test | Promise<request.Response>,
  status = 200,
) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T & { id: string; version: number };
}

/**
 * KR's records of every type a file hangs on, each with a file in two versions, in the states that
 * decide who reads them: unshared, shared with MY, shared then unshared, drafts, sent, RED, withdrawn.
 */
export async function krFilesOnEveryParentType(t: TestApp, tf: TaskForce): Promise<FiledRecord[]> {
  const out: FiledRecord[] = [];
  const kr = tf['kr.officer'];
  const filed = async (label: string, list: string, uploader: SignedIn = kr) =>
    out.push({ label, list, ...(await twoVersions(t, uploader, list)) });

  const aCase = async () => (await ok(kr.post('/cases', { title: `KR case ${randomUUID()}` }), 201)).id;
  const unshared = await aCase();
  await filed('KR case, never shared', `/cases/${unshared}/attachments`);
  const shared = await aCase();
  await ok(tf['kr.liaison'].post(`/cases/${shared}/shares`, { countryCode: 'MY' }), 201);
  await filed('KR case shared with MY', `/cases/${shared}/attachments`);
  const unsharedAgain = await aCase();
  await ok(tf['kr.liaison'].post(`/cases/${unsharedAgain}/shares`, { countryCode: 'MY' }), 201);
  await filed('KR case shared with MY, then unshared', `/cases/${unsharedAgain}/attachments`);
  await ok(tf['kr.liaison'].delete(`/cases/${unsharedAgain}/shares/MY`));

  // Filed (both versions) before the case reached MY: the first version was replaced before MY read
  // the case, so for MY it never existed.
  const sharedLate = await aCase();
  await filed(
    'KR case, both versions filed before it was shared with MY',
    `/cases/${sharedLate}/attachments`,
  );
  await ok(tf['kr.liaison'].post(`/cases/${sharedLate}/shares`, { countryCode: 'MY' }), 201);
  // A person MY reads through that case, filed before and after.
  const linked = await ok(
    kr.post('/persons', {
      names: [{ full: 'HAN Linked', script: 'latin', kind: 'primary' }],
      nationalities: ['KR'],
    }),
    201,
  );
  await filed('KR person, filed before it reached MY by a shared case', `/persons/${linked.id}/attachments`);
  await ok(
    kr.post(`/cases/${sharedLate}/persons`, { persons: [{ personId: linked.id, role: 'suspect' }] }),
    201,
  );

  const person = await ok(
    kr.post('/persons', {
      names: [{ full: 'LEE Probe', script: 'latin', kind: 'primary' }],
      nationalities: ['KR'],
    }),
    201,
  );
  await filed('KR person', `/persons/${person.id}/attachments`);

  const arrest = await ok(
    kr.post('/arrests', {
      arrestedAt: '2026-03-01T02:30:00Z',
      place: 'A compound',
      grounds: 'Online fraud',
      arrestingAgency: 'Police',
      nationality: 'KR',
      person: { names: [{ full: 'CHOI Probe', script: 'latin', kind: 'primary' }] },
    }),
    201,
  );
  await filed('KR arrest', `/arrests/${arrest.id}/attachments`);
  const sharedArrest = await ok(
    kr.post('/arrests', {
      arrestedAt: '2026-03-02T02:30:00Z',
      place: 'A compound',
      grounds: 'Online fraud',
      arrestingAgency: 'Police',
      nationality: 'KR',
      person: { names: [{ full: 'YOON Shared', script: 'latin', kind: 'primary' }] },
    }),
    201,
  );
  await filed('KR arrest, filed before it was shared with MY', `/arrests/${sharedArrest.id}/attachments`);
  await ok(
    tf['kr.liaison'].post(`/arrests/${sharedArrest.id}/shares`, { countryCode: 'MY', handlingCode: 'AMBER' }),
  );

  // Information requests KR -> KH: a draft, a sent one, a RED one, a withdrawn one.
  const step = async (who: SignedIn, path: string, id: string, action: string, version: number, extra = {}) =>
    ok(who.post(`${path}/${id}/${action}`, { version, ...extra }));
  const info = async (overrides: object = {}) =>
    ok(kr.post('/information-requests', aDraft(tf.cambodiaKoreaFramework, overrides)), 201);
  const send = async (path: string, r: { id: string; version: number }) => {
    const s = await step(kr, path, r.id, 'submit', r.version);
    return step(tf['kr.liaison'], path, r.id, 'approve', s.version);
  };
  const draft = await info();
  await filed('KR->KH information request, draft', `/information-requests/${draft.id}/attachments`);
  const sent = await info();
  await filed('KR->KH information request, sent', `/information-requests/${sent.id}/attachments`);
  await send('/information-requests', sent);
  const red = await info({ handlingCode: 'RED' });
  await filed('KR->KH RED information request, sent', `/information-requests/${red.id}/attachments`);
  await send('/information-requests', red);
  // A RED request KH accepted and assigned to kh.officer: a file KH's officer gives on it is read by KH's named recipients only.
  const redAnswered = await info({ handlingCode: 'RED' });
  const redSent = await send('/information-requests', redAnswered);
  const redAccepted = await step(
    tf['kh.liaison'],
    '/information-requests',
    redAnswered.id,
    'accept',
    redSent.version,
  );
  await step(tf['kh.liaison'], '/information-requests', redAnswered.id, 'assign', redAccepted.version, {
    assigneeId: await tf.userId('kh.officer'),
  });
  await filed(
    'KR->KH RED information request, files given by KH',
    `/information-requests/${redAnswered.id}/attachments`,
    tf['kh.officer'],
  );
  const withdrawn = await info();
  await filed(
    'KR->KH information request, withdrawn unsent',
    `/information-requests/${withdrawn.id}/attachments`,
  );
  const sub = await step(kr, '/information-requests', withdrawn.id, 'submit', withdrawn.version);
  await step(kr, '/information-requests', withdrawn.id, 'withdraw', sub.version, { comment: 'Not needed' });

  // Freeze targets KR -> KH: of a draft and of a sent request.
  const freeze = async (overrides: object = {}) =>
    ok(
      kr.post(
        '/asset-freeze-requests',
        aFreezeDraft(
          tf.cambodiaKoreaFramework,
          [aBankAccount({ accountNumber: `5140-${Date.now() % 100000}` })],
          { targetCountry: 'KH', handlingCode: 'AMBER', ...overrides },
        ),
      ),
      201,
    );
  const fDraft = (await freeze()) as unknown as {
    id: string;
    version: number;
    targets: Array<{ id: string }>;
  };
  await filed(
    'KR->KH freeze target, draft',
    `/asset-freeze-requests/${fDraft.id}/targets/${fDraft.targets[0].id}/attachments`,
  );
  const fSent = (await freeze()) as unknown as {
    id: string;
    version: number;
    targets: Array<{ id: string }>;
  };
  await filed(
    'KR->KH freeze target, sent',
    `/asset-freeze-requests/${fSent.id}/targets/${fSent.targets[0].id}/attachments`,
  );
  await send('/asset-freeze-requests', fSent);
  const freezeRed = (await freeze({ handlingCode: 'RED' })) as unknown as typeof fSent;
  await filed(
    'KR->KH RED freeze target, sent',
    `/asset-freeze-requests/${freezeRed.id}/targets/${freezeRed.targets[0].id}/attachments`,
  );
  await send('/asset-freeze-requests', freezeRed);

  // Blacklist entries KR proposes to KH: in a draft proposal and in a sent one.
  const proposal = async (name: string) => {
    const p = await ok(
      kr.post('/blacklist-entries/batch', {
        frameworkId: tf.cambodiaKoreaFramework,
        banningCountry: 'KH',
        entries: [
          {
            person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
            grounds: 'Recruiter for the compound.',
            groundsSummary: 'Recruiter',
          },
        ],
      }),
      201,
    );
    const [entry] = (await t.dataSource.query(`SELECT id FROM blacklist_entry WHERE proposal_id = $1`, [
      p.id,
    ])) as Array<{ id: string }>;
    return { proposal: p, entry: entry.id };
  };
  const bDraft = await proposal('PARK Draft');
  await filed('KR->KH blacklist entry, draft proposal', `/blacklist-entries/${bDraft.entry}/attachments`);
  const bSent = await proposal('PARK Sent');
  await filed('KR->KH blacklist entry, sent proposal', `/blacklist-entries/${bSent.entry}/attachments`);
  await send('/blacklist-proposals', bSent.proposal);
  return out;
}

/** The KH and MY cast of the task force, auditors and second officers included. */
export const PARTNERS = TASK_FORCE_CAST.filter((name) => !name.startsWith('kr.')) as Array<
  Exclude<(typeof TASK_FORCE_CAST)[number], `kr.${string}`>
>;
