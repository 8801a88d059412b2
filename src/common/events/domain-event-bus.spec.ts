import type { TransactionService } from '../../database/transaction.service';
import { DomainEventBus } from './domain-event-bus';

class Approved {
  constructor(readonly id: string) {}
}
class Rejected {
  constructor(readonly id: string) {}
}

function busIn(inTransaction: boolean): DomainEventBus {
  return new DomainEventBus({ inTransaction } as TransactionService);
}

describe('DomainEventBus', () => {
  it('awaits every subscriber of the event class, in the order they subscribed, before it resolves', async () => {
    const bus = busIn(true);
    const seen: string[] = [];
    bus.subscribe(Approved, async (e) => {
      await new Promise((r) => setTimeout(r, 10));
      seen.push(`first ${e.id}`);
    });
    bus.subscribe(Approved, async (e) => void seen.push(`second ${e.id}`));
    bus.subscribe(Rejected, async () => void seen.push('rejected'));
    await bus.publish(new Approved('r1'));
    expect(seen).toEqual(['first r1', 'second r1']);
  });

  it("fails the publisher with the subscriber's error, and runs no later subscriber", async () => {
    const bus = busIn(true);
    const seen: string[] = [];
    bus.subscribe(Approved, async () => {
      throw new Error('notification insert failed');
    });
    bus.subscribe(Approved, async () => void seen.push('later'));
    await expect(bus.publish(new Approved('r1'))).rejects.toThrow('notification insert failed');
    expect(seen).toEqual([]);
  });

  it('refuses to publish outside a transaction, where subscribers could not commit with the change', async () => {
    const bus = busIn(false);
    const seen: string[] = [];
    bus.subscribe(Approved, async () => void seen.push('ran'));
    await expect(bus.publish(new Approved('r1'))).rejects.toThrow('Approved published outside a transaction');
    expect(seen).toEqual([]);
  });
});
