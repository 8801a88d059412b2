import request from 'supertest';
import type { Permission } from '../../src/common/permissions/permissions';
import type { Role } from '../../src/common/permissions/roles';
import { holds, ROUTE_PERMISSIONS } from '../security/authorization-expectations';
import { declaredQueryNames, fillPath, loadRoutes, Route, snapshotter } from '../security/security-support';
import { signIn, SignedIn } from '../support/http';
import type { TestApp } from '../support/test-app';
import type { RawAnswer } from './raw-http';

/** Problem types are URNs of this API (`urn:case-desk:problem:validation-failed`). */
const PROBLEM_TYPE = /^urn:case-desk:problem:[a-z-]+$/;

/**
 * What is wrong with an answer that should be a refusal of bad input: not a 4xx, or not the problem
 * details every other 400 has (`application/problem+json`, `type`, `title`, `status` = the status,
 * `detail`, and for a 400 of validation the `errors` naming fields). Empty when it is a proper refusal.
 */
export function refusalFault(res: request.Response): string[] {
  const faults: string[] = [];
  if (res.status < 400 || res.status >= 500) faults.push(`status ${res.status}`);
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
    faults.push(`content-type ${String(res.headers['content-type'])}`);
  const body = parsed(res);
  if (!body || typeof body !== 'object') return [...faults, `body ${String(res.text).slice(0, 120)}`];
  if (typeof body.type !== 'string' || !PROBLEM_TYPE.test(body.type))
    faults.push(`type ${String(body.type)}`);
  if (body.status !== res.status) faults.push(`body status ${String(body.status)}`);
  if (typeof body.title !== 'string' || typeof body.detail !== 'string') faults.push('no title/detail');
  if (body.type === 'urn:case-desk:problem:validation-failed') {
    const errors = body.errors as { field?: unknown; message?: unknown }[] | undefined;
    if (!Array.isArray(errors) || errors.length === 0) faults.push('validation without errors');
    else if (errors.some((e) => typeof e.field !== 'string' || typeof e.message !== 'string'))
      faults.push('errors without field/message');
  }
  return faults;
}

function parsed(res: request.Response): Record<string, unknown> | undefined {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body).length > 0) return res.body;
  try {
    return JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `GET /x → 400 [content-type text/html]`: one line per wrong answer, for `expect(wrong).toEqual([])`. */
export const line = (what: string, res: request.Response, faults = refusalFault(res)) =>
  faults.length === 0 ? [] : [`${what} → ${res.status} ${JSON.stringify(faults)}`];

const ROLES: Role[] = ['officer', 'liaison', 'auditor', 'admin', 'screener'];

/** KR's demo users by role, plus the platform admin: whoever a route's permission admits. */
export async function callersByRole(t: TestApp) {
  const byRole = new Map<Role | 'platform_admin', SignedIn>();
  for (const role of ROLES) byRole.set(role, await signIn(t.server, `kr.${role}`));
  byRole.set('platform_admin', await signIn(t.server, 'platform.admin'));
  /** A caller the route lets in, so that what answers is the input check, not the permission check. */
  return (route: Route): SignedIn | undefined => {
    const permission = ROUTE_PERMISSIONS[route.key];
    if (permission === undefined || permission === 'public') return undefined;
    for (const [role, who] of byRole) if (holds([role as Role], permission as Permission)) return who;
    return undefined;
  };
}

export interface RouteWithQuery extends Route {
  /** The route with made-up ids in its path parameters (`KH` for a country), below `/api/v1`. */
  url: string;
  query: string[];
}

export async function routesWithQueries(t: TestApp): Promise<RouteWithQuery[]> {
  const names = await declaredQueryNames(t);
  return (await loadRoutes(t)).map((r) => ({
    ...r,
    url: fillPath(r.path, '00000000-0000-4000-8000-000000000000', 'KH'),
    query: [...(names.get(r.key) ?? [])],
  }));
}

export const count = async (t: TestApp, table: string) =>
  (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

/**
 * What a refused request must leave as it was: every business table (rows and last change), the audit
 * trail and the idempotency keys. Call the result before and after; the two strings must be equal.
 */
export async function writeWatch(t: TestApp): Promise<() => Promise<string>> {
  const business = await snapshotter(t);
  return async () =>
    `${await business()}|audit_event:${await count(t, 'audit_event')}|idempotency_key:${await count(t, 'idempotency_key')}`;
}

/** A raw answer's problem details as the probes compare them: with `refused`, the shape of every refusal. */
export function problemOf(res: RawAnswer) {
  let body: { type?: unknown; status?: unknown; errors?: { field: string }[] } = {};
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    /* not JSON: the shape below says so */
  }
  return {
    status: res.status,
    problemJson: /^application\/problem\+json/.test(res.headers['content-type'] ?? ''),
    problemType: typeof body.type === 'string' && body.type.startsWith('urn:case-desk:problem:'),
    bodyStatus: body.status,
    errors: body.errors?.map((e) => e.field),
  };
}

/** What `problemOf` reads from a refusal with `status` (naming `errors`, when given). */
export const refused = (status: number, errors?: string[]) => ({
  status,
  problemJson: true,
  problemType: true,
  bodyStatus: status,
  errors,
});
