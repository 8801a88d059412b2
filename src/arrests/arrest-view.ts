import { timesAsRead } from '../access/times-as-read';
import type { Actor } from '../common/request-context';
import type { PersonName } from '../persons/person.entity';
import type { KeptCopy } from '../persons/kept-copies.store';
import type { ArrestView, CustodyHistoryEntryView, CustodyStatus } from './dto/arrest.dto';

/** An arrest as read by `ARREST_SELECT`: the row joined with its person and shares. */
export interface ArrestRow {
  id: string;
  arresting_country: string;
  raid_id: string | null;
  person_id: string;
  person_names: PersonName[];
  person_birth_date: string | null;
  person_sex: string | null;
  person_nationalities: string[];
  nationality: string;
  arrested_at: Date;
  place: string;
  province: string | null;
  district: string | null;
  latitude: string | null;
  longitude: string | null;
  case_id: string | null;
  operation: string | null;
  grounds: string;
  arresting_agency: string;
  custody_status: CustodyStatus;
  screening_hit_id: string | null;
  blacklist_entry_id: string | null;
  blacklist_request_id: string | null;
  shared_with: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Columns of an arrest view; `a` is the arrest, `p` its person. */
export const ARREST_SELECT = `
  a.id, a.arresting_country, a.raid_id, a.person_id, p.names AS person_names, p.birth_date AS person_birth_date,
  p.sex AS person_sex, p.nationalities AS person_nationalities, a.nationality, a.arrested_at, a.place, a.province,
  a.district, a.latitude, a.longitude, a.case_id, a.operation, a.grounds, a.arresting_agency, a.custody_status,
  a.screening_hit_id, a.blacklist_entry_id, a.blacklist_request_id,
  ARRAY(SELECT s.country_code::text FROM arrest_share s WHERE s.arrest_id = a.id ORDER BY s.country_code) AS shared_with,
  a.created_at, a.updated_at, a.version`;

/** Whether the reader may read each record an arrest links to (`arrestLinksReadable`). */
export interface ReadableLinks {
  screeningHit: boolean;
  blacklistEntry: boolean;
  blacklistRequest: boolean;
}

/**
 * `kept`: the reader's country's copy of the arrested person, which it reads instead of the live one.
 * `links`: which linked records the reader may read; a link it may not read (or not known) shows null.
 * `seenSince`: for another country's arrest, when it reached the reader's country (`arrestSeenSince`);
 * its times and version are read through `timesAsRead`, which refuses to go without it.
 */
export function toArrestView(
  actor: Actor,
  a: ArrestRow,
  kept?: KeptCopy,
  links?: ReadableLinks,
  seenSince?: Date,
  /** For another country's arrest, its last change as that country reads it (`ArrestsService.seenSince`). */
  lastChange?: Date,
): ArrestView {
  const own = actor.countryCode === a.arresting_country;
  const times = timesAsRead(
    {
      kind: 'arrest',
      id: a.id,
      ownerCountry: a.arresting_country,
      createdAt: new Date(a.created_at),
      updatedAt: new Date(a.updated_at),
      version: a.version,
    },
    { country: actor.countryCode, seenSince },
    lastChange ?? new Date(a.updated_at),
  );
  return {
    id: a.id,
    arrestingCountry: a.arresting_country,
    raidId: a.raid_id,
    person: {
      id: a.person_id,
      names: kept?.names ?? a.person_names,
      birthDate: kept ? kept.birthDate : a.person_birth_date,
      sex: kept ? kept.sex : a.person_sex,
      nationalities: kept?.nationalities ?? a.person_nationalities,
    },
    nationality: a.nationality,
    arrestedAt: new Date(a.arrested_at).toISOString(),
    place: a.place,
    province: a.province,
    district: a.district,
    coordinates: coordinatesOf(a),
    caseId: own ? a.case_id : null,
    operation: a.operation,
    grounds: a.grounds,
    arrestingAgency: a.arresting_agency,
    custodyStatus: a.custody_status,
    screeningHitId: links?.screeningHit ? a.screening_hit_id : null,
    blacklistEntryId: links?.blacklistEntry ? a.blacklist_entry_id : null,
    blacklistRequestId: links?.blacklistRequest ? a.blacklist_request_id : null,
    sharedWith: own ? a.shared_with : [],
    ...times,
  };
}

export interface CustodyHistoryRow {
  from_status: CustodyStatus | null;
  to_status: CustodyStatus;
  reason: string | null;
  request_id: string | null;
  actor_username: string | null;
  actor_country: string | null;
  at: Date;
}

/** Where the arrest was made, as the API shows it (null while either half is unknown). */
export function coordinatesOf(
  a: Pick<ArrestRow, 'latitude' | 'longitude'>,
): { latitude: number; longitude: number } | null {
  return a.latitude !== null && a.longitude !== null
    ? { latitude: Number(a.latitude), longitude: Number(a.longitude) }
    : null;
}

export function toCustodyHistoryView(h: CustodyHistoryRow): CustodyHistoryEntryView {
  return {
    fromStatus: h.from_status,
    toStatus: h.to_status,
    reason: h.reason,
    requestId: h.request_id,
    actorUsername: h.actor_username,
    actorCountry: h.actor_country,
    at: new Date(h.at).toISOString(),
  };
}
