import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A screening writes up to 50 candidates, and each random `gen_random_uuid()` id landed on its own leaf
 * page of `screening_candidate_pkey`: a page to read and dirty per candidate, and after every checkpoint a
 * full-page image of 8 KB in the WAL for each (25 candidates: ~140 KB of WAL more than with ids in time
 * order; bench/README.md, session 19). Ids in time order (UUID version 7, RFC 9562: the millisecond, then
 * random bits) fill the index's rightmost pages. PostgreSQL 15 has no generator of its own (18 has
 * `uuidv7()`); this one sets the version bits of a random UUID over the time. Still unique and unguessable
 * in their random part; the time they reveal is the candidate's creation, shown with it anyway.
 */
export class TimeOrderedCandidateIds1763801041000 implements MigrationInterface {
  name = 'TimeOrderedCandidateIds1763801041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                 FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
      $$`);
    await q.query(`ALTER TABLE screening_candidate ALTER COLUMN id SET DEFAULT uuid_v7()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE screening_candidate ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_v7()`);
  }
}
