import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { hiddenInboundRequests, positional } from '../access/scopes';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { Clock } from '../common/time/clock';
import { EARLIEST_CASE_DAY } from '../common/time/plausible-dates';
import { TransactionService } from '../database/transaction.service';
import type { StatsQueryDto, StatsView } from './dto/stats.dto';
import { RequestFiguresService } from './request-figures.service';
import { periodEnd, splitPeriod } from './stats-period';

/** `1500000.000000000000000000` → `1500000`: numeric sums without their padding zeros. */
const normaliseDecimal = (value: string) => (value.includes('.') ? value.replace(/\.?0+$/, '') : value);

/**
 * The part of [from, to) that can hold records, for the day and month rollups: none is older than the
 * desk's earliest case day or newer than a year from now. A period of 1000–9999 was cut into 108,000
 * months and sent to PostgreSQL as arrays, holding the event loop up to half a second per request
 * (probe input2); the figures are the same, since nothing lies outside.
 */
function countedPeriod(from: Date, to: Date, now: Date): [Date, Date] {
  const earliest = new Date(EARLIEST_CASE_DAY);
  const latest = new Date(Math.max(now.getTime(), Date.now()) + 366 * 86_400_000);
  const start = from < earliest ? earliest : from;
  const end = to > latest ? latest : to;
  return start < end ? [start, end] : [end, end];
}

/**
 * The figures a task force reports, for the caller's country and each counterpart. Request figures
 * come from pre-summed rollup tables (`RequestFiguresService`); the other tables stay small enough for
 * plain SQL aggregates over indexed columns. Only the caller's own requests (either side) are counted.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    private readonly requestFigures: RequestFiguresService,
  ) {}

  async stats(ctx: RequestContext, query: StatsQueryDto): Promise<StatsView> {
    const actor = actorOf(ctx);
    const me = actor.countryCode!;
    const now = this.clock.now();
    const to = query.to ? periodEnd(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 365 * 86400_000);
    if (from >= to) throw new ValidationFailedError([{ field: 'from', message: 'from must be before to' }]);
    const period = splitPeriod(...countedPeriod(from, to, now));
    // One snapshot for every figure: a percentile is located in the histogram, then read from the rows.
    // On a standby too, when the route reads from one (`@ReadsFromReplica`).
    return this.tx.readSnapshot(async (m) => {
      await m.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
      // Every query reads a few thousand index entries: parallel workers would only add their start-up.
      await m.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      // Figures follow the caller's visibility: an inbound RED request counts only for those who may read it.
      const requests = await this.requestFigures.counts(m, actor, period);
      const durations = await this.requestFigures.durations(m, actor, period);
      const overdueNow = await this.requestFigures.overdue(m, actor, now);
      return {
        country: me,
        from: from.toISOString(),
        to: to.toISOString(),
        requests,
        sentToAccepted: durations.accepted,
        sentToFulfilled: durations.fulfilled,
        overdueNow,
        ...(await this.otherFigures(m, actor, from, to, now)),
      };
    });
  }

  private async otherFigures(
    m: EntityManager,
    actor: Actor,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<Pick<StatsView, 'blacklist' | 'arrests' | 'repatriated' | 'assets'>> {
    const me = actor.countryCode!;
    const params: unknown[] = [me, from, to];
    const hiddenScope = hiddenInboundRequests(actor, 'r');
    const notHidden = hiddenScope ? ` AND NOT ${positional(hiddenScope, params)}` : '';
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
      [me, from, to],
    );
    const repatriated = await m.query(
      `SELECT to_char(date_trunc('month', rp.handover_confirmed_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS count
         FROM repatriation_person rp JOIN cross_border_request r ON r.id = rp.request_id
        WHERE (r.origin_country = $1 OR r.target_country = $1) AND rp.handover_confirmed_at >= $2 AND rp.handover_confirmed_at < $3${notHidden}
        GROUP BY 1 ORDER BY 1`,
      params,
    );
    const assets: Array<{
      direction: 'inbound' | 'outbound';
      currency: string;
      frozen: string;
      recovered: string;
      returned: string;
    }> = await m.query(
      `SELECT CASE WHEN r.origin_country = $1 THEN 'outbound' ELSE 'inbound' END AS direction, t.currency,
              sum(t.frozen_amount)::text AS frozen, sum(t.recovered_amount)::text AS recovered, sum(t.returned_amount)::text AS returned
         FROM asset_freeze_target t JOIN cross_border_request r ON r.id = t.request_id
        WHERE ((r.origin_country = $1 AND r.created_at >= $2 AND r.created_at < $3)
            OR (r.target_country = $1 AND r.sent_at >= $2 AND r.sent_at < $3))${notHidden}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return {
      blacklist: {
        activeEntries: blacklist.active_entries,
        screenings: blacklist.screenings,
        confirmedHits: blacklist.confirmed_hits,
      },
      arrests,
      repatriated,
      assets: assets.map((a) => ({
        direction: a.direction,
        currency: a.currency,
        frozen: normaliseDecimal(a.frozen),
        recovered: normaliseDecimal(a.recovered),
        returned: normaliseDecimal(a.returned),
      })),
    };
  }
}
