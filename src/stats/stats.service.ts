import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { TransactionService } from '../database/transaction.service';
import type { DurationView, StatsQueryDto, StatsView } from './dto/stats.dto';

/** `1500000.000000000000000000` → `1500000`: numeric sums without their padding zeros. */
const normaliseDecimal = (value: string) => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);

/**
 * The figures a task force reports, for the caller's country and each counterpart, computed by SQL
 * aggregates over indexed columns. Only the caller's own requests (either side) are counted.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
  ) {}

  async stats(ctx: RequestContext, query: StatsQueryDto): Promise<StatsView> {
    const me = actorOf(ctx).countryCode!;
    const now = this.clock.now();
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 365 * 86400_000);
    if (from >= to) throw new ValidationFailedError([{ field: 'from', message: 'from must be before to' }]);
    const m = this.tx.manager;
    // The target's side counts a request only once it was sent: before that it does not exist for it.
    const mine = `(r.origin_country = $1 OR (r.target_country = $1 AND r.sent_at IS NOT NULL)) AND r.created_at >= $2 AND r.created_at < $3`;
    const direction = `CASE WHEN r.origin_country = $1 THEN 'outbound' ELSE 'inbound' END`;
    const counterpart = `CASE WHEN r.origin_country = $1 THEN r.target_country ELSE r.origin_country END`;
    const params = [me, from, to];

    const requests = await m.query(
      `SELECT r.kind, ${direction} AS direction, ${counterpart} AS counterpart, r.status, count(*)::int AS count
         FROM cross_border_request r WHERE ${mine} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      params,
    );
    const durations = (end: string) =>
      m.query(
        `SELECT r.kind, ${direction} AS direction, count(*)::int AS count,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.${end} - r.sent_at)) / 3600 AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.${end} - r.sent_at)) / 3600 AS p90
           FROM cross_border_request r WHERE ${mine} AND r.${end} IS NOT NULL AND r.sent_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
        params,
      );
    const [overdue] = await m.query(
      `SELECT count(*) FILTER (WHERE r.target_country = $1)::int AS inbound, count(*) FILTER (WHERE r.origin_country = $1)::int AS outbound
         FROM cross_border_request r WHERE (r.origin_country = $1 OR r.target_country = $1) AND r.status IN ('sent', 'accepted') AND r.due_at < $2`,
      [me, now],
    );
    const [blacklist] = await m.query(
      `SELECT (SELECT count(*) FROM blacklist_entry WHERE banning_country = $1 AND status = 'active' AND expires_on >= $4::date)::int AS active_entries,
              (SELECT count(*) FROM screening WHERE country_code = $1 AND created_at >= $2 AND created_at < $3)::int AS screenings,
              (SELECT count(*) FROM screening_candidate c JOIN screening s ON s.id = c.screening_id
                 WHERE s.country_code = $1 AND c.decision = 'confirmed' AND s.created_at >= $2 AND s.created_at < $3)::int AS confirmed_hits`,
      [me, from, to, now.toISOString().slice(0, 10)],
    );
    const arrests = await m.query(
      `SELECT to_char(date_trunc('month', a.arrested_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, a.nationality, count(*)::int AS count
         FROM arrest a WHERE a.arresting_country = $1 AND a.arrested_at >= $2 AND a.arrested_at < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const repatriated = await m.query(
      `SELECT to_char(date_trunc('month', rp.handover_confirmed_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS count
         FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
        WHERE (r.origin_country = $1 OR r.target_country = $1) AND rp.handover_confirmed_at >= $2 AND rp.handover_confirmed_at < $3
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    const assets = await m.query(
      `SELECT ${direction} AS direction, t.currency,
              sum(t.frozen_amount)::text AS frozen, sum(t.recovered_amount)::text AS recovered, sum(t.returned_amount)::text AS returned
         FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
        WHERE ${mine} GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    const toDurations = (
      rows: Array<{
        kind: string;
        direction: 'inbound' | 'outbound';
        count: number;
        median: number | null;
        p90: number | null;
      }>,
    ): DurationView[] =>
      rows.map((r) => ({
        kind: r.kind,
        direction: r.direction,
        count: r.count,
        medianHours: r.median === null ? null : Number(r.median),
        p90Hours: r.p90 === null ? null : Number(r.p90),
      }));
    return {
      country: me,
      from: from.toISOString(),
      to: to.toISOString(),
      requests: requests.map(
        (r: {
          kind: string;
          direction: 'inbound' | 'outbound';
          counterpart: string;
          status: string;
          count: number;
        }) => ({
          kind: r.kind,
          direction: r.direction,
          counterpartCountry: r.counterpart,
          status: r.status,
          count: r.count,
        }),
      ),
      sentToAccepted: toDurations(await durations('accepted_at')),
      sentToFulfilled: toDurations(await durations('fulfilled_at')),
      overdueNow: { inbound: overdue.inbound, outbound: overdue.outbound },
      blacklist: {
        activeEntries: blacklist.active_entries,
        screenings: blacklist.screenings,
        confirmedHits: blacklist.confirmed_hits,
      },
      arrests,
      repatriated,
      assets: assets.map(
        (a: {
          direction: 'inbound' | 'outbound';
          currency: string;
          frozen: string;
          recovered: string;
          returned: string;
        }) => ({
          direction: a.direction,
          currency: a.currency,
          frozen: normaliseDecimal(a.frozen),
          recovered: normaliseDecimal(a.recovered),
          returned: normaliseDecimal(a.returned),
        }),
      ),
    };
  }
}
