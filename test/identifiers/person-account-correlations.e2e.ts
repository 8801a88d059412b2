import { givenIn, type Given } from '../support/given';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A person's accounts (bank accounts, wallets) are identifiers of the person as its phones are: a case
 * holding the person holds them, so a partner's request that names the same account or wallet tells
 * the case's lead officer (`identifier.correlation`), and a country not asked learns nothing.
 */
describe('Correlation alerts on a person’s accounts', () => {
  let t: TestApp;
  let tf: TaskForce;
  let given: Given;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    given = givenIn(tf);
  });
  afterAll(() => t?.close());

  interface Alert {
    eventType: string;
    recordId: string;
    payload: { caseId: string; identifier: { kind: string; value: string }; record: { part: string } };
  }
  const alertsAbout = async (who: SignedIn, recordId: string): Promise<Alert[]> =>
    ((await who.get('/notifications?limit=200').expect(200)).body.items as Alert[]).filter(
      (n) => n.eventType === 'identifier.correlation' && n.recordId === recordId,
    );

  /** A KR person holding `accounts`, in a new open KR case. */
  const krCaseHolding = async (accounts: object[]) => {
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'HOLDER Of Mule Accounts', script: 'latin', kind: 'primary' }],
          accounts,
        })
        .expect(201)
    ).body;
    return (
      await tf['kr.officer']
        .post('/cases', { title: 'Mule accounts', persons: [{ personId: person.id, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
  };

  it('KH asks KR about an account and a wallet a KR suspect holds: KR’s lead officer is told of each', async () => {
    const account = '7702-2026-5511';
    const address = `0x77aa${'Cd'.repeat(18)}`;
    const krCase = await krCaseHolding([
      { type: 'bank_account', institutionName: 'ABA Bank', accountNumber: account, borrowedName: true },
      { type: 'crypto_wallet', chain: 'ethereum', address },
    ]);
    const request = given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({
        identifiers: {
          bankAccounts: [{ institution: 'ABA Bank', accountNumber: account.replace(/-/g, '') }],
          cryptoAddresses: [{ chain: 'ethereum', address: address.toLowerCase() }],
        },
      });
    const draft = await request.drafted();
    await request.sent();

    const alerts = await alertsAbout(tf['kr.officer'], draft.id);
    expect(
      alerts.map((a) => [a.payload.caseId, a.payload.identifier.kind, a.payload.record.part]).sort(),
    ).toEqual([
      [krCase.id, 'bank_account', 'identifiers'],
      [krCase.id, 'wallet', 'identifiers'],
    ]);
    // The asking side and a country not asked hear nothing.
    for (const who of ['kh.officer', 'my.officer'] as const)
      expect(await alertsAbout(tf[who], draft.id)).toEqual([]);
  });

  it('an account taken off the person no longer correlates', async () => {
    const account = '7702-2026-6622';
    const krCase = await krCaseHolding([
      { type: 'bank_account', institutionName: 'ABA Bank', accountNumber: account },
    ]);
    const [{ person_id: personId }] = await t.dataSource.query(
      `SELECT person_id FROM case_person WHERE case_id = $1`,
      [krCase.id],
    );
    const person = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kr.officer']
      .patch(`/persons/${personId}`, { version: person.version, names: person.names, accounts: [] })
      .expect(200);
    const request = given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs('AMBER')
      .with({ identifiers: { bankAccounts: [{ institution: 'ABA Bank', accountNumber: account }] } });
    const draft = await request.drafted();
    await request.sent();
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toEqual([]);
  });
});

/**
 * A hit/no-hit check (`POST /identifier-checks`) answers from a partner's own holdings: a bank account
 * or wallet its officers recorded on a person of its own is one, as a phone is.
 */
describe('Identifier checks against a person’s accounts', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  it('KR checks an account and a wallet KH recorded on a suspect: hits; an account nobody holds: no hit', async () => {
    const account = '7702-2026-7733';
    const address = `0x77bb${'Ef'.repeat(18)}`;
    await tf['kh.officer']
      .post('/persons', {
        names: [{ full: 'SOK Mule', script: 'latin', kind: 'primary' }],
        accounts: [
          { type: 'bank_account', institutionName: 'ABA Bank', accountNumber: account },
          { type: 'crypto_wallet', chain: 'ethereum', address },
        ],
      })
      .expect(201);
    const view = (
      await tf['kr.officer']
        .post('/identifier-checks', {
          partners: ['KH'],
          identifiers: [
            { kind: 'bank_account', value: account.replace(/-/g, ' ') },
            { kind: 'wallet', value: address.toLowerCase() },
            { kind: 'bank_account', value: '7702-2026-0000' },
          ],
        })
        .expect(201)
    ).body as { results: Array<{ position: number; answers: Array<{ country: string; answer: string }> }> };
    expect(view.results.map((r) => [r.position, r.answers.find((a) => a.country === 'KH')?.answer])).toEqual([
      [0, 'hit'],
      [1, 'hit'],
      [2, 'no_hit'],
    ]);
  });
});
