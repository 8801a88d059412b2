import type { EntityManager } from 'typeorm';
import { insertAuditEvent } from '../audit/audit-event.writer';
import { passwordHasher } from '../users/password-hasher';
import { systemContext } from '../common/request-context';
import {
  DEMO_ACCOUNTS,
  DEMO_COUNTRIES,
  DEMO_FRAMEWORKS,
  DEMO_USER_COUNTRIES,
  PLATFORM_ADMIN_USERNAME,
} from './demo-data';

const ctx = systemContext('seed');

/** True when the database holds no account yet: the only time demo data is added automatically. */
export async function isEmpty(manager: EntityManager): Promise<boolean> {
  const rows: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM app_user`);
  return rows[0]!.n === 0;
}

/**
 * Inserts the demo world in the given transaction, every record with its audit event (actor `seed`).
 * Plain code over an EntityManager so the CLI, the first start and the test template all share it.
 */
/**
 * `bilateral`: the demo without the multilateral body, the world the specs written before it (issue 20)
 * describe: there, KH and MY cooperate with KR only, each through its own agreement.
 */
export interface DemoWorld {
  frameworks?: 'all' | 'bilateral';
}

export async function seedDemoData(
  manager: EntityManager,
  password: string,
  world: DemoWorld = {},
): Promise<{ users: number }> {
  const agencyOf = new Map<string, string>();
  for (const c of DEMO_COUNTRIES) {
    await manager.query(`INSERT INTO country (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      c.code,
      c.name,
    ]);
    await insertAuditEvent(manager, ctx, {
      action: 'country.create',
      recordType: 'country',
      recordId: c.code,
      after: { code: c.code, name: c.name },
    });
    const [agency] = await manager.query(
      `INSERT INTO agency (country_code, name) VALUES ($1, $2) RETURNING id`,
      [c.code, c.agency],
    );
    agencyOf.set(c.code, agency.id);
    await insertAuditEvent(manager, ctx, {
      action: 'agency.create',
      recordType: 'agency',
      recordId: agency.id,
      ownerCountry: c.code,
      after: { name: c.agency },
    });
  }
  for (const f of DEMO_FRAMEWORKS.filter((f) => world.frameworks !== 'bilateral' || f.members.length === 2)) {
    const [framework] = await manager.query(
      `INSERT INTO framework (name, valid_from, active) VALUES ($1, $2, true) RETURNING id`,
      [f.name, f.validFrom],
    );
    await manager.query(
      `INSERT INTO framework_member (framework_id, country_code, joined_on)
       SELECT $1, c, coalesce(($4::jsonb ->> c)::date, $3::date) FROM unnest($2::text[]) c`,
      [framework.id, f.members, f.validFrom, JSON.stringify(f.joinedOn ?? {})],
    );
    await insertAuditEvent(manager, ctx, {
      action: 'framework.create',
      recordType: 'framework',
      recordId: framework.id,
      after: { ...f },
    });
  }

  const passwordHash = await passwordHasher.hash(password);
  const accounts: Array<{ username: string; displayName: string; country: string | null; roles: string[] }> =
    [
      {
        username: PLATFORM_ADMIN_USERNAME,
        displayName: 'Platform administrator',
        country: null,
        roles: ['platform_admin'],
      },
    ];
  for (const country of DEMO_USER_COUNTRIES) {
    for (const account of DEMO_ACCOUNTS) {
      accounts.push({
        username: `${country.toLowerCase()}.${account.name}`,
        displayName: `${country} ${account.name}`,
        country,
        roles: [account.role],
      });
    }
  }
  for (const a of accounts) {
    const [user] = await manager.query(
      `INSERT INTO app_user (username, display_name, agency_id, country_code, roles, password_hash)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        a.username,
        a.displayName,
        a.country ? agencyOf.get(a.country) : null,
        a.country,
        a.roles,
        passwordHash,
      ],
    );
    await insertAuditEvent(manager, ctx, {
      action: 'user.create',
      recordType: 'user',
      recordId: user.id,
      ownerCountry: a.country,
      after: { username: a.username, roles: a.roles },
    });
  }
  return { users: accounts.length };
}
