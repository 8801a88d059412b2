import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hiddenInboundRequests, positional } from '../access/scopes';
import type { Actor } from '../common/request-context';
import { REQUEST_KINDS } from '../workflow/cross-border-request.entity';
import type { DurationView, RequestCountView } from './dto/stats.dto';
import { interpolate, locateRank, percentilePosition } from './percentile';
import type { StatsPeriod } from './stats-period';

type Direction = 'inbound' | 'outbound';
type Measure = 'accepted' | 'fulfilled';

const PERCENTILES = { median: 0.5, p90: 0.9 } as const;

/** Where to read exact durations: `take` values from `offset` inside one bucket of one group. */
interface Lookup {
  kind: string;
  direction: Direction;
  measure: Measure;
  bucket: number;
  offset: number;
  take: number;
  bucketCount: number;
}

/** Parameters shared by the period queries below: $1 … $7. */
function periodParams(me: string, period: StatsPeriod): unknown[] {
  return [me, period.months, period.days, period.from, period.fullDaysFrom, period.fullDaysTo, period.to];
}
/** Rollup rows of the whole months and days of the period. */
const IN_CELLS = `((grain = 'month' AND starts_on = ANY($2::date[])) OR (grain = 'day' AND starts_on = ANY($3::date[])))`;
/** The caller's side of a request: always as origin, as target only once it was sent. */
const SIDES: Record<Direction, string> = {
  outbound: `r.origin_country = $1`,
  inbound: `r.target_country = $1 AND r.sent_at IS NOT NULL`,
};
/**
 * When a request counts for each side, in the period and in the rollup's cells (`side`, migration
 * 1763800200000): for the origin from its creation, for the target from its sending — the target never
 * learns when the origin began drafting what it sent.
 */
const COUNTS_FROM: Record<Direction, string> = { outbound: 'r.created_at', inbound: 'r.sent_at' };
/** The rollup rows of the caller's country, either side. */
const MY_ROLLUP_ROWS = `((side = 'origin' AND origin_country = $1) OR (side = 'target' AND target_country = $1))`;
/** Every kind, spelled out so the planner can use the side's (country, kind, time) index. */
const ALL_KINDS = REQUEST_KINDS.map((k) => `'${k}'`).join(', ');
/**
 * The caller's requests (as `r`) created in the partial days at either end of the period, one range
 * of the side's index each. (Written as a join over lists of kinds and ranges, the planner scanned
 * the whole table.)
 */
const partialDayRows = (d: Direction) =>
  `(${[
    ['$4', '$5'],
    ['$6', '$7'],
  ]
    .map(
      ([since, until]) => `SELECT * FROM cross_border_request r
        WHERE ${SIDES[d]} AND r.kind IN (${ALL_KINDS}) AND ${COUNTS_FROM[d]} >= ${since} AND ${COUNTS_FROM[d]} < ${until}`,
    )
    .join(' UNION ALL ')}) r`;
/**
 * The inbound requests of the period that the caller may not read (RED for a non-liaison), to take
 * away from the country's pre-summed figures; their rows are few and read through the partial index
 * `request_red_inbound`. Appends its parameters to the period's ($4 from, $7 to).
 */
function hiddenInPeriod(actor: Actor, params: unknown[]): string | null {
  const scope = hiddenInboundRequests(actor, 'r');
  if (!scope) return null;
  return `${positional(scope, params)} AND ${COUNTS_FROM.inbound} >= $4 AND ${COUNTS_FROM.inbound} < $7`;
}
const COUNTERPART: Record<Direction, string> = { outbound: 'r.target_country', inbound: 'r.origin_country' };
const ENDED_AT: Record<Measure, string> = { accepted: 'accepted_at', fulfilled: 'fulfilled_at' };

/**
 * The request figures of `/stats`, exact, from the pre-summed rollup tables (migration
 * 1763800011000-RequestStatsRollup) plus the few requests of the period's partial first and last days.
 * Call inside one REPEATABLE READ transaction: the percentile look-ups rely on the histogram they
 * were located in.
 */
@Injectable()
export class RequestFiguresService {
  async counts(m: EntityManager, actor: Actor, period: StatsPeriod): Promise<RequestCountView[]> {
    const me = actor.countryCode!;
    const params = periodParams(me, period);
    const fromRows = (['outbound', 'inbound'] as const).map(
      (d) => `SELECT r.kind, '${d}' AS direction, ${COUNTERPART[d]} AS counterpart, r.status, 1 AS n
                FROM ${partialDayRows(d)}`,
    );
    const hidden = hiddenInPeriod(actor, params);
    if (hidden)
      fromRows.push(`SELECT r.kind, 'inbound' AS direction, r.origin_country AS counterpart, r.status, -1 AS n
                       FROM cross_border_request r WHERE ${hidden}`);
    const rows: Array<RequestCountView & { counterpart: string }> = await m.query(
      `SELECT kind, direction, counterpart, status, sum(n)::int AS count FROM (
         SELECT kind, CASE WHEN side = 'origin' THEN 'outbound' ELSE 'inbound' END AS direction,
                CASE WHEN side = 'origin' THEN target_country ELSE origin_country END AS counterpart, status, n
           FROM stats_request_count
          WHERE ${IN_CELLS} AND ${MY_ROLLUP_ROWS}
         UNION ALL ${fromRows.join(' UNION ALL ')}
       ) x GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
      params,
    );
    return rows.map((r) => ({
      kind: r.kind,
      direction: r.direction,
      counterpartCountry: r.counterpart,
      status: r.status,
      count: r.count,
    }));
  }

  /** Median and p90 hours from `sent` to the measure's end, per kind and direction. */
  async durations(
    m: EntityManager,
    actor: Actor,
    period: StatsPeriod,
  ): Promise<Record<Measure, DurationView[]>> {
    const groups = await this.histogram(m, actor, period);
    // percentile_cont needs the values at two adjacent ranks: each is located in the histogram (a
    // bucket and the rank inside it), then read from the rows; a pair in one bucket is read at once.
    const lookups: Lookup[] = [];
    const wanted = groups.map((group) =>
      Object.values(PERCENTILES).map((p) => {
        const { lower, fraction } = percentilePosition(p, group.count);
        const first = locateRank(group.buckets, lower);
        const bucketCount = group.buckets.find((b) => b.bucket === first.bucket)!.count;
        const paired = fraction > 0 && first.offset + 1 < bucketCount;
        const ask = (at: { bucket: number; offset: number }, take: number) =>
          lookups.push({
            ...group,
            ...at,
            take,
            bucketCount: group.buckets.find((b) => b.bucket === at.bucket)!.count,
          }) - 1;
        const lowerAt = ask(first, paired ? 2 : 1);
        const upperAt = fraction > 0 && !paired ? ask(locateRank(group.buckets, lower + 1), 1) : null;
        return { fraction, lowerAt, upperAt };
      }),
    );
    const values = await this.valuesAt(m, actor, period, lookups);
    const result: Record<Measure, DurationView[]> = { accepted: [], fulfilled: [] };
    groups.forEach((group, g) => {
      const [median, p90] = wanted[g]!.map(({ fraction, lowerAt, upperAt }) => {
        const [lowerValue, pairedUpper] = values[lowerAt]!;
        const upperValue = upperAt !== null ? values[upperAt]![0]! : (pairedUpper ?? lowerValue!);
        return interpolate(lowerValue!, upperValue, fraction) / 3600;
      });
      result[group.measure].push({
        kind: group.kind,
        direction: group.direction,
        count: group.count,
        medianHours: median!,
        p90Hours: p90!,
      });
    });
    return result;
  }

  /** Requests the target still owes whose due time has passed, by the caller's side. */
  async overdue(m: EntityManager, actor: Actor, now: Date): Promise<{ inbound: number; outbound: number }> {
    const me = actor.countryCode!;
    const today = new Date(now);
    today.setUTCHours(0, 0, 0, 0);
    const params: unknown[] = [me, today.toISOString().slice(0, 10), today, now];
    const scope = hiddenInboundRequests(actor, 'r');
    const hidden = scope
      ? ` UNION ALL SELECT r.origin_country, r.target_country, -1 FROM cross_border_request r
           WHERE ${positional(scope, params)} AND r.status IN ('sent', 'accepted') AND r.due_at < $4`
      : '';
    const [row] = await m.query(
      `SELECT coalesce(sum(n) FILTER (WHERE target_country = $1), 0)::int AS inbound,
              coalesce(sum(n) FILTER (WHERE origin_country = $1), 0)::int AS outbound
         FROM (SELECT origin_country, target_country, n FROM stats_open_request
                WHERE due_on < $2::date AND (origin_country = $1 OR target_country = $1)
               UNION ALL
               SELECT origin_country, target_country, 1 FROM cross_border_request
                WHERE status IN ('sent', 'accepted') AND due_at >= $3 AND due_at < $4
                  AND (origin_country = $1 OR target_country = $1)${hidden}) x`,
      params,
    );
    return row;
  }

  private async histogram(m: EntityManager, actor: Actor, period: StatsPeriod) {
    const me = actor.countryCode!;
    const params = periodParams(me, period);
    const fromRows = (['outbound', 'inbound'] as const).map(
      (
        d,
      ) => `SELECT r.kind, '${d}' AS direction, e.measure, stats_duration_bucket(e.ended_at - r.sent_at) AS bucket, 1 AS n
                FROM ${partialDayRows(d)}
               CROSS JOIN LATERAL (VALUES ('accepted', r.accepted_at), ('fulfilled', r.fulfilled_at)) AS e(measure, ended_at)
               WHERE e.ended_at IS NOT NULL`,
    );
    const hidden = hiddenInPeriod(actor, params);
    if (hidden)
      fromRows.push(`SELECT r.kind, 'inbound' AS direction, e.measure, stats_duration_bucket(e.ended_at - r.sent_at) AS bucket, -1 AS n
                       FROM cross_border_request r
                      CROSS JOIN LATERAL (VALUES ('accepted', r.accepted_at), ('fulfilled', r.fulfilled_at)) AS e(measure, ended_at)
                      WHERE ${hidden} AND e.ended_at IS NOT NULL`);
    const rows: Array<{ kind: string; direction: Direction; measure: Measure; bucket: number; n: number }> =
      await m.query(
        `SELECT kind, direction, measure, bucket, sum(n)::int AS n FROM (
           SELECT kind, CASE WHEN side = 'origin' THEN 'outbound' ELSE 'inbound' END AS direction, measure, bucket, n
             FROM stats_request_duration WHERE ${IN_CELLS} AND ${MY_ROLLUP_ROWS}
           UNION ALL ${fromRows.join(' UNION ALL ')}
         ) x GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
        params,
      );
    const groups = new Map<
      string,
      {
        kind: string;
        direction: Direction;
        measure: Measure;
        count: number;
        buckets: Array<{ bucket: number; count: number }>;
      }
    >();
    for (const r of rows) {
      const key = `${r.kind}/${r.direction}/${r.measure}`;
      const group = groups.get(key) ?? {
        kind: r.kind,
        direction: r.direction,
        measure: r.measure,
        count: 0,
        buckets: [],
      };
      group.count += r.n;
      group.buckets.push({ bucket: r.bucket, count: r.n });
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  /**
   * For each lookup, `take` exact durations (seconds, ascending) from `offset` inside its bucket, read
   * through the side's `request_<measure>_time_<side>` index (index only) from whichever end of the
   * bucket is nearer. All in one statement (planning these expressions costs milliseconds each time);
   * offsets and limits are written into it as integer literals, because with parameters there the
   * planner cannot tell a read of a few entries from a read of the whole bucket and scans the table.
   * The period is tested as `<time> <@ tstzrange(from, to)` (the same [from, to)) because no
   * index serves that form: compared with `>=` and `<`, the planner preferred reading the whole
   * period through `request_origin` and sorting it.
   */
  private async valuesAt(
    m: EntityManager,
    actor: Actor,
    period: StatsPeriod,
    lookups: Lookup[],
  ): Promise<number[][]> {
    if (lookups.length === 0) return [];
    const params: unknown[] = [actor.countryCode!, period.from, period.to];
    // Numbered only when an inbound read uses it (an unused parameter has no type and fails).
    const scope = lookups.some((l) => l.direction === 'inbound') ? hiddenInboundRequests(actor, 'r') : null;
    const notHidden = scope ? ` AND NOT ${positional(scope, params)}` : '';
    const integer = (n: number) => {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row offset: ${n}`);
      return String(n);
    };
    const reads = lookups.map((l, i) => {
      const fromTop = l.offset + l.take / 2 > l.bucketCount / 2;
      const duration = `r.${ENDED_AT[l.measure]} - r.sent_at`;
      params.push(l.kind);
      return `SELECT ${integer(i)} AS i, array_agg(seconds ORDER BY seconds) AS seconds FROM (
        SELECT extract(epoch FROM ${duration})::float8 AS seconds FROM cross_border_request r
         WHERE ${SIDES[l.direction]}${l.direction === 'inbound' ? notHidden : ''} AND r.kind = $${params.length}
           AND r.sent_at IS NOT NULL AND r.${ENDED_AT[l.measure]} IS NOT NULL
           AND stats_duration_bucket(${duration}) = ${integer(l.bucket)} AND ${COUNTS_FROM[l.direction]} <@ tstzrange($2, $3)
         ORDER BY ${duration} ${fromTop ? 'DESC' : 'ASC'}
        OFFSET ${integer(fromTop ? l.bucketCount - l.offset - l.take : l.offset)} LIMIT ${integer(l.take)}) x`;
    });
    const rows: Array<{ i: number; seconds: number[] | null }> = await m.query(
      reads.map((r) => `(${r})`).join(' UNION ALL '),
      params,
    );
    const values: number[][] = lookups.map(() => []);
    for (const r of rows) values[r.i] = (r.seconds ?? []).map(Number);
    // Fewer values than counted would mean the rollup disagrees with the rows: fail, never guess.
    if (lookups.some((l, i) => values[i]!.length !== l.take))
      throw new Error('stats rollup out of step with the request durations');
    return values;
  }
}
