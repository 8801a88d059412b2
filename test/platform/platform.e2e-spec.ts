import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { Public } from '../../src/common/http/public.decorator';
import { TransactionService } from '../../src/database/transaction.service';
import { createTestApp, TestApp } from '../support/test-app';

class EchoDto {
  @IsString()
  @MaxLength(100)
  name!: string;
}

/** Routes that exist only in this spec, to provoke what real routes should never do. */
@Public()
@Controller('platform-probe')
class ProbeController {
  constructor(private readonly tx: TransactionService) {}

  @Post('echo')
  echo(@Body() body: EchoDto) {
    return { name: body.name };
  }

  @Get('boom')
  boom(): never {
    throw new Error('secret database detail: relation "users" password=hunter2');
  }

  @Post('insert-then-fail')
  async insertThenFail(): Promise<void> {
    await this.tx.run(async () => {
      await this.tx.manager.query(`INSERT INTO tx_probe (label) VALUES ('should vanish')`);
      throw new Error('command failed after its insert');
    });
  }

  @Post('insert')
  async insert(): Promise<void> {
    await this.tx.run(() => this.tx.manager.query(`INSERT INTO tx_probe (label) VALUES ('kept')`));
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('Platform: HTTP layer, errors, transactions, OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
    await t.dataSource.query(`CREATE TABLE tx_probe (id serial PRIMARY KEY, label text NOT NULL)`);
  });
  afterAll(() => t?.close());

  it('serves liveness and readiness outside the versioned API', async () => {
    await request(t.server)
      .get('/api/health')
      .expect(200)
      .expect((r) => expect(r.body.status).toBe('ok'));
    const ready = await request(t.server).get('/api/ready').expect(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('accepts a valid body under /api/v1', async () => {
    const res = await request(t.server).post('/api/v1/platform-probe/echo').send({ name: 'Kim' }).expect(201);
    expect(res.body).toEqual({ name: 'Kim' });
  });

  it('refuses an unknown body field with 400 problem details naming the field', async () => {
    const res = await request(t.server)
      .post('/api/v1/platform-probe/echo')
      .send({ name: 'Kim', roles: ['admin'] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, type: expect.stringContaining('validation-failed') });
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'roles' })]));
  });

  it('names the field of a wrong type or over its length', async () => {
    const res = await request(t.server)
      .post('/api/v1/platform-probe/echo')
      .send({ name: 'x'.repeat(101) })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('100') }]);
  });

  it('answers malformed JSON with 400 problem details', async () => {
    const res = await request(t.server)
      .post('/api/v1/platform-probe/echo')
      .set('content-type', 'application/json')
      .send('{"name": "Kim",');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(t.server)
      .post('/api/v1/platform-probe/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await request(t.server)
      .post('/api/v1/platform-probe/echo')
      .set('content-type', 'text/plain')
      .send('name=Kim');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('hides the cause of an unexpected error and logs it with the request id', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = await request(t.server)
      .get('/api/v1/platform-probe/boom')
      .set('X-Request-Id', 'trace-abc-12345');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 500, requestId: 'trace-abc-12345' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|hunter2|relation|at .*\.ts/);
    expect(res.headers['x-request-id']).toBe('trace-abc-12345');
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: 'trace-abc-12345',
        err: expect.objectContaining({ message: expect.stringContaining('secret database detail') }),
      }),
    );
    logged.mockRestore();
  });

  it('mints a request id when the caller sends none or a malformed one', async () => {
    const res = await request(t.server).get('/api/health').set('X-Request-Id', 'bad id with spaces');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no x-powered-by; CORS stays off by default', async () => {
    const res = await request(t.server).get('/api/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('rolls back every row of a command that fails inside the transaction helper', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await request(t.server).post('/api/v1/platform-probe/insert-then-fail').expect(500);
    await request(t.server).post('/api/v1/platform-probe/insert').expect(201);
    const rows = await t.dataSource.query(`SELECT label FROM tx_probe`);
    expect(rows).toEqual([{ label: 'kept' }]);
  });

  it('runs a long parameterised read as a prepared statement of its connection, with the same rows', async () => {
    const runner = t.dataSource.createQueryRunner();
    try {
      // A read as long as the composed visibility reads (padded with a comment), once with a value and
      // once unnamed for comparison; a write and a short read on the same connection stay unnamed.
      const long = `SELECT label FROM tx_probe WHERE label <> $1 ORDER BY id /* ${'padding '.repeat(150)} */`;
      const named = await runner.query(long, ['nothing']);
      const unnamed = await runner.query(long.replace('$1', `'nothing'`));
      expect(named).toEqual(unnamed);
      await runner.query(
        `INSERT INTO tx_probe (label) SELECT $1 WHERE false /* ${'padding '.repeat(150)} */`,
        ['never'],
      );
      await runner.query(`SELECT label FROM tx_probe WHERE label = $1`, ['kept']);
      const prepared: Array<{ statement: string }> = await runner.query(
        `SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%tx_probe%'`,
      );
      expect(prepared.map((p) => p.statement)).toEqual([long]);
    } finally {
      await runner.release();
    }
  });

  it('publishes a valid OpenAPI 3 document', async () => {
    const res = await request(t.server).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(res.body.info.title).toBe('Task Force Case Desk');
    expect(Object.keys(res.body.paths)).toContain('/api/health');
    // Schema validation of the whole document (throws with the first problem it finds).
    await expect(SwaggerParser.validate(structuredClone(res.body))).resolves.toBeDefined();
  });
});
