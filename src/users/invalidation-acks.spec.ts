import { InvalidationAcks } from './invalidation-acks';

describe('InvalidationAcks', () => {
  it('counts acknowledgements that arrive before the sender knows how many to expect', async () => {
    const acks = new InvalidationAcks();
    acks.register('n1');
    acks.heard('n1');
    acks.heard('n1');
    await expect(acks.settle('n1', 2, 60_000)).resolves.toBe(true);
  });

  it('resolves when the last expected instance answers, and not before', async () => {
    const acks = new InvalidationAcks();
    acks.register('n2');
    acks.heard('n2');
    let settled = false;
    const done = acks.settle('n2', 3, 60_000).then((all) => (settled = all));
    acks.heard('n2');
    await Promise.resolve();
    expect(settled).toBe(false);
    acks.heard('n2');
    await done;
    expect(settled).toBe(true);
  });

  it('gives up at the bound, and ignores acknowledgements of nonces it does not wait for', async () => {
    const acks = new InvalidationAcks();
    acks.register('n3');
    acks.heard('other');
    await expect(acks.settle('n3', 1, 20)).resolves.toBe(false);
  });
});
