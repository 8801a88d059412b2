/**
 * The floor for `npm run bench`: the least a Fastify + pg server can do per write, one `POST /items`
 * inserting its JSON body into a simple table and answering 201 with the new id. No auth, no validation,
 * no transaction beyond the single INSERT, no audit. Started by bench/http.bench.ts as a child process
 * (never part of the product): DATABASE_URL, PORT, HOST, DATABASE_POOL_SIZE from the environment.
 */
'use strict';
const Fastify = require('fastify');
const { Pool } = require('pg');

async function main() {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE || 10),
  });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_floor_item (
       id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  );
  const app = Fastify({ logger: false });
  app.post('/items', async (request, reply) => {
    const { rows } = await pool.query(
      'INSERT INTO bench_floor_item (payload) VALUES ($1) RETURNING id, created_at',
      [JSON.stringify(request.body)],
    );
    reply.code(201);
    return { id: rows[0].id, createdAt: rows[0].created_at };
  });
  app.get('/ready', async () => ({ ok: true }));
  const close = async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST || '127.0.0.1' });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
