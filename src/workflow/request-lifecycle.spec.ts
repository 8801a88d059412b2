import { BASE_TRANSITIONS, checkTransitionTable } from './request-lifecycle';
import { REQUEST_KIND_TRANSITIONS } from './request-kinds';

describe('request transition tables', () => {
  it('every kind’s table is sound', () => {
    for (const [kind, table] of Object.entries(REQUEST_KIND_TRANSITIONS)) {
      expect({ kind, problems: checkTransitionTable(table!) }).toEqual({ kind, problems: [] });
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
});
