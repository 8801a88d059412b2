/** What bench/sqlmap-probe.ts reads out of one sqlmap run's console output (sqlmap 1.7). */
import type { Api } from './harness';

export interface ProbeTarget {
  /** Short name for the table and for SQLMAP_ONLY. */
  name: string;
  method: 'GET' | 'POST';
  /** Path and query under /api/v1; a `*` marks an id in the path as an injection point. */
  path: string;
  body?: unknown;
  /** Extra headers; a `*` in a value marks it as an injection point. */
  headers?: Record<string, string>;
  /** The signed-in user whose bearer token goes along (none: a public route). */
  as?: Api;
  /** Further sqlmap options for this target. */
  sqlmapOptions?: string[];
}

export interface SqlmapVerdict {
  /** The parameters sqlmap tested, as it names them (`GET status`, `(custom) POST JSON title`, …). */
  parameters: string[];
  /** Injection points sqlmap reported, and 500 answers: anything that is not "nothing found". */
  findings: string[];
  /** Heuristic hints sqlmap did not confirm, for the reader. */
  hints: string[];
  /** Candidates sqlmap's own re-test withdrew ("false positive or unexploitable injection point"). */
  falsePositives: string[];
  clientErrors: number;
  serverErrors: number;
  /** sqlmap finished on its own (not cut off by the time limit, not aborted). */
  completed: boolean;
  seconds: number;
  summary: string;
}

// "on GET parameter 'q'", "on (custom) POST parameter 'JSON title'", "on parameter 'User-Agent'".
const TESTED = /testing for SQL injection on ((?:\S.*? )?parameter '[^']+')/g;
const INJECTABLE = /((?:\S.*? )?parameter '[^']+') (?:appears to be|is) '([^']+)' injectable/g;
const REJECTED =
  /checking if the injection point on ((?:\S.*? )?parameter '[^']+') is a false positive\s*\n[^\n]*false positive or unexploitable injection point detected/g;
const HINT = /heuristic \(basic\) test shows that ((?:\S.*? )?parameter '[^']+') might be injectable/g;

export function readSqlmapOutput(
  out: string,
  run: { exitCode: number | null; timedOut: boolean; seconds: number },
): SqlmapVerdict {
  const parameters = [...new Set([...out.matchAll(TESTED)].map((m) => m[1]!))];
  // sqlmap re-tests each candidate; "false positive or unexploitable injection point detected" right
  // after "checking if the injection point on <parameter> is a false positive" withdraws it.
  const rejected = new Set(
    [...out.matchAll(REJECTED)].map((m) => m[1]!.replace(/^(?:\S.*? )?(parameter '[^']+')$/, '$1')),
  );
  const candidates = [...out.matchAll(INJECTABLE)].map((m) => ({
    parameter: m[1]!.replace(/^\[[^\]]*\] \[\w+\] /, ''),
    technique: m[2]!,
  }));
  const isRejected = (c: { parameter: string }) =>
    rejected.has(c.parameter.replace(/^(?:\S.*? )?(parameter '[^']+')$/, '$1'));
  const findings = [
    ...new Set(
      candidates.filter((c) => !isRejected(c)).map((c) => `${c.parameter} injectable (${c.technique})`),
    ),
  ];
  const falsePositives = [...new Set(candidates.filter(isRejected).map((c) => c.parameter))];
  if (/sqlmap identified the following injection point/.test(out) && !findings.length)
    findings.push('sqlmap identified an injection point');
  const hints = [...new Set([...out.matchAll(HINT)].map((m) => m[1]!))];
  // "HTTP error codes detected during run:\n400 (Bad Request) - 1234 times, 500 (…) - 2 times"
  const codes = /HTTP error codes detected during run:\s*\n?([^\n]+)/.exec(out)?.[1] ?? '';
  const count = (test: (code: number) => boolean) =>
    [...codes.matchAll(/(\d{3}) \([^)]*\) - (\d+) times/g)]
      .filter((m) => test(Number(m[1])))
      .reduce((n, m) => n + Number(m[2]), 0);
  const clientErrors = count((c) => c >= 400 && c < 500);
  const serverErrors = count((c) => c >= 500);
  if (serverErrors) findings.push(`${serverErrors} answers of 5xx`);
  const finished =
    /all tested parameters do not appear to be injectable|identified the following injection point/.test(out);
  const completed = !run.timedOut && finished;
  if (!completed) {
    const critical = /\[(?:CRITICAL|ERROR)\] ([^\n]+)/.exec(out)?.[1];
    findings.push(
      run.timedOut
        ? 'cut off by the time limit'
        : `sqlmap stopped early (exit ${run.exitCode}): ${critical ?? 'no verdict'}`,
    );
  }
  const summary =
    `${parameters.length} parameters, ${findings.length ? findings.join('; ') : 'nothing found'}` +
    `${hints.length ? ` (unconfirmed heuristic hints: ${hints.join(', ')})` : ''}` +
    `${falsePositives.length ? ` (candidates sqlmap withdrew as false positives: ${falsePositives.join(', ')})` : ''}; ` +
    `${clientErrors} 4xx, ${serverErrors} 5xx; ${run.seconds.toFixed(0)} s`;
  return {
    parameters,
    findings,
    hints,
    falsePositives,
    clientErrors,
    serverErrors,
    completed,
    seconds: run.seconds,
    summary,
  };
}
