import type {
  IdentifierCheckSummaryView,
  IdentifierCheckView,
  PartnerAnswer,
} from './dto/identifier-check.dto';
import type { CheckRow } from './identifier-check.store';

export function toCheckSummary(row: CheckRow): IdentifierCheckSummaryView {
  return {
    id: row.id,
    askedAt: new Date(row.asked_at).toISOString(),
    askedBy: row.asked_by,
    identifierCount: row.identifier_count,
    partners: row.answers.map((a) => ({
      country: a.country,
      answered: a.answered,
      frameworkId: a.framework_id,
      hits: a.hit_positions.length,
    })),
  };
}

/** Per identifier, each partner's answer: hit, no hit, or not answered (automatic answers off). */
export function toCheckView(row: CheckRow): IdentifierCheckView {
  const hitSets = row.answers.map((a) => ({ ...a, hits: new Set(a.hit_positions) }));
  return {
    ...toCheckSummary(row),
    results: (row.identifiers ?? []).map((identifier, position) => ({
      position,
      identifier,
      answers: hitSets.map((a) => ({
        country: a.country,
        answer: (!a.answered ? 'not_answered' : a.hits.has(position) ? 'hit' : 'no_hit') as PartnerAnswer,
      })),
    })),
  };
}
