import type { Actor } from '../common/request-context';
import { Clock } from '../common/time/clock';
import type { CrossBorderRequest } from './cross-border-request.entity';
import type { RequestKindDefinition } from './request-kind';
import { RequestKindRegistry } from './request-kind-registry';
import { ASSIGN_TRANSITION, BASE_TRANSITIONS, RequestStatus } from './request-lifecycle';
import { WorkflowService } from './workflow.service';

/** The engine's decisions without a database: which steps a caller may take, and which guards veto. */

const actor = (username: string, countryCode: string, roles: Actor['roles']): Actor => ({
  kind: 'user',
  userId: username,
  username,
  agencyId: null,
  countryCode,
  roles,
});
const krOfficer = actor('kr.officer', 'KR', ['officer']);
const krLiaison = actor('kr.liaison', 'KR', ['liaison']);
const khLiaison = actor('kh.liaison', 'KH', ['liaison']);
const khOfficer = actor('kh.officer', 'KH', ['officer']);
const myLiaison = actor('my.liaison', 'MY', ['liaison']);

const request = (status: RequestStatus, extra: Partial<CrossBorderRequest> = {}) =>
  ({
    id: 'r1',
    kind: 'information',
    originCountry: 'KR',
    targetCountry: 'KH',
    frameworkId: 'f1',
    status,
    createdBy: 'kr.officer',
    submittedBy: status === 'draft' ? null : 'kr.officer',
    editedBy: [],
    assignedTo: null,
    payload: {},
    ...extra,
  }) as unknown as CrossBorderRequest;

/** A kind whose `fulfil` also needs a fact a guard loads (here: a flag the test sets). */
let everythingDone = false;
const KIND: RequestKindDefinition = {
  kind: 'information',
  referencePrefix: 'INF',
  transitions: {
    ...BASE_TRANSITIONS,
    assign: ASSIGN_TRANSITION,
    fulfil: { ...BASE_TRANSITIONS.fulfil, guards: ['frameworkActive', 'everythingDone'] },
  },
  guards: {
    everythingDone: async () => (everythingDone ? null : { status: 409, reason: 'Not everything is done.' }),
  },
};

function engine(frameworkActive: boolean): WorkflowService {
  const kinds = new RequestKindRegistry();
  kinds.register(KIND, { viewExtras: async () => [] });
  const referenceData = { sharedActiveFramework: async () => (frameworkActive ? { id: 'f1' } : null) };
  const clock = Object.assign(new Clock(), { now: () => new Date('2026-06-01T00:00:00Z') });
  return new WorkflowService(
    kinds,
    { manager: {} } as never,
    {} as never,
    {} as never,
    referenceData as never,
    {} as never,
    clock as never,
    {} as never,
    {} as never,
  );
}

describe('the engine’s decisions', () => {
  beforeEach(() => {
    everythingDone = false;
  });

  it('lists a step only for the side and role its rule names, in the state it leaves', () => {
    const w = engine(true);
    expect(w.allowedActions(krOfficer, request('draft'))).toEqual(['submit', 'withdraw']);
    expect(w.allowedActions(khLiaison, request('draft'))).toEqual([]);
    expect(w.allowedActions(krLiaison, request('sent'))).toEqual(['withdraw']);
    expect(w.allowedActions(khLiaison, request('sent'))).toEqual(['accept', 'reject']);
    expect(w.allowedActions(khOfficer, request('sent'))).toEqual([]);
    // A third country is neither side.
    expect(w.allowedActions(myLiaison, request('sent'))).toEqual([]);
    expect(w.allowedActions(krOfficer, request('closed'))).toEqual([]);
  });

  it('four eyes: whoever drafted, edited or submitted a request is not offered approve', () => {
    const w = engine(true);
    const mine = request('submitted', { createdBy: 'kr.liaison', submittedBy: 'kr.liaison' });
    expect(w.allowedActions(krLiaison, mine)).toEqual(['return', 'withdraw']);
    // A liaison who also works as an officer edited a colleague's returned draft: not theirs to approve.
    const edited = request('submitted', { editedBy: ['kr.officer2', 'kr.liaison'] });
    expect(w.allowedActions(krLiaison, edited)).toEqual(['return', 'withdraw']);
    expect(w.allowedActions(krLiaison, request('submitted'))).toEqual(['approve', 'return', 'withdraw']);
  });

  it('lists edit beside the steps for the origin’s officers on a draft, and for nobody else', async () => {
    const w = engine(true);
    expect(await w.actionsFor(krOfficer, request('draft'))).toEqual(['submit', 'withdraw', 'edit']);
    expect(w.actionsKnown(krOfficer, request('draft'), true)).toEqual(['submit', 'withdraw', 'edit']);
    // The liaison approves what officers wrote; the target never reads a draft.
    expect(await w.actionsFor(krLiaison, request('draft'))).toEqual(['withdraw']);
    expect(await w.actionsFor(khOfficer, request('draft'))).toEqual([]);
    expect(await w.actionsFor(krOfficer, request('submitted'))).toEqual(['withdraw']);
    expect(w.actionsKnown(krOfficer, request('submitted'), true)).toEqual(['withdraw']);
  });

  it('actionsFor asks the guards that load facts: the framework, and the kind’s own', async () => {
    const accepted = request('accepted');
    expect(await engine(true).actionsFor(khLiaison, accepted)).toEqual(['assign']);
    everythingDone = true;
    expect(await engine(true).actionsFor(khLiaison, accepted)).toEqual(['fulfil', 'assign']);
    // After the framework ended, nothing that needs it is offered, and the accepted request can be ended.
    expect(await engine(false).actionsFor(khLiaison, accepted)).toEqual(['reject', 'assign']);
    expect(await engine(false).actionsFor(khLiaison, request('sent'))).toEqual(['reject']);
  });
});
