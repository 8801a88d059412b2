import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { REQUEST_KINDS } from '../workflow/cross-border-request.entity';
import type { DurationView, RequestCountView } from './dto/stats.dto';
import { interpolate, locateRank, percentilePosition } from './percentile';
import type { StatsPeriod } from './stats-period';

type Direction = 'inbound' | 'outbound';
type Measure = 'accepted' | 'fulfilled';

const PERCENTILES = { median: 0.5, p90: 0.9 } as const;

/** Parameters shared by the period queries below: $1 … $8. */
function periodParams(me: string, period: StatsPeriod): unknown[] {
  return [
    me,
    period.months,
    period.days,
    period.from,
    period.fullDaysFrom,
    period.fullDaysTo,
    period.to,
    [...REQUEST_KINDS],
  ];
}
/** Rollup rows of the whole months and days of the period. */
const IN_CELLS = `((grain = 'month' AND starts_on = ANY($2::date[])) OR (grain = 'day' AND starts_on = ANY($3::date[])))`;
/** Requests created in the partial days at either end (`kind = ANY` lets the side's index serve the range). */
const IN_PARTIAL_DAYS = `r.kind = ANY($8::text[]) AND ((r.created_at >= $4 AND r.created_at < $5) OR (r.created_at >= $6 AND r.created_at < $7))`;
/** The caller's side of a request: always as origin, as target only once it was sent. */
const SIDES: Record<Direction, string> = {
  outbound: `r.origin_country = $1`,
  inbound: `r.target_country = $1 AND r.sent_at IS NOT NULL`,
};
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
  async counts(m: EntityManager, me: string, period: StatsPeriod): Promise<RequestCountView[]> {
    const fromRows = (['outbound', 'inbound'] as const).map(
      (d) => `SELECT r.kind, '${d}' AS direction, ${COUNTERPART[d]} AS counterpart, r.status, 1 AS n
                FROM cross_border_request r WHERE ${SIDES[d]} AND ${IN_PARTIAL_DAYS}`,
    );
    const rows: Array<RequestCountView & { counterpart: string }> = await m.query(
      `SELECT kind, direction, counterpart, status, sum(n)::int AS count FROM (
         SELECT kind, CASE WHEN origin_country = $1 THEN 'outbound' ELSE 'inbound' END AS direction,
                CASE WHEN origin_country = $1 THEN target_country ELSE origin_country END AS counterpart, status, n
           FROM stats_request_count
          WHERE ${IN_CELLS} AND (origin_country = $1 OR (target_country = $1 AND sent))
         UNION ALL ${fromRows.join(' UNION ALL ')}
       ) x GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
      periodParams(me, period),
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
    me: string,
    period: StatsPeriod,
  ): Promise<Record<Measure, DurationView[]>> {
    const histogram = await this.histogram(m, me, period);
    const result: Record<Measure, DurationView[]> = { accepted: [], fulfilled: [] };
    for (const measure of ['accepted', 'fulfilled'] as const)
      for (const direction of ['inbound', 'outbound'] as const) {
        const groups = histogram.filter((h) => h.measure === measure && h.direction === direction);
        // Each wanted rank: the bucket holding it, then its exact value read from that bucket's rows.
        const wanted = groups.flatMap((g) =>
          Object.values(PERCENTILES).flatMap((p) => {
            const { lower, upper } = percentilePosition(p, g.count);
            return [lower, upper].map((rank) => ({ kind: g.kind, rank, ...locateRank(g.buckets, rank) }));
          }),
        );
        const values = await this.valuesAt(m, me, period, direction, measure, wanted);
        const hoursAt = (kind: string, rank: number) =>
          values[wanted.findIndex((w) => w.kind === kind && w.rank === rank)]! / 3600;
        for (const g of groups) {
          const percentile = (p: number) => {
            const { lower, upper, fraction } = percentilePosition(p, g.count);
            return interpolate(hoursAt(g.kind, lower), hoursAt(g.kind, upper), fraction);
          };
          result[measure].push({
            kind: g.kind,
            direction,
            count: g.count,
            medianHours: percentile(PERCENTILES.median),
            p90Hours: percentile(PERCENTILES.p90),
          });
        }
      }
    for (const views of Object.values(result))
      views.sort((a, b) => a.kind.localeCompare(b.kind) || a.direction.localeCompare(b.direction));
    return result;
  }

  /** Requests the target still owes whose due time has passed, by the caller's side. */
  async overdue(m: EntityManager, me: string, now: Date): Promise<{ inbound: number; outbound: number }> {
    const today = new Date(now);
    today.setUTCHours(0, 0, 0, 0);
    const [row] = await m.query(
      `SELECT coalesce(sum(n) FILTER (WHERE target_country = $1), 0)::int AS inbound,
              coalesce(sum(n) FILTER (WHERE origin_country = $1), 0)::int AS outbound
         FROM (SELECT origin_country, target_country, n FROM stats_open_request
                WHERE due_on < $2::date AND (origin_country = $1 OR target_country = $1)
               UNION ALL
               SELECT origin_country, target_country, 1 FROM cross_border_request
                WHERE status IN ('sent', 'accepted') AND due_at >= $3 AND due_at < $4
                  AND (origin_country = $1 OR target_country = $1)) x`,
      [me, today.toISOString().slice(0, 10), today, now],
    );
    return row;
  }

  private async histogram(m: EntityManager, me: string, period: StatsPeriod) {
    const fromRows = (['outbound', 'inbound'] as const).map(
      (
        d,
      ) => `SELECT r.kind, '${d}' AS direction, e.measure, stats_duration_bucket(e.ended_at - r.sent_at) AS bucket, 1 AS n
                FROM cross_border_request r
               CROSS JOIN LATERAL (VALUES ('accepted', r.accepted_at), ('fulfilled', r.fulfilled_at)) AS e(measure, ended_at)
               WHERE ${SIDES[d]} AND ${IN_PARTIAL_DAYS} AND e.ended_at IS NOT NULL`,
    );
    const rows: Array<{ kind: string; direction: Direction; measure: Measure; bucket: number; n: number }> =
      await m.query(
        `SELECT kind, direction, measure, bucket, sum(n)::int AS n FROM (
           SELECT kind, CASE WHEN origin_country = $1 THEN 'outbound' ELSE 'inbound' END AS direction, measure, bucket, n
             FROM stats_request_duration WHERE ${IN_CELLS} AND (origin_country = $1 OR target_country = $1)
           UNION ALL ${fromRows.join(' UNION ALL ')}
         ) x GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`,
        periodParams(me, period),
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
   * The exact durations (seconds) at the wanted offsets inside their buckets, in the order asked,
   * read through the side's `request_<measure>_time_<side>` index.
   */
  private async valuesAt(
    m: EntityManager,
    me: string,
    period: StatsPeriod,
    direction: Direction,
    measure: Measure,
    wanted: Array<{ kind: string; bucket: number; offset: number }>,
  ): Promise<number[]> {
    if (wanted.length === 0) return [];
    const duration = `r.${ENDED_AT[measure]} - r.sent_at`;
    const rows: Array<{ i: string; seconds: number }> = await m.query(
      `SELECT w.i, v.seconds
         FROM unnest($4::text[], $5::smallint[], $6::int[]) WITH ORDINALITY AS w(kind, bucket, skip, i)
        CROSS JOIN LATERAL (
          SELECT extract(epoch FROM ${duration})::float8 AS seconds FROM cross_border_request r
           WHERE ${SIDES[direction]} AND r.kind = w.kind AND r.${ENDED_AT[measure]} IS NOT NULL
             AND stats_duration_bucket(${duration}) = w.bucket
             AND r.created_at >= $2 AND r.created_at < $3
           ORDER BY ${duration} OFFSET w.skip LIMIT 1) v
        ORDER BY w.i`,
      [
        me,
        period.from,
        period.to,
        wanted.map((w) => w.kind),
        wanted.map((w) => w.bucket),
        wanted.map((w) => w.offset),
      ],
    );
    // A missing value would mean the rollup disagrees with the rows: fail loudly rather than guess.
    if (rows.length !== wanted.length) throw new Error(`stats rollup out of step with ${measure} durations`);
    return rows.map((r) => Number(r.seconds));
  }
}
