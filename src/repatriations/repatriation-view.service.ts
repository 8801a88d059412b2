import { Injectable } from '@nestjs/common';
import type { CustodyStatus } from '../arrests/dto/arrest.dto';
import type { Actor } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { PersonName } from '../persons/person.entity';
import { KeptCopiesStore } from '../persons/kept-copies.store';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { RequestViewsService } from '../workflow/request-views.service';
import { WorkflowService } from '../workflow/workflow.service';
import type {
  DropReason,
  RepatriationPersonState,
  RepatriationPersonView,
  RepatriationRequestView,
  ScheduleView,
} from './dto/repatriation-request.dto';

const KIND = 'repatriation' as const;

export interface PersonRow {
  arrest_id: string;
  person_id: string;
  names: PersonName[];
  nationality: string;
  custody_status: CustodyStatus;
  handed_over_by: string | null;
  received_by: string | null;
  handed_over_at: Date | null;
  handover_place: string | null;
  handover_recorded_at: Date | null;
  handover_confirmed_at: Date | null;
  drop_reason: DropReason | null;
  drop_note: string | null;
  dropped_at: Date | null;
}

export interface ScheduleRow {
  departure_at: Date;
  departure_point: string;
  arrival_point: string;
  carrier: string;
  flight_number: string | null;
  sending_escorts: string[];
  receiving_escorts: string[];
  notes: string | null;
  scheduled_by_country: string;
  scheduled_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function stateOf(p: PersonRow): RepatriationPersonState {
  if (p.drop_reason) return 'dropped';
  if (p.handover_confirmed_at) return 'handed_over';
  if (p.handover_recorded_at) return 'awaiting_confirmation';
  return 'pending';
}

/**
 * The view of a repatriation request: the shared header and this kind's fields (`viewExtras`); its
 * counts are derived from the persons' rows each time.
 */
@Injectable()
export class RepatriationViewService {
  constructor(
    private readonly tx: TransactionService,
    private readonly workflow: WorkflowService,
    private readonly views: RequestViewsService,
  ) {}

  view(actor: Actor, r: CrossBorderRequest): Promise<RepatriationRequestView> {
    return this.views.view(actor, r);
  }

  scheduleView(s: ScheduleRow): ScheduleView {
    return {
      departureAt: new Date(s.departure_at).toISOString(),
      departurePoint: s.departure_point,
      arrivalPoint: s.arrival_point,
      carrier: s.carrier,
      flightNumber: s.flight_number,
      sendingEscorts: s.sending_escorts,
      receivingEscorts: s.receiving_escorts,
      notes: s.notes,
      scheduledByCountry: s.scheduled_by_country,
      scheduledAt: new Date(s.scheduled_at).toISOString(),
    };
  }

  /** What a repatriation adds to the shared header: its two sides, persons, counts and current plan. */
  async viewExtras(actor: Actor, r: CrossBorderRequest) {
    const rows: PersonRow[] = await this.tx.manager.query(
      `SELECT rp.*, p.names, a.nationality, a.custody_status
         FROM repatriation_person rp JOIN arrest a ON a.id = rp.arrest_id JOIN person p ON p.id = rp.person_id
        WHERE rp.request_id = $1 ORDER BY a.arrested_at, rp.arrest_id`,
      [r.id],
    );
    const [schedule]: ScheduleRow[] = await this.tx.manager.query(
      `SELECT * FROM repatriation_schedule WHERE request_id = $1 ORDER BY id DESC LIMIT 1`,
      [r.id],
    );
    // The reader's country reads a person it keeps a copy of (its cooperation with the owner ended) from it.
    const kept = await new KeptCopiesStore(this.tx.manager).of(
      rows.map((p) => p.person_id),
      actor.countryCode,
      actor,
    );
    const receiving = actor.countryCode !== (r.payload as { sendingCountry?: string }).sendingCountry;
    const custodyWithheld = receiving && !(await this.workflow.frameworkActive(r));
    // A row no longer under way (the request withdrawn or rejected, the person dropped) no longer opens
    // the arrest to the receiving side (`repatriationUnderWay`): its custody is not shown either.
    const stopped = ['withdrawn', 'rejected'].includes(r.status);
    const receivingCountry = r.payload.receivingCountry as string;
    const persons: RepatriationPersonView[] = rows.map((p) => {
      // Nor does a row whose arrest's nationality the arresting country corrected to another country's
      // (`PATCH /arrests/:id`, only while the request was not sent, or no longer under way): the receiving
      // side reads the nationality the row was drafted under, its own, not what the arrest now says.
      const corrected = receiving && p.nationality !== receivingCountry;
      return {
        arrestId: p.arrest_id,
        personId: p.person_id,
        names: kept.get(p.person_id)?.names ?? p.names,
        nationality: corrected ? receivingCountry : p.nationality,
        custodyStatus:
          custodyWithheld || (receiving && (stopped || p.drop_reason || corrected)) ? null : p.custody_status,
        state: stateOf(p),
        handover: p.handover_recorded_at
          ? {
              handedOverBy: p.handed_over_by!,
              receivedBy: p.received_by!,
              handedOverAt: iso(p.handed_over_at)!,
              place: p.handover_place!,
              recordedAt: iso(p.handover_recorded_at)!,
              confirmedAt: iso(p.handover_confirmed_at),
            }
          : null,
        drop: p.drop_reason
          ? { reason: p.drop_reason, note: p.drop_note, droppedAt: iso(p.dropped_at)! }
          : null,
      };
    });
    const count = (state: RepatriationPersonState) => persons.filter((p) => p.state === state).length;
    return {
      kind: KIND,
      sendingCountry: r.payload.sendingCountry as string,
      receivingCountry,
      counts: {
        requested: persons.length,
        pending: count('pending'),
        awaitingConfirmation: count('awaiting_confirmation'),
        handedOver: count('handed_over'),
        dropped: count('dropped'),
      },
      persons,
      schedule: schedule ? this.scheduleView(schedule) : null,
    } satisfies Partial<RepatriationRequestView>;
  }
}
