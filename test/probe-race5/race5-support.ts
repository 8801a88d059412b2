import type { TaskForce } from '../support/scenario';

export {
  NUMBER,
  krArrest,
  krFile,
  krPerson,
  krUpload,
  krCase,
  myReadsNumber,
  together,
  withdraw,
} from '../probe-race4/race4-support';

type Answer = { status: number; body: { type?: string } };

/** An answer as a word: a refusal by its problem type's last part. */
export const said = (a: Answer) =>
  a.status >= 400
    ? `${a.status} ${String(a.body.type ?? '')
        .split(':')
        .pop()}`
    : String(a.status);

/**
 * One round as a line: each step's answer (named) and whether MY reads the number. A round holds when one
 * of the steps was refused by the release rule and MY reads no number (`held`).
 */
export function round5(round: number, answers: Record<string, Answer | null>, leaked: boolean): string {
  const steps = Object.entries(answers).map(([k, a]) => `${k} ${a ? said(a) : 'not taken'}`);
  return `round ${round}: ${steps.join(', ')}, MY reads the number: ${leaked ? 'yes' : 'no'}`;
}

export const held = (l: string) => /release-refused/.test(l) && l.includes('MY reads the number: no');

/** The rounds that did not hold (`RACE5_LOG=1` prints every round). */
export const broken = (lines: string[], ok: (l: string) => boolean = held) => {
  if (process.env.RACE5_LOG) console.log(lines.join('\n'));
  return lines.filter((l) => !ok(l));
};

/** Every GET MY's officer could make of a request: it, its files (list and each), thread and history. */
export async function requestPaths(
  tf: TaskForce,
  base: string,
  id: string,
  fileIds: string[] = [],
  /** Where the request's own files are listed (an information request's by default). */
  filesPath = `${base}/${id}/attachments`,
): Promise<string[]> {
  const paths = [
    ...fileIds.map((f) => `/attachments/${f}`),
    `${base}/${id}`,
    `${base}/${id}/messages`,
    `${base}/${id}/history`,
  ];
  if (base === '/information-requests' || filesPath !== `${base}/${id}/attachments`) {
    paths.push(filesPath);
    // Every file KR lists on it (withdrawn ones too, if listed), each read by MY as a file.
    for (const who of ['kr.officer', 'my.officer'] as const) {
      const files = await tf[who].get(`${filesPath}?limit=100`);
      if (files.status === 200)
        for (const f of (files.body as { items: Array<{ id: string }> }).items)
          paths.push(`/attachments/${f.id}`);
    }
  }
  return paths;
}
