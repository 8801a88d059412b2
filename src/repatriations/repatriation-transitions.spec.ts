import type { Actor } from '../common/request-context';
import type { CrossBorderRequest } from '../workflow/cross-border-request.entity';
import { GUARDS } from '../workflow/transition-guards';
import { REPATRIATION_KIND } from './repatriation.kind';

const actor = (countryCode: string): Actor => ({
  kind: 'user',
  userId: `${countryCode}-user`,
  username: `${countryCode.toLowerCase()}.officer`,
  agencyId: null,
  countryCode,
  roles: ['officer'],
});
// KR (home) asked KH (holding) for a fugitive: the origin receives, the target sends.
const request = {
  originCountry: 'KR',
  targetCountry: 'KH',
  payload: { sendingCountry: 'KH', receivingCountry: 'KR' },
} as unknown as CrossBorderRequest;

describe('repatriation transitions', () => {
  const table = REPATRIATION_KIND.transitions;

  it('handover and drop belong to the sending side, confirmation to the receiving side, whoever asked', () => {
    // Each also needs the request's framework active that day (nothing new after it ends), and a
    // person it can still be done for (loaded by the kind's own guard).
    expect(table.handover!.guards).toEqual(['sendingSide', 'frameworkActive', 'aPersonToHandOver']);
    expect(table.drop!.guards).toEqual(['sendingSide', 'frameworkActive', 'aPersonToDrop']);
    expect(table['confirm-handover']!.guards).toEqual([
      'receivingSide',
      'frameworkActive',
      'aHandoverToConfirm',
    ]);
    expect(table.fulfil!.guards).toEqual(['frameworkActive', 'everyPersonHandedOverOrDropped']);
    expect(GUARDS.sendingSide.check({ request, actor: actor('KH') })).toBeNull();
    expect(GUARDS.sendingSide.check({ request, actor: actor('KR') })).toMatchObject({ status: 403 });
    expect(GUARDS.receivingSide.check({ request, actor: actor('KR') })).toBeNull();
    expect(GUARDS.receivingSide.check({ request, actor: actor('KH') })).toMatchObject({ status: 403 });
  });

  it('the steps inside accepted keep the status', () => {
    for (const action of ['schedule', 'handover', 'confirm-handover', 'drop'])
      expect(table[action]).toMatchObject({ from: ['accepted'], to: null, side: 'either' });
  });
});
