/**
 * The crash check's clients: each drives information requests through create → submit → approve →
 * accept and records every write the server acknowledged, so the check can later ask the database
 * whether each of them is still there.
 */
import { aDraft } from './fixtures';
import { Api, signIn, sleep } from './harness';

const MAX_PER_WORKER = 200;

const STEPS = [
  { action: 'submit', who: 'krOfficer', to: 'submitted' },
  { action: 'approve', who: 'krLiaison', to: 'sent' },
  { action: 'accept', who: 'khLiaison', to: 'accepted' },
] as const;
export const ORDER = ['draft', 'submitted', 'sent', 'accepted'];

/** The last acknowledged state of one request. */
export interface Ack {
  status: string;
  version: number;
  /** The status the request would have if the step sent without an answer committed. */
  inFlight: string | null;
}

/** What the workers did in one round (shared and counted as they go). */
export interface Progress {
  writes: number;
  /** Answers that were not 2xx: the write was not acknowledged (expected only while PostgreSQL is down). */
  errorAnswers: number;
  /** How many error answers had each HTTP status. */
  errorStatuses: Record<number, number>;
  lastErrorAnswer: string | null;
}

export const noProgress = (): Progress => ({
  writes: 0,
  errorAnswers: 0,
  errorStatuses: {},
  lastErrorAnswer: null,
});

export type Cast = Record<'krOfficer' | 'krLiaison' | 'khLiaison' | 'krAuditor', Api>;

export async function signInAll(base: string): Promise<Cast> {
  return {
    krOfficer: await signIn(base, 'kr.officer'),
    krLiaison: await signIn(base, 'kr.liaison'),
    khLiaison: await signIn(base, 'kh.liaison'),
    krAuditor: await signIn(base, 'kr.auditor'),
  };
}

/** The server answered, but not with success: nothing was acknowledged. */
class ErrorAnswer extends Error {}

/**
 * One worker: requests through the life cycle until the deadline or until the server stops answering
 * (a refused or reset connection: it was killed). An error answer (PostgreSQL restarting under the app)
 * leaves that request as last acknowledged, its step in flight, and the worker starts a new one.
 */
export async function worker(
  cast: Cast,
  framework: string,
  acks: Map<string, Ack>,
  deadline: number,
  n: number,
  progress: Progress,
): Promise<void> {
  const expect = (status: number, res: { status: number; body: any }, what: string) => {
    if (res.status === status) return res.body;
    progress.errorAnswers++;
    progress.errorStatuses[res.status] = (progress.errorStatuses[res.status] ?? 0) + 1;
    progress.lastErrorAnswer = `${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    throw new ErrorAnswer(progress.lastErrorAnswer);
  };
  for (let i = 0; i < MAX_PER_WORKER && Date.now() < deadline; i++) {
    try {
      const created = expect(
        201,
        await cast.krOfficer.call(
          'POST',
          '/information-requests',
          aDraft(framework, { subject: `Crash check ${n}.${i}` }),
        ),
        'create',
      );
      const id = created.id as string;
      acks.set(id, { status: created.status, version: created.version, inFlight: null });
      progress.writes++;
      // Each request goes 0–3 steps further, so the crash finds requests in every state.
      for (const step of STEPS.slice(0, (n + i) % 4)) {
        const ack = acks.get(id)!;
        ack.inFlight = step.to;
        const res = expect(
          200,
          await cast[step.who].call('POST', `/information-requests/${id}/${step.action}`, {
            version: ack.version,
          }),
          step.action,
        );
        acks.set(id, { status: res.status, version: res.version, inFlight: null });
        progress.writes++;
      }
    } catch (error) {
      // What was in flight may or may not have committed; the check allows either.
      if (!(error instanceof ErrorAnswer)) return;
      await sleep(100);
    }
  }
}
