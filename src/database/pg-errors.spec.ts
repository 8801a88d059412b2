import { QueryFailedError } from 'typeorm';
import {
  constraintOf,
  isLockNotAvailable,
  isSerializationOrDeadlock,
  isStalePlan,
  isUniqueViolation,
  sqlStateOf,
} from './pg-errors';

const pgError = (code: string, constraint?: string) =>
  Object.assign(new Error('from pg'), { code, ...(constraint ? { constraint } : {}) });

describe('pg-errors', () => {
  it('reads the SQLSTATE and constraint from pg errors and from TypeORM-wrapped ones', () => {
    const raw = pgError('23505', 'repatriation_arrest_one_open');
    const wrapped = new QueryFailedError('INSERT …', [], raw);
    for (const error of [raw, wrapped]) {
      expect(sqlStateOf(error)).toBe('23505');
      expect(constraintOf(error)).toBe('repatriation_arrest_one_open');
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(error, 'repatriation_arrest_one_open')).toBe(true);
      expect(isUniqueViolation(error, 'another_index')).toBe(false);
    }
  });

  it('tells lock timeouts and retryable failures apart, and ignores what is not PostgreSQL', () => {
    expect(isLockNotAvailable(pgError('55P03'))).toBe(true);
    expect(isSerializationOrDeadlock(pgError('40001'))).toBe(true);
    expect(isSerializationOrDeadlock({ driverError: { code: '40P01' } })).toBe(true);
    expect(isSerializationOrDeadlock(pgError('23505'))).toBe(false);
    for (const other of [new Error('plain'), null, undefined, 'text', { code: 42 }]) {
      expect(sqlStateOf(other)).toBeUndefined();
      expect(isUniqueViolation(other)).toBe(false);
    }
  });

  it('tells a plan cached before a migration from other unsupported features', () => {
    const stale = Object.assign(pgError('0A000'), { routine: 'RevalidateCachedQuery' });
    expect(isStalePlan(stale)).toBe(true);
    expect(isStalePlan(new QueryFailedError('SELECT …', [], stale))).toBe(true);
    expect(isStalePlan(Object.assign(pgError('0A000'), { routine: 'transformLockingClause' }))).toBe(false);
    expect(isStalePlan(Object.assign(pgError('42P01'), { routine: 'RevalidateCachedQuery' }))).toBe(false);
  });
});
