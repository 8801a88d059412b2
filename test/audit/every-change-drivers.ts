import type { Response } from 'supertest';
import { AuditSealerService } from '../../src/audit/audit-sealer.service';
import { BlacklistAmendmentsService } from '../../src/blacklist/blacklist-amendments.service';
import type { SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';
import type { ExampleContext } from '../security/route-examples';

/**
 * Drivers of every-change-audited.e2e.ts for the write routes its walk and main workflows do not reach
 * with a success: the chain verification, the batch activation, both amendment decisions, a repatriation
 * drop, an identifier check's follow-up, and the edits of a draft's arrests and entries. Each drives its route to a 2xx the way a user would; the
 * oracle then checks every transaction they wrote.
 */
export interface DriveKit {
  t: TestApp;
  who: (username: string) => SignedIn;
  /** POST with the current version of the record named in the path (or of `versionOfId`; none for null). */
  act: (user: string, path: string, body?: object, versionOfId?: string | null) => Promise<Response>;
  /** A fresh record from the route's example body. */
  fresh: (user: string, route: string, ctx: ExampleContext, extra?: object) => Promise<{ id: string }>;
  versionOf: (id: string) => Promise<number>;
  /** Steps that answered >= 400 (reported, not asserted: the coverage floor is). */
  stepsFailed: string[];
}

const ACTIVATE = { legalBasis: 'Immigration Act s. 12', expiresOn: '2030-12-31' };

/**
 * The chain verification: writes nothing but its own `audit.verify` event (the chain rows it reads are
 * the sealer's). The sealer is off in the oracle, so the chain is sealed here first (as audit-chain.e2e.ts
 * does), then a country's auditor verifies the whole chain and the platform operator a range.
 */
export async function driveVerify(k: DriveKit): Promise<void> {
  await k.t.app.get(AuditSealerService).sealNow({ drain: true });
  for (const [user, body] of [
    ['kr.auditor', {}],
    ['platform.admin', { fromSeq: 1, toSeq: 2 }],
  ] as const) {
    const res = await k.who(user).post('/audit-events/verify', body);
    if (res.status !== 200 || res.body.ok !== true)
      k.stepsFailed.push(`${user} verify -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

/** A proposal `from` -> `to` sent and accepted: its entries, proposed, for `to` to decide. */
async function acceptedProposal(k: DriveKit, from: string, to: string, ctx: ExampleContext) {
  const { id } = await k.fresh(`${from}.officer`, 'POST /api/v1/blacklist-entries/batch', ctx);
  const base = `/blacklist-proposals/${id}`;
  await k.act(`${from}.officer`, `${base}/submit`);
  await k.act(`${from}.liaison`, `${base}/approve`);
  await k.act(`${to}.liaison`, `${base}/accept`);
  const entries: { id: string; version: number }[] = await k.t.dataSource.query(
    `SELECT id, version FROM blacklist_entry WHERE proposal_id = $1 ORDER BY id`,
    [id],
  );
  return entries;
}

/** The batch activation: KH's liaison activates the entries of two accepted KR proposals at once. */
export async function driveBatchActivation(k: DriveKit, kr: ExampleContext): Promise<void> {
  const entries = [
    ...(await acceptedProposal(k, 'kr', 'kh', kr)),
    ...(await acceptedProposal(k, 'kr', 'kh', kr)),
  ];
  const res = await k.who('kh.liaison').post('/blacklist-entries/activate', { entries, ...ACTIVATE });
  if (res.status !== 200 || res.body.items?.length !== entries.length)
    k.stepsFailed.push(`batch activate -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

/**
 * Both amendment decisions on an active entry: the owner (KR) edits the listed person, the background
 * job proposes the amendment (the test app runs no jobs, so it is run here, as blacklist-amendments.e2e.ts
 * does), and KH's liaison accepts it; a second edit's amendment is rejected.
 */
export async function driveAmendmentDecisions(k: DriveKit, entryId: string): Promise<void> {
  const [listed] = await k.t.dataSource.query(`SELECT person_id FROM blacklist_entry WHERE id = $1`, [
    entryId,
  ]);
  for (const [full, decision, body] of [
    ['SOK Dara Vann', 'accept', { comment: 'Identity confirmed' }],
    ['SOK Dara Vannak', 'reject', { comment: 'Not the same man' }],
  ] as const) {
    const edited = await k.who('kr.officer').patch(`/persons/${listed.person_id}`, {
      version: await k.versionOf(listed.person_id),
      names: [{ full, script: 'latin', kind: 'primary' }],
    });
    if (edited.status !== 200) k.stepsFailed.push(`person edit -> ${edited.status} ${edited.body?.type}`);
    await k.t.app.get(BlacklistAmendmentsService).runPending();
    const [amendment] = await k.t.dataSource.query(
      `SELECT id FROM blacklist_entry_amendment WHERE entry_id = $1 AND status = 'pending'`,
      [entryId],
    );
    if (!amendment) {
      k.stepsFailed.push(`no amendment proposed for ${full}`);
      continue;
    }
    await k.act(
      'kh.liaison',
      `/blacklist-entries/${entryId}/amendments/${amendment.id}/${decision}`,
      body,
      null,
    );
  }
}

/**
 * An identifier check with a hit and its follow-up: KH records a person with a phone, KR checks the phone
 * against KH (a hit) and follows it up, a draft information request to KH.
 */
export async function driveIdentifierFollowUp(k: DriveKit): Promise<void> {
  const phone = '+85569990001';
  const person = await k.who('kh.officer').post('/persons', {
    names: [{ full: 'LIM Sovann', script: 'latin', kind: 'primary' }],
    phones: [phone],
  });
  if (person.status !== 201) k.stepsFailed.push(`KH person -> ${person.status} ${person.body?.type}`);
  const check = await k.who('kr.officer').post('/identifier-checks', {
    partners: ['KH'],
    identifiers: [{ kind: 'phone', value: phone }],
  });
  if (check.status !== 201) {
    k.stepsFailed.push(`identifier check -> ${check.status} ${JSON.stringify(check.body).slice(0, 300)}`);
    return;
  }
  await k.act(
    'kr.officer',
    `/identifier-checks/${check.body.id}/follow-ups`,
    { partnerCountry: 'KH', position: 0 },
    null,
  );
}

/**
 * A draft's contents corrected in place: a KH repatriation draft takes an arrest on, then off (its row
 * and its person's link deleted); a KR proposal draft keeps one entry with new grounds, takes one off
 * (the entry deleted) and adds one naming a new person. Each edit's writes are the oracle's to check:
 * every entry row changed, inserted or deleted must be named by an event of its own transaction.
 */
export async function driveDraftContentEdits(
  k: DriveKit,
  kh: ExampleContext,
  kr: ExampleContext,
): Promise<void> {
  const patch = async (user: string, path: string, body: object) => {
    const id = /\/([0-9a-f-]{36})$/.exec(path)![1]!;
    const res = await k.who(user).patch(path, { version: await k.versionOf(id), ...body });
    if (res.status !== 200)
      k.stepsFailed.push(`${user} PATCH ${path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res;
  };
  const [first, second] = [
    await k.fresh('kh.officer', 'POST /api/v1/arrests', { ...kh, version: 1 }),
    await k.fresh('kh.officer', 'POST /api/v1/arrests', { ...kh, version: 1 }),
  ];
  const repatriation = await k.fresh('kh.officer', 'POST /api/v1/repatriation-requests', {
    ...kh,
    arrestId: first.id,
    version: 1,
  });
  await patch('kh.officer', `/repatriation-requests/${repatriation.id}`, {
    arrestIds: [first.id, second.id],
  });
  await patch('kh.officer', `/repatriation-requests/${repatriation.id}`, { arrestIds: [second.id] });

  const row = (full: string, grounds: string) => ({
    person: { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: ['KR'] },
    grounds,
    groundsSummary: grounds,
  });
  const proposal = await k.fresh(
    'kr.officer',
    'POST /api/v1/blacklist-entries/batch',
    { ...kr, version: 1 },
    {
      entries: [row('KIM Stays', 'Recruiter.'), row('KIM Goes', 'Driver.')],
    },
  );
  const [stays]: Array<{ person_id: string }> = await k.t.dataSource.query(
    `SELECT person_id FROM blacklist_entry WHERE proposal_id = $1 AND position = 0`,
    [proposal.id],
  );
  if (!stays) {
    k.stepsFailed.push('the proposal to edit has no entries');
    return;
  }
  await patch('kr.officer', `/blacklist-proposals/${proposal.id}`, {
    entries: [
      { personId: stays.person_id, grounds: 'Recruiter and guard.', groundsSummary: 'Recruiter, guard' },
      row('KIM Added', 'Paymaster.'),
    ],
  });
}
