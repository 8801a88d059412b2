import { ConflictError } from '../common/errors/domain-errors';
import type { BlacklistProposalView } from './dto/blacklist.dto';
import type { RequestKindDefinition } from '../workflow/request-kind';
import { BASE_TRANSITIONS } from '../workflow/request-lifecycle';

/** A list of proposed blacklist entries; the banning country decides each entry while `accepted`. */
export const BLACKLIST_PROPOSAL_KIND: RequestKindDefinition = {
  kind: 'blacklist',
  referencePrefix: 'BLK',
  // Its view shows each proposed entry's person: names, birth date, nationalities.
  consultation: {
    action: 'blacklist.proposal',
    personsShown: (view) => (view as BlacklistProposalView).entries.map((e) => e.personId),
  },
  // Proposals are drafted by those who propose entries (`POST /blacklist-entries`): they edit them too.
  editPermission: 'blacklist.propose',
  transitions: {
    ...BASE_TRANSITIONS,
    fulfil: {
      ...BASE_TRANSITIONS.fulfil,
      roles: ['liaison'],
      guards: ['frameworkActive', 'everyEntryDecided'],
    },
  },
  guards: {
    /** The banning country closes its review only once every entry is decided. */
    everyEntryDecided: async ({ request, manager }) => {
      const [{ undecided }]: Array<{ undecided: number }> = await manager.query(
        `SELECT count(*)::int AS undecided FROM blacklist_entry WHERE proposal_id = $1 AND status = 'proposed'`,
        [request.id],
      );
      if (!undecided) return null;
      const reason = `${undecided} entr${undecided === 1 ? 'y is' : 'ies are'} still undecided.`;
      return { status: 409, reason, error: new ConflictError(reason) };
    },
  },
};
