import request from 'supertest';
import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED } from '../sharing/support';
import type { SignedIn } from '../support/http';
import type { TaskForce } from '../support/scenario';
import type { TestApp } from '../support/test-app';

/** The phone KH gives KR under AMBER (`personKhGaveKr`): KR may not pass it to MY. */
export const NUMBER = '+85512000111';
const DIGITS = '85512000111';

type Answer = { status: number; body: { type?: string } };

/**
 * Starts `write` and `share` close together: from round to round one of them starts a few milliseconds
 * later than the other (0, `step`, 2 × `step`… ms, alternating which), so that some rounds meet the
 * other's transaction between its read and its write. Staggered starts, not a time bound.
 */
export async function together(
  round: number,
  write: () => PromiseLike<Answer>,
  share: () => PromiseLike<Answer>,
  step = 2,
): Promise<[Answer, Answer]> {
  const delay = step * Math.floor(round / 2);
  const later = (call: () => PromiseLike<Answer>) =>
    new Promise<Answer>((resolve, reject) => setTimeout(() => call().then(resolve, reject), delay));
  const [w, s] = await Promise.all(round % 2 === 0 ? [write(), later(share)] : [later(write), share()]);
  return [w, s];
}

/** What MY reads at `paths` (each a GET as MY's officer): whether the number is anywhere in it. */
export async function myReadsNumber(tf: TaskForce, paths: string[]): Promise<boolean> {
  for (const path of paths) {
    const res = await tf['my.officer'].get(path);
    if (res.status === 200 && JSON.stringify(res.body).includes(DIGITS)) return true;
  }
  return false;
}

/** How MY reads one file: not at all, or its status (`active`, `withdrawn`…). */
export async function myFileStatus(tf: TaskForce, id: string): Promise<string> {
  const res = await tf['my.officer'].get(`/attachments/${id}`);
  return res.status === 200 ? String(res.body.status) : `not read (${res.status})`;
}

/** One round as a line: the two answers (a refusal by its problem type's last part) and what MY read. */
export function line(round: number, write: Answer, share: Answer, leaked: boolean): string {
  const answer = (a: Answer) =>
    a.status === 409 ? `409 ${String(a.body.type).split(':').pop()}` : String(a.status);
  return `round ${round}: write ${answer(write)}, share ${answer(share)}, MY reads the number: ${leaked ? 'yes' : 'no'}`;
}

/**
 * The rule held in a round: one of the two was refused by the release rule (whichever went second) and
 * MY reads no number.
 */
export function held(l: string): boolean {
  return /release-refused/.test(l) && l.includes('MY reads the number: no');
}

/** The rounds that did not hold, for `expect(...).toEqual([])`. */
export const broken = (lines: string[]) => {
  if (process.env.RACE4_LOG) console.log(lines.join('\n'));
  return lines.filter((l) => !held(l));
};

export { RELEASE_REFUSED };

export async function krCase(tf: TaskForce, title: string, personIds: string[] = []): Promise<string> {
  return (
    await tf['kr.officer']
      .post('/cases', { title, persons: personIds.map((personId) => ({ personId, role: 'suspect' })) })
      .expect(201)
  ).body.id as string;
}

export async function krArrest(
  tf: TaskForce,
  who: { name: string } | { personId: string },
  nationality = 'KR',
): Promise<{ id: string; version: number }> {
  const person =
    'personId' in who
      ? { personId: who.personId }
      : {
          person: {
            names: [{ full: who.name, script: 'latin', kind: 'primary' }],
            ...(nationality === 'KR' ? {} : { nationalities: [nationality] }),
          },
        };
  const body = (
    await tf['kr.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Busan',
        grounds: 'Online fraud',
        arrestingAgency: 'KNP',
        nationality,
        ...person,
      })
      .expect(201)
  ).body;
  return { id: body.id as string, version: body.version as number };
}

export async function krPerson(tf: TaskForce, name: string): Promise<string> {
  return (
    await tf['kr.officer']
      .post('/persons', { names: [{ full: name, script: 'latin', kind: 'primary' }] })
      .expect(201)
  ).body.id as string;
}

/** KR's officer files `filename` on `path` (a record's attachments); its id. */
export async function krFile(t: TestApp, tf: TaskForce, path: string, filename: string): Promise<string> {
  return (
    await upload(
      t,
      tf['kr.officer'],
      path,
      Buffer.from(`notes ${filename} ${Math.random()}`),
      filename,
    ).expect(201)
  ).body.id as string;
}

/** KR's officer uploads, answering whatever the app answers. */
export function krUpload(
  t: TestApp,
  tf: TaskForce,
  path: string,
  filename: string,
  headers: Record<string, string> = {},
): request.Test {
  return upload(
    t,
    tf['kr.officer'],
    path,
    Buffer.from(`notes ${filename} ${Math.random()}`),
    filename,
    headers,
  );
}

export const withdraw = (who: SignedIn, id: string, reason: string) =>
  who.post(`/attachments/${id}/withdraw`, { reason });
