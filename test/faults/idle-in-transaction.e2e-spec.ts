import { Controller, Module, Post } from '@nestjs/common';
import request from 'supertest';
import { Public } from '../../src/common/http/public.decorator';
import { TransactionService } from '../../src/database/transaction.service';
import { TEST_DEMO_PASSWORD } from '../support/demo-password';
import { createTestApp, TestApp } from '../support/test-app';

const TIMEOUT_MS = 400;

/** A command that stalls inside its transaction (a bug, a hung call to elsewhere) longer than allowed. */
@Public()
@Controller('idle-probe')
class IdleProbeController {
  constructor(private readonly tx: TransactionService) {}

  @Post('stall')
  async stall(): Promise<void> {
    await this.tx.run(async () => {
      await this.tx.manager.query(`INSERT INTO idle_probe (label) VALUES ('stalled')`);
      await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3));
      await this.tx.manager.query(`SELECT 1`);
    });
  }
}

@Module({ controllers: [IdleProbeController] })
class IdleProbeModule {}

/**
 * Issue 17: DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS becomes PostgreSQL's
 * idle_in_transaction_session_timeout on every app connection, so a transaction left idle is ended by
 * the server (its locks, its connection and the audit sealer's horizon freed) and the app carries on.
 */
describe('Transactions left idle are ended by PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      { imports: [IdleProbeModule] },
      { DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(TIMEOUT_MS), DATABASE_POOL_SIZE: '2' },
    );
    await t.dataSource.query(`CREATE TABLE idle_probe (id serial PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(() => t?.close());

  it('every app connection carries the configured timeout', async () => {
    const [{ idle_in_transaction_session_timeout: value }] = await t.dataSource.query(
      `SHOW idle_in_transaction_session_timeout`,
    );
    expect(value).toBe(`${TIMEOUT_MS}ms`);
  });

  it('a stalled transaction is rolled back by the server; the app keeps answering on its pool', async () => {
    const stalled = await request(t.server).post('/api/v1/idle-probe/stall');
    expect(stalled.status).toBeGreaterThanOrEqual(500);
    expect(stalled.body.type).toBeDefined(); // a problem body, not a dropped connection
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM idle_probe`))[0].n).toBe(0);
    // The pool has two connections; the ended one is replaced, so a few sign-ins in a row all work.
    for (let i = 0; i < 3; i++) {
      const res = await request(t.server)
        .post('/api/v1/auth/login')
        .send({ username: 'kr.officer', password: TEST_DEMO_PASSWORD });
      expect(res.status).toBe(200);
    }
  });
});
