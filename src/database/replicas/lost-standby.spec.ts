import { lostStandby } from './replica-routing.interceptor';

describe('lostStandby', () => {
  it('takes a standby that went away or cancelled the read for recovery as lost', () => {
    expect(
      lostStandby(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(lostStandby(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      lostStandby({ code: '57P01', message: 'terminating connection due to administrator command' }),
    ).toBe(true);
    expect(lostStandby({ code: '40001', message: 'canceling statement due to conflict with recovery' })).toBe(
      true,
    );
    // TypeORM's QueryFailedError carries the driver's error.
    expect(lostStandby({ message: 'x', driverError: { code: '08006' } })).toBe(true);
  });

  it('leaves an error of the query itself to the caller', () => {
    expect(lostStandby({ code: '42P01', message: 'relation "nope" does not exist' })).toBe(false);
    expect(lostStandby(new Error('Cases are read by officers.'))).toBe(false);
  });
});
