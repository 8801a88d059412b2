import type { TestApp } from '../support/test-app';
import type { SignedIn } from '../support/http';
import type { TaskForce } from '../support/scenario';

export const BASE = '/asset-freeze-requests';

export const TRON_USDT_WALLET = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
export const ETH_WALLET = '0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe';

export async function koreaMalaysiaFramework(t: TestApp): Promise<string> {
  const [row] = await t.dataSource.query(
    `SELECT id FROM framework WHERE name = 'Korea–Malaysia Police Cooperation MOU'`,
  );
  return row.id as string;
}

export async function aPerson(who: SignedIn, full: string): Promise<string> {
  const res = await who
    .post('/persons', { names: [{ full, script: 'latin', kind: 'primary' }], nationalities: ['KR'] })
    .expect(201);
  return res.body.id as string;
}

export const aBankAccount = (overrides: object = {}) => ({
  type: 'bank_account',
  institutionName: 'Maybank',
  institutionCode: 'MBBEMYKL',
  accountNumber: '5140-1234-5678',
  holderName: 'TAN Ah Kow',
  borrowedName: false,
  amountSought: { amount: '1000.10', currency: 'MYR' },
  grounds: { summary: 'Proceeds of a romance scam run from a Johor compound' },
  ...overrides,
});

export const aWallet = (overrides: object = {}) => ({
  type: 'crypto_wallet',
  chain: 'tron',
  address: TRON_USDT_WALLET,
  exchangeName: 'Binance',
  amountSought: { amount: '12500.123456', currency: 'USDT' },
  grounds: { summary: 'Laundering wallet of the Golden Fortune compound' },
  ...overrides,
});

export const aFreezeDraft = (frameworkId: string, targets: object[], overrides: object = {}) => ({
  frameworkId,
  targetCountry: 'MY',
  priority: 'immediate',
  handlingCode: 'AMBER',
  subject: 'Freeze the mule accounts of the Golden Fortune investment scam',
  targets,
  ...overrides,
});

/** Acts on a request (`<id>/<action>` under the resource) and returns the new body, expecting `status`. */
export function stepper() {
  return async (who: SignedIn, path: string, body: object, status = 200) => {
    const res = await who.post(`${BASE}/${path}`, body);
    if (res.status !== status)
      throw new Error(
        `${who.username} POST ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    return res.body;
  };
}

/** Drafts, submits, approves and accepts a KR → MY request; returns its body as accepted. */
export async function anAcceptedRequest(
  tf: TaskForce,
  frameworkId: string,
  targets: object[],
  overrides: object = {},
) {
  const step = stepper();
  const draft = (await tf['kr.officer'].post(BASE, aFreezeDraft(frameworkId, targets, overrides)).expect(201))
    .body;
  const submitted = await step(tf['kr.officer'], `${draft.id}/submit`, { version: draft.version });
  const sent = await step(tf['kr.liaison'], `${draft.id}/approve`, { version: submitted.version });
  return step(tf['my.liaison'], `${draft.id}/accept`, { version: sent.version });
}
