import { isDatabaseUnavailable } from './availability';

describe('isDatabaseUnavailable: an outage, not a bad request', () => {
  it.each([
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'PostgreSQL shutting down (57P01)',
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    ],
    [
      'PostgreSQL starting up (57P03)',
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ],
    [
      'a connection exception wrapped by TypeORM (08006)',
      { message: 'query failed', driverError: { code: '08006' } },
    ],
  ])('%s is an outage', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a serialization failure', { message: 'could not serialize', driverError: { code: '40001' } }],
    ['a programming error', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
