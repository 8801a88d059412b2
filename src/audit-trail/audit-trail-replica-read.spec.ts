import type { RequestContext } from '../common/request-context';
import { AuditService } from '../audit/audit.service';
import { AuditTrailService } from './audit-trail.service';

/**
 * An auditor's read served by a standby: the events are read there, then `audit.read` is written in a
 * transaction on the primary; a read that fails writes nothing (issue 21, read replicas). Without a
 * standby, the read and its event run on the primary, the event alone (one INSERT, no BEGIN/COMMIT).
 */
describe('AuditTrailService reading from a standby', () => {
  const ctx: RequestContext = {
    actor: {
      kind: 'user',
      userId: '00000000-0000-4000-8000-000000000001',
      username: 'kr.auditor',
      agencyId: null,
      countryCode: 'KR',
      roles: ['auditor'],
    },
    requestId: null,
    sourceIp: null,
    userAgent: null,
  };

  function trailOn(read: () => Promise<unknown[]>, standby: boolean) {
    const steps: string[] = [];
    let inTransaction = false;
    const tx = {
      get readsFromStandby() {
        return standby && !inTransaction;
      },
      get inTransaction() {
        return inTransaction;
      },
      manager: {
        query: async () => {
          steps.push(inTransaction ? 'read in transaction' : standby ? 'read on standby' : 'read alone');
          return read();
        },
      },
      run: async <T>(command: () => Promise<T>): Promise<T> => {
        inTransaction = true;
        try {
          const value = await command();
          steps.push('commit');
          return value;
        } finally {
          inTransaction = false;
        }
      },
    };
    // The real `recordRead` (standby or primary) over the fake transaction, writing through this `record`.
    const audit = Object.assign(new AuditService(tx as never, null as never), {
      record: async (_ctx: RequestContext, event: { action: string }) => {
        if (!inTransaction) throw new Error('recorded outside a transaction');
        steps.push(`record ${event.action}`);
      },
      recordAlone: async (_ctx: RequestContext, event: { action: string }) => {
        if (inTransaction) throw new Error('recorded alone inside a transaction');
        steps.push(`record alone ${event.action}`);
      },
    });
    const ids = { positionOf: () => null, nameOf: (id: string) => id };
    const trail = new AuditTrailService(
      null as never,
      tx as never,
      audit as never,
      null as never,
      null as never,
      null as never,
      ids as never,
    );
    return { trail, steps };
  }

  it('reads on the standby, then records the read on the primary before answering', async () => {
    const { trail, steps } = trailOn(async () => [], true);
    await expect(trail.list(ctx, {}, {})).resolves.toEqual({ items: [], nextCursor: null });
    expect(steps).toEqual(['read on standby', 'record audit.read', 'commit']);
  });

  it('records nothing when the read on the standby fails', async () => {
    const { trail, steps } = trailOn(() => Promise.reject(new Error('canceling statement')), true);
    await expect(trail.timeline(ctx, 'case', 'x', {})).rejects.toThrow('canceling statement');
    expect(steps).toEqual(['read on standby']);
  });

  it('without a standby, reads and records on the primary without a transaction: the event is one INSERT', async () => {
    const { trail, steps } = trailOn(async () => [], false);
    await trail.list(ctx, {}, {});
    expect(steps).toEqual(['read alone', 'record alone audit.read']);
  });

  it('without a standby, records nothing when the read fails', async () => {
    const { trail, steps } = trailOn(() => Promise.reject(new Error('canceling statement')), false);
    await expect(trail.list(ctx, {}, {})).rejects.toThrow('canceling statement');
    expect(steps).toEqual(['read alone']);
  });
});
