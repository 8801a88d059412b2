import { aPdf, upload } from '../attachments/attachment-support';
import { signIn, SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/** An audit event as the API shows it to an auditor. */
export interface AuditEventView {
  id: string;
  occurredAt: string;
  action: string;
  outcome: string;
  recordType: string | null;
  recordId: string | null;
  ownerCountry: string | null;
  counterpartCountry: string | null;
  actor: { country: string | null; username: string | null };
  details: Record<string, unknown> | null;
}

/**
 * The onward world of README "Editing is a release", on the whole demo (KR, KH and MY, and TH, share
 * the multilateral body): KR records a person with a passport and puts a file on it (a document KH
 * holds too), links it into a case it shares with KH (`CLEAR`); KH links KR's person into a case of its
 * own and shares that case with MY (`AMBER` unless told otherwise). KR never gave the person to MY, and
 * is never told that KH did. MY reads the person and its file (files from before the copy go onward).
 */
export async function onwardWorld(khToMy = 'AMBER') {
  const t: TestApp = await createTestApp({}, {}, 'demo');
  const tf: TaskForce = await taskForce(t);
  const th = {
    officer: await signIn(t.server, 'th.officer'),
    auditor: await signIn(t.server, 'th.auditor'),
  };
  const passport = 'M36100777';
  const personId = (
    await tf['kr.officer']
      .post('/persons', {
        names: [{ full: 'PARK Onward', script: 'latin', kind: 'primary' }],
        nationalities: ['KR'],
        documents: [{ type: 'passport', number: passport, issuingCountry: 'KR' }],
      })
      .expect(201)
  ).body.id as string;
  // The file's bytes are a document KH holds itself (it filed them first, on a case of its own): files
  // travel by their bytes, and bytes another country attached first go to no third country, so a file
  // of KR's own would stop KH's share below (409). These are KH's to pass on.
  const fileBytes = aPdf(3000, 'passport-scan-r36');
  const khInternal = (await tf['kh.officer'].post('/cases', { title: 'KH internal r36' }).expect(201)).body
    .id as string;
  await upload(t, tf['kh.officer'], `/cases/${khInternal}/attachments`, fileBytes, 'scan.pdf').expect(201);
  const fileId = (
    await upload(t, tf['kr.officer'], `/persons/${personId}/attachments`, fileBytes, 'statement.pdf').expect(
      201,
    )
  ).body.id as string;
  const persons = [{ personId, role: 'suspect' }];
  const krCaseId = (await tf['kr.officer'].post('/cases', { title: 'KR case r36', persons }).expect(201)).body
    .id as string;
  await tf['kr.liaison']
    .post(`/cases/${krCaseId}/shares`, { countryCode: 'KH', handlingCode: 'CLEAR' })
    .expect(201);
  const khCaseId = (await tf['kh.officer'].post('/cases', { title: 'KH case r36', persons }).expect(201)).body
    .id as string;
  const shared = await tf['kh.liaison'].post(`/cases/${khCaseId}/shares`, {
    countryCode: 'MY',
    handlingCode: khToMy,
  });
  if (shared.status !== 201) throw new Error(JSON.stringify(shared.body));
  // MY reads KR's person and its file: it holds them, through KH's case only.
  await tf['my.officer'].get(`/persons/${personId}`).expect(200);
  const files = (await tf['my.officer'].get(`/persons/${personId}/attachments`).expect(200)).body
    .items as Array<{
    id: string;
  }>;
  if (!files.some((f) => f.id === fileId))
    throw new Error('MY does not read KR’s file: the world is not set');
  return { t, tf, th, personId, fileId, fileBytes, passport, krCaseId, khCaseId };
}

export type OnwardWorld = Awaited<ReturnType<typeof onwardWorld>>;

/** Every event an auditor reads from `since` on (oldest first), all pages. */
export async function trailSince(auditor: SignedIn, since: string): Promise<AuditEventView[]> {
  const items: AuditEventView[] = [];
  let cursor: string | null = null;
  do {
    const query = `from=${encodeURIComponent(since)}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const body = (await auditor.get(`/audit-events?${query}`).expect(200)).body as {
      items: AuditEventView[];
      nextCursor: string | null;
    };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items.reverse();
}

/**
 * Of an auditor's events, those that name `country` anywhere: as actor, owner, counterpart, or in the
 * details (a recipient, a country whose copy went). Its own reads of the trail left out.
 */
export function naming(events: AuditEventView[], country: string): AuditEventView[] {
  const names = (value: unknown): boolean =>
    value === country ||
    (Array.isArray(value) && value.some(names)) ||
    (value !== null && typeof value === 'object' && Object.values(value).some(names));
  return events.filter(
    (e) =>
      e.action !== 'audit.read' &&
      (e.actor.country === country ||
        e.ownerCountry === country ||
        e.counterpartCountry === country ||
        names(e.details)),
  );
}

/** The database's clock now: the `from` of a trail read (event times are the database's). */
export async function now(t: TestApp): Promise<string> {
  const [{ at }] = await t.dataSource.query(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`);
  return at as string;
}

/** What KR's auditor reads of `action` acted by MY: a compact shape for `toEqual`. */
export const brief = (events: AuditEventView[]) =>
  events.map((e) => ({
    action: e.action,
    outcome: e.outcome,
    actor: e.actor.country,
    owner: e.ownerCountry,
  }));
