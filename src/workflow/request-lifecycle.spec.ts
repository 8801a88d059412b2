import { ASSET_FREEZE_KIND } from '../asset-freezes/asset-freeze.kind';
import { BLACKLIST_PROPOSAL_KIND } from '../blacklist/blacklist-proposal.kind';
import { INFORMATION_REQUEST_KIND } from '../information-requests/information-request.kind';
import { RELEASE_REQUEST_KIND } from '../release-requests/release-request.kind';
import { REPATRIATION_KIND } from '../repatriations/repatriation.kind';
import { checkRequestKind } from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { BASE_TRANSITIONS, checkTransitionTable } from './request-lifecycle';

const KINDS = [
  INFORMATION_REQUEST_KIND,
  ASSET_FREEZE_KIND,
  REPATRIATION_KIND,
  BLACKLIST_PROPOSAL_KIND,
  RELEASE_REQUEST_KIND,
];

describe('request transition tables', () => {
  it('every kind’s definition is sound', () => {
    for (const definition of KINDS) {
      expect({ kind: definition.kind, problems: checkRequestKind(definition) }).toEqual({
        kind: definition.kind,
        problems: [],
      });
    }
  });

  it('reports a table with an unreachable state and an exit from a terminal state', () => {
    const broken = {
      ...BASE_TRANSITIONS,
      close: { from: ['withdrawn'], to: 'closed', side: 'origin', roles: ['officer'] },
    } as const;
    const problems = checkTransitionTable(broken);
    expect(problems).toEqual(expect.arrayContaining(['close: leaves a terminal state']));
    const unreachable = checkTransitionTable({ submit: BASE_TRANSITIONS.submit });
    expect(unreachable).toEqual(expect.arrayContaining(["state 'closed' cannot be reached"]));
  });

  it('refuses a definition naming a guard nobody defines, a second kind of one name or prefix', () => {
    const typo = {
      ...INFORMATION_REQUEST_KIND,
      transitions: { ...BASE_TRANSITIONS, fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['allDone'] } },
    };
    expect(checkRequestKind(typo)).toEqual(["fulfil: unknown guard 'allDone'"]);
    const registry = new RequestKindRegistry();
    const hooks = { viewExtras: async () => [] };
    registry.register(INFORMATION_REQUEST_KIND, hooks);
    expect(() => registry.register(INFORMATION_REQUEST_KIND, hooks)).toThrow(/registered twice/);
    expect(() => registry.register({ ...RELEASE_REQUEST_KIND, referencePrefix: 'INF' }, hooks)).toThrow(
      /share the reference prefix INF/,
    );
    expect(() => registry.register(typo, hooks)).toThrow(/unknown guard 'allDone'/);
  });

  it('refuses a step named edit: the name a draft lists for its PATCH', () => {
    const edit = { ...BASE_TRANSITIONS.submit, to: null };
    expect(
      checkRequestKind({ ...INFORMATION_REQUEST_KIND, transitions: { ...BASE_TRANSITIONS, edit } }),
    ).toEqual(["'edit' names the edit of a draft (PATCH), not a step of the table"]);
  });
});
