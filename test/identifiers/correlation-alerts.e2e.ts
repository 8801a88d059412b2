import { createTestApp, TestApp } from '../support/test-app';
import { taskForce, TaskForce } from '../support/scenario';
import { givenIn, type Given } from '../support/given';
import type { SignedIn } from '../support/http';
import { aBankAccount } from '../asset-freezes/asset-freeze-scenario';
import { CorrelationAlertsService } from '../../src/correlation-alerts/correlation-alerts.service';

/**
 * Issue 20, item 5: correlation alerts. A record newly visible to a country that carries an identifier
 * one of its open cases holds tells the case's lead officer, naming only what that country may see; a
 * country not involved learns nothing (notifications, audit, stats).
 */
describe('Correlation alerts', () => {
  let t: TestApp;
  let tf: TaskForce;
  let given: Given;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    given = givenIn(tf);
  });
  afterAll(() => t?.close());

  let serial = 0;
  /** A phone number no other test uses. */
  const freshPhone = () => `+8551230${String(++serial).padStart(4, '0')}`;

  interface Alert {
    id: string;
    eventType: string;
    recordType: string;
    recordId: string;
    reference: string | null;
    payload: {
      caseId: string;
      caseReference: string;
      identifier: { kind: string; value: string; qualifier: string | null };
      record: {
        type: string;
        id: string;
        kind: string;
        reference: string;
        fromCountry: string;
        part: string;
      };
      message: string;
    };
  }
  const alertsOf = async (who: SignedIn): Promise<Alert[]> => {
    const res = await who.get('/notifications?limit=200').expect(200);
    return (res.body.items as Alert[]).filter((n) => n.eventType === 'identifier.correlation');
  };
  const alertsAbout = async (who: SignedIn, recordId: string) =>
    (await alertsOf(who)).filter((a) => a.recordId === recordId);
  const correlationEvents = async (who: SignedIn) =>
    (await who.get('/audit-events?action=case.identifier_correlation&limit=200').expect(200)).body
      .items as Array<{ recordId: string; details: Record<string, unknown> }>;

  /** A person of `who`'s country carrying `phone`, linked to a new open case with `lead` as its lead officer. */
  const aCaseWithPhone = async (
    who: 'kr.officer' | 'my.officer' | 'kh.officer',
    phone: string,
    lead?: keyof TaskForce,
  ) => {
    const person = (
      await tf[who]
        .post('/persons', {
          names: [{ full: `SUSPECT ${phone}`, script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const body: Record<string, unknown> = {
      title: `Call centre using ${phone}`,
      persons: [{ personId: person.id, role: 'suspect' }],
    };
    if (lead) body.leadOfficerId = await tf.userId(String(lead));
    return (await tf[who].post('/cases', body).expect(201)).body as {
      id: string;
      reference: string;
      version: number;
    };
  };

  /** KH asks KR about `phone` (an information request), left as a draft. */
  const khAsksKrAbout = (phone: string, handlingCode = 'AMBER') =>
    given
      .anInformationRequest()
      .from('KH')
      .sentTo('KR')
      .handledAs(handlingCode)
      .with({ identifiers: { phones: [phone] } });

  const correlationRows = async (recordId: string) =>
    t.dataSource.query(`SELECT case_id, match_key, field FROM identifier_correlation WHERE record_id = $1`, [
      recordId,
    ]);

  it('tells the lead officer of the open case when KH sends a request carrying its phone, naming the request as KR reads it', async () => {
    const phone = freshPhone();
    const krCase = await aCaseWithPhone('kr.officer', phone);
    // MY holds the same number in an open case of its own: MY is not asked, and learns nothing.
    await aCaseWithPhone('my.officer', phone);
    const myStats = async () => {
      const { from: _from, to: _to, ...figures } = (await tf['my.liaison'].get('/stats').expect(200)).body;
      return figures as Record<string, unknown>;
    };
    const myStatsBefore = await myStats();
    const myEventsBefore = await correlationEvents(tf['my.auditor']);

    const request = khAsksKrAbout(phone);
    const draft = await request.drafted();
    await request.submitted();
    // A draft, even submitted, shows KR nothing: nothing is found yet.
    expect(await correlationRows(draft.id)).toEqual([]);
    expect(await alertsAbout(tf['kr.officer'], draft.id)).toEqual([]);

    const sent = await request.sent();
    const asKrSees = (await tf['kr.officer'].get(`/information-requests/${draft.id}`).expect(200)).body;
    expect(asKrSees.reference).toMatch(/^KH-KR-INF-\d{4}-\d{6}$/);
    expect(sent.reference).toBe(asKrSees.reference);

    const [alert, ...more] = await alertsAbout(tf['kr.officer'], draft.id);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      eventType: 'identifier.correlation',
      recordType: 'request',
      recordId: draft.id,
      reference: asKrSees.reference,
      payload: {
        caseId: krCase.id,
        caseReference: krCase.reference,
        identifier: { kind: 'phone', value: phone, qualifier: null },
        record: {
          type: 'request',
          id: draft.id,
          kind: 'information',
          reference: asKrSees.reference,
          fromCountry: 'KH',
          part: 'identifiers',
        },
        message: `The phone number ${phone} of case ${krCase.reference} is in KH's information request ${asKrSees.reference}.`,
      },
    });

    // Officers not on the case, and the other side, hear nothing of it.
    expect(await alertsAbout(tf['kr.officer2'], draft.id)).toEqual([]);
    for (const who of ['kh.officer', 'kh.liaison', 'my.officer', 'my.liaison'] as const)
      expect(await alertsOf(tf[who])).toEqual([]);

    // The audit event is KR's: its auditor reads it, KH's and MY's do not.
    const krEvents = await correlationEvents(tf['kr.auditor']);
    expect(krEvents.filter((e) => e.recordId === krCase.id)).toEqual([
      expect.objectContaining({
        recordId: krCase.id,
        details: expect.objectContaining({
          recordType: 'request',
          recordId: draft.id,
          reference: asKrSees.reference,
          identifierKind: 'phone',
          notified: [await tf.userId('kr.officer')],
        }),
      }),
    ]);
    expect(await correlationEvents(tf['kh.auditor'])).toEqual([]);
    expect(await correlationEvents(tf['my.auditor'])).toEqual(myEventsBefore);
    const kh = await tf['kh.auditor'].get(`/audit-events/timeline?recordType=case&recordId=${krCase.id}`);
    expect([200, 404]).toContain(kh.status);
    if (kh.status === 200) expect(kh.body.items ?? kh.body).toEqual([]);
    // MY's figures do not move.
    expect(await myStats()).toEqual(myStatsBefore);
  });

  it('alerts once per case, record and identifier, however often the record is written again', async () => {
    const phone = freshPhone();
    const krCase = await aCaseWithPhone('kr.officer', phone);
    const request = khAsksKrAbout(phone);
    const sent = await request.sent();
    expect(await alertsAbout(tf['kr.officer'], sent.id)).toHaveLength(1);

    // KR accepts, its case is edited and gets the number a second time: nothing new is visible.
    await request.accepted();
    await tf['kr.officer']
      .patch(`/cases/${krCase.id}`, { version: krCase.version, summary: 'Still calling' })
      .expect(200);
    // The index rebuilt for the request from scratch (what a re-sync or a later edit does).
    await t.dataSource.transaction(async (m) => {
      await m.query(`DELETE FROM identifier_index WHERE record_type = 'request' AND record_id = $1`, [
        sent.id,
      ]);
      await m.query(`SELECT identifier_index_sync('request', $1)`, [sent.id]);
    });
    expect(await alertsAbout(tf['kr.officer'], sent.id)).toHaveLength(1);
    expect(await correlationRows(sent.id)).toHaveLength(1);
    const events = (await correlationEvents(tf['kr.auditor'])).filter((e) => e.recordId === krCase.id);
    expect(events).toHaveLength(1);
  });

  it('tells nobody about a closed case', async () => {
    const phone = freshPhone();
    const krCase = await aCaseWithPhone('kr.officer', phone);
    await tf['kr.officer']
      .patch(`/cases/${krCase.id}`, { version: krCase.version, status: 'closed' })
      .expect(200);
    const sent = await khAsksKrAbout(phone).sent();
    expect(await correlationRows(sent.id)).toEqual([]);
    expect(await alertsAbout(tf['kr.officer'], sent.id)).toEqual([]);
  });

  it("tells the case's lead officer, not the officer who opened it", async () => {
    const phone = freshPhone();
    await aCaseWithPhone('kr.officer', phone, 'kr.officer2');
    const sent = await khAsksKrAbout(phone).sent();
    expect(await alertsAbout(tf['kr.officer2'], sent.id)).toHaveLength(1);
    expect(await alertsAbout(tf['kr.officer'], sent.id)).toEqual([]);
  });

  it('finds nothing for a record received under RED: it is for its named recipients only', async () => {
    const phone = freshPhone();
    await aCaseWithPhone('kr.officer', phone);
    const request = khAsksKrAbout(phone, 'RED');
    const sent = await request.sent();
    await request.assignedTo('kr.officer');
    expect(await correlationRows(sent.id)).toEqual([]);
    for (const who of ['kr.officer', 'kr.liaison', 'kr.officer2'] as const)
      expect(await alertsAbout(tf[who], sent.id)).toEqual([]);
  });

  it('announces what a write outside the app found once the sweep runs, and only once', async () => {
    const phone = freshPhone();
    const krCase = await aCaseWithPhone('kr.officer', phone);
    const request = khAsksKrAbout(phone);
    const submitted = await request.submitted();
    // Sent by hand (psql, a repair script): the trigger still finds the correlation in that transaction.
    await t.dataSource.query(
      `UPDATE cross_border_request SET status = 'sent', sent_at = now(), reference = 'KH-KR-INF-2026-999001' WHERE id = $1`,
      [submitted.id],
    );
    const rows = await t.dataSource.query(
      `SELECT case_id, announced_at FROM identifier_correlation WHERE record_id = $1`,
      [submitted.id],
    );
    expect(rows).toEqual([{ case_id: krCase.id, announced_at: null }]);
    expect(await alertsAbout(tf['kr.officer'], submitted.id)).toEqual([]);

    const sweeper = t.app.get(CorrelationAlertsService);
    expect(await sweeper.sweep()).toBe(1);
    expect(await sweeper.sweep()).toBe(0);
    expect(await alertsAbout(tf['kr.officer'], submitted.id)).toEqual([
      expect.objectContaining({ reference: 'KH-KR-INF-2026-999001' }),
    ]);
  });

  it('finds a case holding the number through a person its own request names', async () => {
    const phone = freshPhone();
    const person = (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: 'PARK Jisoo', script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body;
    const viaRequest = (await tf['kr.officer'].post('/cases', { title: 'Loan scam callers' }).expect(201))
      .body;
    await given
      .anInformationRequest()
      .from('KR')
      .sentTo('KH')
      .with({ caseId: viaRequest.id })
      .about(person.id)
      .drafted();
    const sent = await khAsksKrAbout(phone).sent();
    expect(await alertsAbout(tf['kr.officer'], sent.id)).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ caseId: viaRequest.id }) }),
    ]);
  });

  it('shows an alert about a shared case only while the share lasts', async () => {
    const phone = freshPhone();
    await aCaseWithPhone('kr.officer', phone);
    await aCaseWithPhone('my.officer', phone);
    const khCase = await aCaseWithPhone('kh.officer', phone);
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    expect(await alertsAbout(tf['kr.officer'], khCase.id)).toHaveLength(1);
    // MY, not shared with, has the number in a case of its own too: nothing.
    expect(await alertsOf(tf['my.officer'])).toEqual([]);
    await tf['kh.liaison'].delete(`/cases/${khCase.id}/shares/KR`).expect(200);
    expect(await alertsAbout(tf['kr.officer'], khCase.id)).toEqual([]);
    // Shared again: the same case, person and number, so no second alert; the first shows again.
    await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
    expect(await alertsAbout(tf['kr.officer'], khCase.id)).toHaveLength(1);
  });

  describe('every write path that makes a record carrying identifiers visible to a country', () => {
    /** A letters-only tag (number-like words are weighed as numbers by the release rule). */
    const tag = () => {
      let n = ++serial;
      let out = '';
      do {
        out = String.fromCharCode(97 + (n % 26)) + out;
        n = Math.floor(n / 26);
      } while (n > 0);
      return out;
    };

    /** An arrest by KH of a new person carrying `person` fields, at `place`, not shared. */
    const khArrest = async (person: Record<string, unknown>, place: string) =>
      (
        await tf['kh.officer']
          .post('/arrests', {
            arrestedAt: '2026-11-20T02:30:00Z',
            place,
            grounds: 'Online fraud',
            arrestingAgency: 'Cambodian National Police',
            nationality: 'KR',
            person: { names: [{ full: `PARK ${tag()}`, script: 'latin', kind: 'primary' }], ...person },
          })
          .expect(201)
      ).body as { id: string; place: string };

    /**
     * A KR case that holds `identifiers` through a request of its own (a KR draft filed under the case):
     * a case carries what its persons, its requests and its arrests carry.
     */
    const aCaseWithOwnRequest = async (identifiers: Record<string, unknown>) => {
      const krCase = (
        await tf['kr.officer'].post('/cases', { title: `Laundering ring ${tag()}` }).expect(201)
      ).body as { id: string; reference: string };
      await given
        .anInformationRequest()
        .from('KR')
        .sentTo('KH')
        .with({ caseId: krCase.id, identifiers })
        .drafted();
      return krCase;
    };

    interface Visible {
      id: string;
      reference: string;
    }
    interface WritePath {
      name: string;
      /** Where the received rows come from in `identifier_index_entries`: record type and field prefix. */
      source: string;
      /** The KR case holding the identifier, and the identifier as the alert names it. */
      kase: () => Promise<{
        krCase: { id: string; reference: string };
        kind: string;
        value: string;
        write: unknown;
      }>;
      /** The write that makes a record carrying it visible to KR. */
      makeVisible: (write: unknown) => Promise<Visible>;
      kind: string;
      part: string;
      fromCountry: string;
      /** The record the alert is about: the request, or the shared case. */
      recordType?: 'request' | 'case' | 'arrest';
    }

    const infoFromKh = (identifiers: Record<string, unknown>) => async (): Promise<Visible> => {
      const sent = await given.anInformationRequest().from('KH').sentTo('KR').with({ identifiers }).sent();
      return { id: sent.id, reference: sent.reference as string };
    };

    const paths: WritePath[] = [
      {
        name: "KH's information request naming a phone, at approve",
        source: 'request:identifiers',
        kase: async () => {
          const phone = freshPhone();
          return {
            krCase: await aCaseWithPhone('kr.officer', phone),
            kind: 'phone',
            value: phone,
            write: phone,
          };
        },
        makeVisible: (phone) => infoFromKh({ phones: [phone] })(),
        kind: 'information',
        part: 'identifiers',
        fromCountry: 'KH',
      },
      {
        name: "KH's information request naming a bank account, at approve",
        source: 'request:identifiers',
        kase: async () => {
          const account = `00${100000 + ++serial}`;
          const krCase = await aCaseWithOwnRequest({
            bankAccounts: [{ institution: 'ABA', accountNumber: account }],
          });
          return { krCase, kind: 'bank_account', value: account, write: account };
        },
        makeVisible: (account) =>
          infoFromKh({ bankAccounts: [{ institution: 'ABA Bank', accountNumber: `${account}` }] })(),
        kind: 'information',
        part: 'identifiers',
        fromCountry: 'KH',
      },
      {
        name: "KH's information request naming a wallet, at approve",
        source: 'request:identifiers',
        kase: async () => {
          const address = `0x${String(++serial).padStart(40, 'a')}`;
          const krCase = await aCaseWithOwnRequest({ cryptoAddresses: [{ chain: 'ethereum', address }] });
          return { krCase, kind: 'wallet', value: address, write: address };
        },
        makeVisible: (address) =>
          infoFromKh({
            cryptoAddresses: [
              { chain: 'ethereum', address: String(address).toUpperCase().replace('0X', '0x') },
            ],
          })(),
        kind: 'information',
        part: 'identifiers',
        fromCountry: 'KH',
      },
      {
        name: "KH's information request naming a web address, at approve",
        source: 'request:identifiers',
        kase: async () => {
          const host = `win-${tag()}.example`;
          const krCase = await aCaseWithOwnRequest({ urls: [`https://${host}/join`] });
          return { krCase, kind: 'web', value: `${host}/join`, write: host };
        },
        makeVisible: (host) => infoFromKh({ urls: [`http://www.${host}/join/`] })(),
        kind: 'information',
        part: 'identifiers',
        fromCountry: 'KH',
      },
      {
        name: "KH's information request naming a compound, at approve",
        source: 'request:identifiers',
        kase: async () => {
          const name = `Golden Fortune ${tag()}`;
          const krCase = await aCaseWithOwnRequest({ compounds: [name] });
          return { krCase, kind: 'compound', value: name.toLowerCase(), write: name };
        },
        makeVisible: (name) => infoFromKh({ compounds: [String(name).toUpperCase()] })(),
        kind: 'information',
        part: 'identifiers',
        fromCountry: 'KH',
      },
      {
        name: "KH's freeze request on an account, at approve",
        source: 'asset_freeze_target:target',
        kase: async () => {
          const account = `77${100000 + ++serial}`;
          const krCase = await aCaseWithOwnRequest({
            bankAccounts: [{ institution: 'KB Kookmin', accountNumber: account }],
          });
          return { krCase, kind: 'bank_account', value: account, write: account };
        },
        makeVisible: async (account) => {
          const sent = await given
            .aRequest('asset_freeze')
            .from('KH')
            .sentTo('KR')
            .with({
              subject: `Freeze the mule account ${tag()}`,
              targets: [
                aBankAccount({
                  institutionName: 'KB Kookmin Bank',
                  institutionCode: 'CZNBKRSE',
                  accountNumber: `${account}`,
                  amountSought: { amount: '1000', currency: 'KRW' },
                }),
              ],
            })
            .sent();
          return { id: sent.id, reference: sent.reference as string };
        },
        kind: 'asset_freeze',
        part: 'freeze_target',
        fromCountry: 'KH',
      },
      {
        name: "KH's answer (findings) to a KR request, at fulfil",
        source: 'request:findings.identifiers',
        kase: async () => {
          const phone = freshPhone();
          return {
            krCase: await aCaseWithPhone('kr.officer', phone),
            kind: 'phone',
            value: phone,
            write: phone,
          };
        },
        makeVisible: async (phone) => {
          // Asked under another case of KR's that holds the number too: that case filed the request, so
          // it is not told about its own answer.
          const asking = await aCaseWithPhone('kr.officer', String(phone));
          const answered = await given
            .anInformationRequest()
            .from('KR')
            .sentTo('KH')
            .with({ caseId: asking.id })
            .fulfilled({ findings: { summary: 'Subscriber found', identifiers: { phones: [phone] } } });
          expect(
            await alertsOf(tf['kr.officer']).then((all) => all.filter((a) => a.payload.caseId === asking.id)),
          ).toEqual([]);
          return { id: answered.id, reference: answered.reference as string };
        },
        kind: 'information',
        part: 'findings',
        fromCountry: 'KH',
      },
      {
        name: "KH's request about a person of its own with a passport, at approve",
        source: 'request_person:origin',
        kase: async () => {
          const number = `N${tag().toUpperCase()}77`;
          // KR's case holds the passport through a person of its own.
          const person = (
            await tf['kr.officer']
              .post('/persons', {
                names: [{ full: `CHEA ${tag()}`, script: 'latin', kind: 'primary' }],
                documents: [{ type: 'passport', number, issuingCountry: 'KH' }],
              })
              .expect(201)
          ).body;
          const krCase = (
            await tf['kr.officer']
              .post('/cases', {
                title: `Passport ring ${tag()}`,
                persons: [{ personId: person.id, role: 'suspect' }],
              })
              .expect(201)
          ).body;
          return { krCase, kind: 'passport', value: number, write: number };
        },
        makeVisible: async (number) => {
          const khPerson = (
            await tf['kh.officer']
              .post('/persons', {
                names: [{ full: `SOK ${tag()}`, script: 'latin', kind: 'primary' }],
                documents: [{ type: 'passport', number: String(number).toLowerCase(), issuingCountry: 'KH' }],
              })
              .expect(201)
          ).body;
          const request = given.anInformationRequest().from('KH').sentTo('KR').about(khPerson.id);
          const draft = await request.drafted();
          expect(await correlationRows(draft.id)).toEqual([]);
          const sent = await request.sent();
          return { id: sent.id, reference: sent.reference as string };
        },
        kind: 'information',
        part: 'persons',
        fromCountry: 'KH',
      },
      {
        name: "KH's answer finding a person with a phone, at fulfil",
        source: 'request_person:target',
        kase: async () => {
          const phone = freshPhone();
          return {
            krCase: await aCaseWithPhone('kr.officer', phone),
            kind: 'phone',
            value: phone,
            write: phone,
          };
        },
        makeVisible: async (phone) => {
          const answered = await given
            .anInformationRequest()
            .from('KR')
            .sentTo('KH')
            .fulfilled({
              findings: {
                summary: 'The subscriber',
                persons: [
                  { names: [{ full: `KEO ${tag()}`, script: 'latin', kind: 'primary' }], phones: [phone] },
                ],
              },
            });
          return { id: answered.id, reference: answered.reference as string };
        },
        kind: 'information',
        part: 'findings',
        fromCountry: 'KH',
      },
      {
        name: 'a KH case shared with KR, whose person carries a phone, at the share',
        source: 'case_share',
        kase: async () => {
          const phone = freshPhone();
          return {
            krCase: await aCaseWithPhone('kr.officer', phone),
            kind: 'phone',
            value: phone,
            write: phone,
          };
        },
        makeVisible: async (phone) => {
          const khCase = await aCaseWithPhone('kh.officer', String(phone));
          await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
          const asKrSees = (await tf['kr.officer'].get(`/cases/${khCase.id}`).expect(200)).body;
          return { id: khCase.id, reference: asKrSees.reference as string };
        },
        kind: 'case',
        part: 'persons',
        fromCountry: 'KH',
        recordType: 'case',
      },
      {
        name: 'a person with a phone linked into a KH case already shared with KR',
        source: 'case_person',
        kase: async () => {
          const phone = freshPhone();
          return {
            krCase: await aCaseWithPhone('kr.officer', phone),
            kind: 'phone',
            value: phone,
            write: phone,
          };
        },
        makeVisible: async (phone) => {
          const khCase = (
            await tf['kh.officer'].post('/cases', { title: `Compound raid ${tag()}` }).expect(201)
          ).body;
          await tf['kh.liaison'].post(`/cases/${khCase.id}/shares`, { countryCode: 'KR' }).expect(201);
          const person = (
            await tf['kh.officer']
              .post('/persons', {
                names: [{ full: `LIM ${tag()}`, script: 'latin', kind: 'primary' }],
                phones: [phone],
              })
              .expect(201)
          ).body;
          await tf['kh.officer']
            .post(`/cases/${khCase.id}/persons`, { persons: [{ personId: person.id, role: 'suspect' }] })
            .expect(201);
          const asKrSees = (await tf['kr.officer'].get(`/cases/${khCase.id}`).expect(200)).body;
          return { id: khCase.id, reference: asKrSees.reference as string };
        },
        kind: 'case',
        part: 'persons',
        fromCountry: 'KH',
        recordType: 'case',
      },
      // An arrest's person's phones and passports go with its share too (`personScope`): see
      // test/security/probe-presend-correlations.
      {
        name: 'a KH arrest shared with KR, made at a compound KR holds, at the share',
        source: 'arrest_share',
        kase: async () => {
          const name = `Jin Bei ${tag()}`;
          const krCase = await aCaseWithOwnRequest({ compounds: [name] });
          return { krCase, kind: 'compound', value: name.toLowerCase(), write: name };
        },
        makeVisible: async (name) => {
          const arrest = await khArrest({}, String(name).toUpperCase());
          // Not yet shared: KR cannot read the arrest, and nothing is found.
          expect(await correlationRows(arrest.id)).toEqual([]);
          await tf['kh.liaison'].post(`/arrests/${arrest.id}/shares`, { countryCode: 'KR' }).expect(200);
          return { id: arrest.id, reference: `2026-11-20, ${arrest.place}` };
        },
        kind: 'arrest',
        part: 'place',
        fromCountry: 'KH',
        recordType: 'arrest',
      },
    ];

    it.each(paths.map((p) => [p.name, p] as const))('%s', async (_name, path) => {
      const { krCase, kind, value, write } = await path.kase();
      const visible = await path.makeVisible(write);
      const alerts = await alertsAbout(tf['kr.officer'], visible.id);
      expect(alerts).toEqual([
        expect.objectContaining({
          recordType: path.recordType ?? 'request',
          recordId: visible.id,
          reference: visible.reference,
          payload: expect.objectContaining({
            caseId: krCase.id,
            caseReference: krCase.reference,
            identifier: expect.objectContaining({ kind, value }),
            record: expect.objectContaining({
              id: visible.id,
              kind: path.kind,
              reference: visible.reference,
              fromCountry: path.fromCountry,
              part: path.part,
            }),
          }),
        }),
      ]);
      for (const who of ['kr.officer2', 'kh.officer', 'kh.liaison', 'my.officer', 'my.liaison'] as const)
        expect(await alertsAbout(tf[who], visible.id)).toEqual([]);
    });

    it('covers every way a record carrying identifiers reaches a country', async () => {
      // The index's own definition names each way a record's identifiers reach a country that does not
      // own it (a `'received'` entry); persons travel by `request_person` and with shared cases. A new way
      // must join the table.
      const [{ body }] = await t.dataSource.query(
        `SELECT prosrc AS body FROM pg_proc WHERE proname = 'identifier_index_entries'`,
      );
      expect(String(body).match(/'received'/g)).toHaveLength(3);
      const held: Array<{ source: string }> = await t.dataSource.query(
        `SELECT DISTINCT record_type || ':' || CASE WHEN field LIKE 'findings.%' THEN 'findings.identifiers'
                                                   WHEN field LIKE 'identifiers.%' THEN 'identifiers' ELSE field END AS source
           FROM identifier_index WHERE standing = 'received'
         UNION
         SELECT DISTINCT 'request_person:' || added_by_side FROM request_person
         UNION
         SELECT DISTINCT 'case_share' FROM case_share
         UNION
         SELECT DISTINCT 'case_person' FROM case_person cp JOIN case_share s ON s.case_id = cp.case_id
         UNION
         SELECT DISTINCT 'arrest_share' FROM arrest_share
         ORDER BY 1`,
      );
      const covered = new Set(paths.map((p) => p.source));
      expect([...covered].sort()).toEqual(held.map((h) => h.source));
      // And the triggers that find correlations are the ones this table exercises.
      const triggers = await t.dataSource.query(
        `SELECT tgrelid::regclass::text AS "table", tgname AS name FROM pg_trigger
          WHERE tgfoid IN (SELECT oid FROM pg_proc WHERE proname LIKE 'identifier_correlation_on_%') ORDER BY 1, 2`,
      );
      expect(triggers).toEqual([
        { table: 'arrest_share', name: 'arrest_share_correlate' },
        { table: 'case_person', name: 'case_person_correlate' },
        { table: 'case_share', name: 'case_share_correlate' },
        { table: 'cross_border_request', name: 'cross_border_request_correlate_persons' },
        { table: 'identifier_index', name: 'identifier_index_correlate' },
        // A kept copy gone: exercised by test/identifiers/adjacent-withheld-correlations.
        { table: 'person_return', name: 'person_return_correlate' },
        { table: 'request_person', name: 'request_person_correlate' },
      ]);
    });
  });
});
