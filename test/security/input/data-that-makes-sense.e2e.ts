import request from 'supertest';
import { createTestApp, TestApp } from '../../support/test-app';
import { signIn, type SignedIn } from '../../support/http';
import { aDraft, taskForce, TaskForce } from '../../support/scenario';
import { importCsv, RAID_HEADER, raidRow, toCsv } from '../../arrests/raid-fixtures';
import {
  aBankAccount,
  anAcceptedRequest,
  BASE as FREEZES,
  koreaMalaysiaFramework,
  stepper,
} from '../../asset-freezes/asset-freeze-scenario';

const count = async (t: TestApp, sql: string) => Number((await t.dataSource.query(sql))[0].n);
const today = () => new Date().toISOString().slice(0, 10);

const aPerson = (extra: object = {}) => ({
  names: [{ full: 'CHEN Wei', script: 'latin', kind: 'primary' }],
  ...extra,
});
const anArrest = (extra: object = {}) => ({
  arrestedAt: '2026-03-01T02:30:00Z',
  place: 'Golden Fortune compound',
  grounds: 'Online fraud',
  arrestingAgency: 'Cambodian National Police',
  nationality: 'KR',
  person: aPerson(),
  ...extra,
});

/** Issue 17: values that are well-formed but make no sense were accepted; each is now a 400 or 409. */
describe('Data that makes no sense is refused, naming the field', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(() => t?.close());

  const expectRefused = (res: request.Response, status: number, field: string, message?: RegExp) => {
    expect({ status: res.status, errors: res.body.errors }).toMatchObject({
      status,
      errors: expect.arrayContaining([
        expect.objectContaining({ field, ...(message ? { message: expect.stringMatching(message) } : {}) }),
      ]),
    });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  };

  it('refuses a date of birth in the future or before 1900 on persons, arrests and the arrests CSV', async () => {
    const persons = await count(t, `SELECT count(*) AS n FROM person`);
    const officer = tf['kr.officer'];
    expectRefused(await officer.post('/persons', aPerson({ birthDate: '2099' })), 400, 'birthDate', /future/);
    expectRefused(
      await officer.post('/persons', aPerson({ birthDate: '1899-12-31' })),
      400,
      'birthDate',
      /1900/,
    );
    const made = await officer.post('/persons', aPerson({ birthDate: '1900' })).expect(201);
    expectRefused(
      await officer.patch(`/persons/${made.body.id}`, { ...aPerson({ birthDate: '2099-01' }), version: 1 }),
      400,
      'birthDate',
    );
    expectRefused(
      await tf['kh.officer'].post('/arrests', anArrest({ person: aPerson({ birthDate: '2099-01-01' }) })),
      400,
      'person.birthDate',
    );
    const csv = toCsv(RAID_HEADER, [raidRow('KR', 0), raidRow('VN', 1, { birth_date: '1850' })]);
    const imported = await importCsv(t.server, tf['kh.officer'], csv);
    expectRefused(imported, 400, 'birth_date', /1900/);
    expect(imported.body.errors[0].row).toBe(3);
    expect(await count(t, `SELECT count(*) AS n FROM person`)).toBe(persons + 1);
  });

  it('refuses a name, title, subject, checkpoint or screened name that shows nothing (a zero-width space), naming it', async () => {
    const blank = '\u200b\u200d';
    const persons = await count(t, `SELECT count(*) AS n FROM person`);
    const tries = [
      [
        await tf['kr.officer'].post('/persons', aPerson({ names: [{ full: blank, kind: 'primary' }] })),
        'names[0].full',
      ],
      [await tf['kr.officer'].post('/cases', { title: blank }), 'title'],
      [
        await tf['kr.officer'].post(
          '/information-requests',
          aDraft(tf.cambodiaKoreaFramework, { subject: blank }),
        ),
        'subject',
      ],
      [
        await tf['kr.screener'].post('/screenings', { names: [{ full: 'KIM Min-jun' }], checkpoint: blank }),
        'checkpoint',
      ],
      [
        await tf['kr.screener'].post('/screenings', { names: [{ full: blank }], checkpoint: 'ICN T1' }),
        'names[0].full',
      ],
    ] as const;
    for (const [res, field] of tries)
      expect({ status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual(
        {
          status: 400,
          fields: [field],
        },
      );
    expect(await count(t, `SELECT count(*) AS n FROM person`)).toBe(persons);
  });

  it('refuses a case opened after today or before 1990, and mints no reference for it', async () => {
    expectRefused(
      await tf['kr.officer'].post('/cases', { title: 'Raid', openedOn: '2099-01-01' }),
      400,
      'openedOn',
      /after today/,
    );
    expectRefused(
      await tf['kr.officer'].post('/cases', { title: 'Raid', openedOn: '1989-12-31' }),
      400,
      'openedOn',
      /1990/,
    );
    expect(await count(t, `SELECT count(*) AS n FROM case_file WHERE reference LIKE '%-2099-%'`)).toBe(0);
    const opened = await tf['kr.officer'].post('/cases', { title: 'Raid', openedOn: today() }).expect(201);
    expect(opened.body.openedOn).toBe(today());
  });

  it('takes any ISO 3166-1 nationality on persons and arrests (a raid of Chinese nationals), and refuses XX', async () => {
    expectRefused(
      await tf['kr.officer'].post('/persons', aPerson({ nationalities: ['XX'] })),
      400,
      'nationalities',
    );
    const person = await tf['kr.officer'].post('/persons', aPerson({ nationalities: ['CN'] })).expect(201);
    expect(person.body.nationalities).toEqual(['CN']);
    expectRefused(
      await tf['kh.officer'].post('/arrests', anArrest({ nationality: 'XX' })),
      400,
      'nationality',
    );
    const single = await tf['kh.officer'].post('/arrests', anArrest({ nationality: 'CN' })).expect(201);
    expect(single.body.nationality).toBe('CN');
    const rows = Array.from({ length: 80 }, (_, i) =>
      raidRow('CN', i, { full_name: `CHEN Wei ${i}`, latin_name: '', document_number: `E${7000000 + i}` }),
    );
    const raid = await importCsv(t.server, tf['kh.officer'], toCsv(RAID_HEADER, rows)).expect(201);
    expect(raid.body).toMatchObject({ recorded: 80, byNationality: { CN: 80 } });
    // Member countries are still the countries the desk serves, not every nationality seen.
    expect(await count(t, `SELECT count(*) AS n FROM country WHERE code = 'CN'`)).toBe(0);
  });

  it('refuses a handover recorded after now, so it cannot be confirmed before it happened', async () => {
    const arrest = await tf['kh.officer'].post('/arrests', anArrest()).expect(201);
    const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
      who.post(`/repatriation-requests/${id}/${action}`, { version, ...extra });
    const d = (
      await tf['kh.officer']
        .post('/repatriation-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode: 'AMBER',
          subject: 'Repatriation',
          arrestIds: [arrest.body.id],
        })
        .expect(201)
    ).body;
    const s = (await act(tf['kh.officer'], d.id, 'submit', d.version).expect(200)).body;
    const a = (await act(tf['kh.liaison'], d.id, 'approve', s.version).expect(200)).body;
    const r = (await act(tf['kr.liaison'], d.id, 'accept', a.version).expect(200)).body;
    const handover = (handedOverAt: string) => ({
      handovers: [
        {
          arrestId: arrest.body.id,
          handedOverBy: 'Lt. Sok Dara',
          receivedBy: 'Insp. Park Ji-hoon',
          handedOverAt,
          place: 'Phnom Penh International Airport',
        },
      ],
    });
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expectRefused(
      await act(tf['kh.officer'], d.id, 'handover', r.version, handover(later)),
      400,
      'handovers[0].handedOverAt',
      /future/,
    );
    const h = (
      await act(tf['kh.officer'], d.id, 'handover', r.version, handover('2026-03-21T05:00:00Z')).expect(200)
    ).body;
    await act(tf['kr.liaison'], d.id, 'confirm-handover', h.version, { arrestIds: [arrest.body.id] }).expect(
      200,
    );
    const [row] = await t.dataSource.query(
      `SELECT handover_confirmed_at >= handed_over_at AS ordered FROM repatriation_person WHERE arrest_id = $1`,
      [arrest.body.id],
    );
    expect(row.ordered).toBe(true);
  });

  it('refuses to return to victims more than was ever recovered on a freeze target (409)', async () => {
    const step = stepper();
    const accepted = await anAcceptedRequest(tf, await koreaMalaysiaFramework(t), [
      aBankAccount({ accountNumber: '900-0001', amountSought: { amount: '100', currency: 'MYR' } }),
    ]);
    const target = accepted.targets[0].id as string;
    const on = (what: string) => `${accepted.id}/targets/${target}/${what}`;
    let cur = await step(tf['my.officer'], on('freeze'), {
      version: accepted.version,
      outcome: 'frozen',
      amount: { amount: '100', currency: 'MYR' },
    });
    cur = await step(tf['my.officer'], on('recover'), {
      version: cur.version,
      amount: { amount: '40', currency: 'MYR' },
      disposition: 'seized',
    });
    const ret = (amount: string, version: number) =>
      tf['my.officer'].post(`${FREEZES}/${on('return')}`, {
        version,
        amount: { amount, currency: 'MYR' },
        recipient: { name: 'PARK Jisoo' },
        decision: 'Restitution order 9-2026',
      });
    const refused = await ret('40.01', cur.version);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/only 40 was recovered/);
    const after = (await tf['my.officer'].get(`${FREEZES}/${accepted.id}`).expect(200)).body;
    expect(after.targets[0]).toMatchObject({ recovered: '40', returned: '0', stillFrozen: '100' });
    expect((await ret('40', cur.version)).status).toBe(200);
  });

  it('refuses a message on a closed request with 409 and keeps the thread as it was', async () => {
    const act = (who: SignedIn, id: string, action: string, version: number, extra: object = {}) =>
      who.post(`/information-requests/${id}/${action}`, { version, ...extra });
    const d = (
      await tf['kr.officer'].post('/information-requests', aDraft(tf.cambodiaKoreaFramework)).expect(201)
    ).body;
    let v = d.version as number;
    const step = async (who: SignedIn, action: string, extra: object = {}) => {
      v = (await act(who, d.id, action, v, extra).expect(200)).body.version;
    };
    await step(tf['kr.officer'], 'submit');
    await step(tf['kr.liaison'], 'approve');
    await tf['kh.liaison'].post(`/information-requests/${d.id}/messages`, { body: 'Received.' }).expect(201);
    await step(tf['kh.liaison'], 'accept');
    await step(tf['kh.liaison'], 'fulfil', { findings: { summary: 'Registered to a nominee.' } });
    await step(tf['kr.officer'], 'close');
    const late = await tf['kh.liaison'].post(`/information-requests/${d.id}/messages`, {
      body: 'One more thing',
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/closed/);
    const thread = (await tf['kr.officer'].get(`/information-requests/${d.id}/messages`).expect(200)).body;
    expect(thread.map((m: { body: string }) => m.body)).toEqual(['Received.']);
  });

  it('counts the whole of a date-only `to` day in /stats', async () => {
    await tf['kr.officer'].post('/information-requests', aDraft(tf.cambodiaKoreaFramework)).expect(201);
    const day = today();
    const res = await tf['kr.liaison'].get(`/stats?from=${day}&to=${day}`);
    expect(res.status).toBe(200);
    expect(res.body.to).toBe(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString());
    const drafts = res.body.requests.filter(
      (r: { kind: string; direction: string }) => r.kind === 'information' && r.direction === 'outbound',
    );
    expect(drafts.reduce((n: number, r: { count: number }) => n + r.count, 0)).toBeGreaterThan(0);
  });

  it('refuses a raid CSV imported twice (409 listing the rows) unless allowDuplicates=true, and duplicates inside one file', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => raidRow('TH', 500 + i));
    const csv = toCsv(RAID_HEADER, rows);
    await importCsv(t.server, tf['kh.officer'], csv).expect(201);
    const arrests = await count(t, `SELECT count(*) AS n FROM arrest`);
    const persons = await count(t, `SELECT count(*) AS n FROM person`);

    const again = await importCsv(t.server, tf['kh.officer'], csv);
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:case-desk:problem:duplicate-arrests');
    expect(again.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).toEqual([
      '2:document_number',
      '3:document_number',
      '4:document_number',
      '5:document_number',
      '6:document_number',
    ]);
    expect(await count(t, `SELECT count(*) AS n FROM arrest`)).toBe(arrests);
    expect(await count(t, `SELECT count(*) AS n FROM person`)).toBe(persons);

    const twiceInOneFile = toCsv(RAID_HEADER, [raidRow('TH', 600), raidRow('ID', 601), raidRow('TH', 600)]);
    const inFile = await importCsv(t.server, tf['kh.officer'], twiceInOneFile);
    expect(inFile.status).toBe(409);
    expect(inFile.body.errors).toEqual([{ row: 4, field: 'document_number', message: 'repeats row 2' }]);

    const allowed = await request(t.server)
      .post('/api/v1/arrests/import?allowDuplicates=true')
      .set('Authorization', `Bearer ${tf['kh.officer'].tokens.accessToken}`)
      .set('Content-Type', 'text/csv; charset=utf-8')
      .send(Buffer.from(csv, 'utf8'));
    expect(allowed.status).toBe(201);
    expect(allowed.body.recorded).toBe(5);
    // The same people arrested on another day are a new arrest, not a duplicate.
    const nextDay = toCsv(
      RAID_HEADER,
      rows.map((_, i) => raidRow('TH', 500 + i, { arrested_at: '2026-03-02T02:30:00Z' })),
    );
    await importCsv(t.server, tf['kh.officer'], nextDay).expect(201);

    // A JSON batch naming a known person: the same person arrested that day already, or twice in it.
    const single = await tf['kh.officer'].post('/arrests', anArrest()).expect(201);
    const again2 = { personId: single.body.person.id };
    const batch = await tf['kh.officer'].post('/arrests/batch', {
      arrests: [anArrest({ person: undefined, ...again2 }), anArrest({ person: undefined, ...again2 })],
    });
    expect(batch.status).toBe(409);
    expect(batch.body.errors).toEqual([
      { row: 1, field: 'personId', message: 'repeats an arrest already recorded on the same day' },
      { row: 2, field: 'personId', message: 'repeats row 1' },
    ]);
  });

  it('refuses an arrest linked to a screening hit, entry or proposal its country cannot read (probe, third round)', async () => {
    const nobody = '7d0e5f0a-1b2c-4d3e-8f40-5a6b7c8d9e0f';
    for (const field of ['screeningHitId', 'blacklistEntryId', 'blacklistRequestId'])
      expectRefused(
        await tf['kh.officer'].post('/arrests', anArrest({ [field]: nobody })),
        400,
        field,
        /names nothing your country can read/,
      );
    // Another pair's draft is nothing KH reads either.
    const krDraft = await tf['kr.officer']
      .post('/information-requests', aDraft(tf.cambodiaKoreaFramework))
      .expect(201);
    expectRefused(
      await tf['kh.officer'].post('/arrests', anArrest({ blacklistRequestId: krDraft.body.id })),
      400,
      'blacklistRequestId',
    );
  });

  it('reads a name’s script from its letters, refuses a label that contradicts them, and screens only real nationalities (issue 16)', async () => {
    const created = await tf['kr.officer']
      .post('/persons', {
        names: [
          { full: '최우진', kind: 'primary' },
          { full: 'CHOI Woojin', kind: 'alias' },
        ],
      })
      .expect(201);
    expect(created.body.names.map((n: { script: string }) => n.script)).toEqual(['hangul', 'latin']);
    expectRefused(
      await tf['kr.officer'].post('/persons', {
        names: [{ full: '최우진', script: 'latin', kind: 'primary' }],
      }),
      400,
      'names[0].script',
      /does not match the letters of full \(hangul\)/,
    );
    expectRefused(
      await tf['kr.screener'].post('/screenings', {
        checkpoint: 'ICN-T1',
        names: [{ full: 'CHOI Woojin' }],
        nationality: 'XX',
      }),
      400,
      'nationality',
    );
  });

  it('refuses to verify an audit chain range whose fromSeq is after its toSeq', async () => {
    const operator = await signIn(t.server, 'platform.admin');
    const res = await operator.post('/audit-events/verify', { fromSeq: 5, toSeq: 2 });
    expectRefused(res, 400, 'toSeq', /must not be less than fromSeq/);
    expect(res.body.ok).toBeUndefined();
    await operator.post('/audit-events/verify', { fromSeq: 2, toSeq: 2 }).expect(200);
  });
});
