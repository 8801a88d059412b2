import type { Actor } from '../common/request-context';
import { approvalProblem, sameRoles, widensAccess } from './role-change-rules';

const admin = (userId: string, countryCode: string | null = 'KR'): Actor => ({
  kind: 'user',
  userId,
  username: userId,
  agencyId: null,
  countryCode,
  roles: countryCode ? ['admin'] : ['platform_admin'],
});

describe('role change rules', () => {
  it('adding any role widens access; removing only does not', () => {
    expect(widensAccess(['officer'], ['officer', 'liaison'])).toBe(true);
    expect(widensAccess(['admin'], ['auditor'])).toBe(true);
    expect(widensAccess(['officer', 'liaison'], ['liaison'])).toBe(false);
    expect(sameRoles(['officer', 'liaison'], ['liaison', 'officer'])).toBe(true);
  });

  it('a second admin of the same country approves; not the requester, the target, another country or the platform', () => {
    const change = { userId: 'target', requestedBy: 'first', countryCode: 'KR' };
    expect(approvalProblem(admin('second'), change)).toBeNull();
    expect(approvalProblem(admin('first'), change)).toMatch(/second admin/);
    expect(approvalProblem(admin('target'), change)).toMatch(/own roles/);
    expect(approvalProblem(admin('kh', 'KH'), change)).toMatch(/country/);
    expect(approvalProblem(admin('platform', null), change)).toMatch(/country/);
  });
});
