import { Client } from 'pg';
import { NotificationListener } from '../../src/database/notification-listener';
import { createTestApp, TestApp } from '../support/test-app';

/** A queue of what the listener heard, awaited one at a time (the spec's timeout bounds each wait). */
class Heard {
  private readonly items: string[] = [];
  private waiter: (() => void) | null = null;
  push(item: string): void {
    this.items.push(item);
    this.waiter?.();
  }
  async next(): Promise<string> {
    while (this.items.length === 0) await new Promise<void>((r) => (this.waiter = r));
    return this.items.shift()!;
  }
}

describe('LISTEN on a connection of its own, reconnecting', () => {
  let t: TestApp;
  let listener: NotificationListener;
  const heard = new Heard();
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await listener?.close();
    await t?.close();
  });

  const notify = async (payload: string) => {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    await client.query(`SELECT pg_notify('spec_channel', $1)`, [payload]);
    await client.end();
  };

  it('hears notifications, and after its connection is killed reconnects, says so, and hears again', async () => {
    listener = new NotificationListener({
      url: t.databaseUrl,
      channel: 'spec_channel',
      onMessage: (payload) => heard.push(`message ${payload}`),
      onReconnect: () => heard.push('reconnected'),
      onLost: () => heard.push('lost'),
      applicationName: 'spec-listener',
    });
    await listener.start();
    expect(listener.listening).toBe(true);
    await notify('one');
    expect(await heard.next()).toBe('message one');

    const [{ n }] = await t.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND datname = current_database()`,
      ['spec-listener'],
    );
    expect(n).toBe(1);
    // Said at once, before the reconnection: until then nothing on the channel is heard.
    expect(await heard.next()).toBe('lost');
    expect(listener.listening).toBe(false);
    expect(await heard.next()).toBe('reconnected');
    expect(listener.listening).toBe(true);
    await notify('two');
    expect(await heard.next()).toBe('message two');
  });
});
