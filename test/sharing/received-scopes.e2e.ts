import {
  arrestReceivedScope,
  arrestScope,
  personReceivedScope,
  personScope,
  positional,
  Scope,
} from '../../src/access/scopes';
import type { Actor } from '../../src/common/request-context';
import { buildWorld, signInEveryone } from '../security/security-support';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * The persons and arrests lists read another country's rows through `personReceivedScope` and
 * `arrestReceivedScope`, written apart from `personScope` and `arrestScope` so that a list reads only
 * the rows received. They must select exactly the rows the scopes let the reader see, less its own:
 * one more row is a leak, one less a record the list hides. Checked for every user of every country
 * on the security suites' world (cases shared and revoked, requests of every state, arrests shared,
 * repatriations).
 */
describe('The lists’ received-row scopes equal the access scopes less the reader’s own rows', () => {
  let t: TestApp;
  let actors: Actor[];
  beforeAll(async () => {
    t = await createTestApp();
    const callers = await signInEveryone(t);
    await buildWorld(t, callers);
    // An arrest of KH's handed to KR, and one kept: the world has none across.
    const as = (username: string) => callers.find((c) => c.username === username)!.http;
    for (const name of ['Sok Dara', 'Chan Vuthy']) {
      const arrest = (
        await as('kh.officer')
          .post('/arrests', {
            arrestedAt: '2026-11-20T02:30:00Z',
            place: 'Bavet compound, block D',
            grounds: 'Online fraud',
            arrestingAgency: 'Joint raid',
            nationality: 'KH',
            person: { names: [{ full: name, script: 'latin', kind: 'primary' }], nationalities: ['KH'] },
          })
          .expect(201)
      ).body;
      if (name === 'Sok Dara')
        await as('kh.liaison').post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
    }
    const users: Array<{ id: string; username: string; country_code: string; roles: string[] }> =
      await t.dataSource.query(
        `SELECT id, username, country_code, roles FROM app_user WHERE country_code IS NOT NULL`,
      );
    actors = users.map((u) => ({
      kind: 'user',
      userId: u.id,
      username: u.username,
      agencyId: null,
      countryCode: u.country_code,
      roles: u.roles as Actor['roles'],
    }));
  }, 180_000);
  afterAll(() => t?.close());

  async function ids(table: string, alias: string, scope: Scope, extra = ''): Promise<string[]> {
    const params: unknown[] = [];
    const sql = positional(scope, params);
    const rows: Array<{ id: string }> = await t.dataSource.query(
      `SELECT ${alias}.id FROM ${table} ${alias} WHERE ${sql} ${extra} ORDER BY ${alias}.id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  it('persons: for every user, received = visible and not its country’s own', async () => {
    let received = 0;
    for (const actor of actors) {
      const expected = await ids(
        'person',
        'p',
        personScope(actor),
        `AND p.owner_country <> '${actor.countryCode}'`,
      );
      expect({ who: actor.username, ids: await ids('person', 'p', personReceivedScope(actor)) }).toEqual({
        who: actor.username,
        ids: expected,
      });
      received += expected.length;
    }
    expect(received).toBeGreaterThan(0); // the world does hand persons across
  });

  it('arrests: for every user, received = visible and not its country’s own', async () => {
    let received = 0;
    for (const actor of actors) {
      const expected = await ids(
        'arrest',
        'a',
        arrestScope(actor),
        `AND a.arresting_country <> '${actor.countryCode}'`,
      );
      expect({ who: actor.username, ids: await ids('arrest', 'a', arrestReceivedScope(actor)) }).toEqual({
        who: actor.username,
        ids: expected,
      });
      received += expected.length;
    }
    expect(received).toBeGreaterThan(0);
  });
});
