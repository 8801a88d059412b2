import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The questions the visibility scopes ask of the frameworks, as PL/pgSQL functions over
 * `framework_members_on` (still the one definition of membership on a day):
 * - `countries_cooperate_on(a, b, day)`: a framework in force that day has both as members;
 *   `countries_cooperate_on(a, b, c, day)`: one such framework has all three (the green circle);
 *   `framework_joins_on(framework, a, b, day)`: that framework, in force that day, has both;
 * - `countries_told_by(country, day)`: the countries such a framework joins to `country`;
 * - `cooperation_resumed_at(country, reader, day)`: when a framework joining the two last resumed.
 *
 * They were inlined subqueries over two or three copies of that SQL function, up to ten copies a
 * statement, and PostgreSQL planned the joined tables of every copy at every call: 1.2 ms of planning
 * per question, most of the database's CPU on the read paths (a read of one arrest planned for 3.7 ms
 * and ran for 0.1 ms). A PL/pgSQL function's plan is made once per connection. The scopes ask them row by
 * row (inside OR, CASE and the select list, where PostgreSQL ran the inlined subquery as a per-row subplan
 * too), so running them costs no more: 21 µs a row against 27 for the EXISTS. Not everywhere: a
 * prepared statement that keeps its generic plan pays no planning for an inlined subquery, and a row
 * of it costs less than a PL/pgSQL call (the requests list keeps its own: bench/README, session 31).
 *
 * Not STRICT: a NULL country does not cooperate (false), as the EXISTS said.
 */
export class CountriesCooperateFunction1763801240000 implements MigrationInterface {
  name = 'CountriesCooperateFunction1763801240000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION countries_cooperate_on(a char(2), b char(2), day date) RETURNS boolean
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          RETURN EXISTS (SELECT 1 FROM framework_members_on(day) x
                           JOIN framework_members_on(day) y ON y.framework_id = x.framework_id
                          WHERE x.country_code = a AND y.country_code = b);
        END
        $$`);
    await q.query(`
      CREATE FUNCTION countries_cooperate_on(a char(2), b char(2), c char(2), day date) RETURNS boolean
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          RETURN EXISTS (SELECT 1 FROM framework_members_on(day) x
                           JOIN framework_members_on(day) y ON y.framework_id = x.framework_id
                           JOIN framework_members_on(day) z ON z.framework_id = x.framework_id
                          WHERE x.country_code = a AND y.country_code = b AND z.country_code = c);
        END
        $$`);
    await q.query(`
      CREATE FUNCTION framework_joins_on(framework uuid, a char(2), b char(2), day date) RETURNS boolean
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          RETURN EXISTS (SELECT 1 FROM framework_members_on(day) x
                           JOIN framework_members_on(day) y ON y.framework_id = x.framework_id
                          WHERE x.framework_id = framework AND x.country_code = a AND y.country_code = b);
        END
        $$`);
    await q.query(`
      CREATE FUNCTION countries_told_by(country char(2), day date) RETURNS char(2)[]
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          RETURN ARRAY(SELECT DISTINCT y.country_code FROM framework_members_on(day) x
                         JOIN framework_members_on(day) y ON y.framework_id = x.framework_id
                        WHERE x.country_code = country AND y.country_code <> country);
        END
        $$`);
    await q.query(`
      CREATE FUNCTION cooperation_resumed_at(country char(2), reader char(2), day date) RETURNS timestamptz
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
        BEGIN
          RETURN (SELECT max(r.at) FROM framework_resumption r
                    JOIN framework_members_on(day) x ON x.framework_id = r.framework_id AND x.country_code = country
                    JOIN framework_members_on(day) y ON y.framework_id = r.framework_id AND y.country_code = reader);
        END
        $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION cooperation_resumed_at(char(2), char(2), date)`);
    await q.query(`DROP FUNCTION countries_told_by(char(2), date)`);
    await q.query(`DROP FUNCTION framework_joins_on(uuid, char(2), char(2), date)`);
    await q.query(`DROP FUNCTION countries_cooperate_on(char(2), char(2), char(2), date)`);
    await q.query(`DROP FUNCTION countries_cooperate_on(char(2), char(2), date)`);
  }
}
