import { upload } from '../attachments/attachment-support';
import { personKhGaveKr } from '../sharing/support';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * What a draft asks for, corrected in place (`PATCH /<kind>/:id`): a repatriation's arrests, a blacklist
 * proposal's entries and a release request's persons and numbers, each list replaced whole and checked
 * as on a create; what stays keeps its id, what is taken off leaves nothing behind, every change is
 * audited, and a refused edit changes nothing.
 */
describe('Editing a draft: what it asks for', () => {
  let t: TestApp;
  let tf: TaskForce;
  let body: string;
  beforeAll(async () => {
    // The demo with its multilateral body: a proposal may go to KH and MY at once.
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
    [{ id: body }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'International Investigative Body on Scam Compounds'`,
    );
  });
  afterAll(() => t?.close());

  type View = { id: string; version: number; status: string; [field: string]: unknown };
  type Problem = { type?: string; detail?: string; errors?: Array<{ field: string; message: string }> };
  const edit = (who: SignedIn, path: string, r: Pick<View, 'id' | 'version'>, changes: object) =>
    who.patch(`${path}/${r.id}`, { version: r.version, ...changes });
  const read = async (who: SignedIn, path: string, r: { id: string }): Promise<View> =>
    (await who.get(`${path}/${r.id}`).expect(200)).body;
  const step = async (who: SignedIn, path: string, r: View, action: string): Promise<View> =>
    (await who.post(`${path}/${r.id}/${action}`, { version: r.version }).expect(200)).body;
  const fieldsOf = (res: { body: Problem }) => [...new Set((res.body.errors ?? []).map((e) => e.field))];
  const editEvents = (recordId: string) =>
    t.dataSource.query(
      `SELECT details, changes FROM audit_event WHERE record_id = $1 AND action = 'request.draft_edited' ORDER BY id`,
      [recordId],
    );

  /** `who` asks `to` who holds an account: refused (409) when it received the number under AMBER+STRICT. */
  const asksAbout = async (who: SignedIn, from: string, to: string, accountNumber: string) =>
    who.post('/information-requests', {
      frameworkId: (await tf.frameworkBetween(from, to))!,
      targetCountry: to,
      priority: 'routine',
      handlingCode: 'AMBER',
      subject: 'Who holds this account?',
      questions: ['Who holds it?'],
      identifiers: { bankAccounts: [{ institution: 'ABA Bank', accountNumber }] },
    });

  // ---- Repatriations -------------------------------------------------------------------------------
  const REPATRIATIONS = '/repatriation-requests';
  let named = 0;
  /** An arrest by `who`'s country of a national of `nationality`, of a person of its own. */
  const anArrest = async (who: SignedIn, nationality: string, grounds = 'Online fraud') =>
    (
      await who
        .post('/arrests', {
          arrestedAt: `2026-03-01T02:${String(++named % 60).padStart(2, '0')}:00Z`,
          place: 'Golden Fortune compound',
          grounds,
          arrestingAgency: 'Police',
          nationality,
          person: { names: [{ full: `KANG Edit ${named}`, script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body as { id: string; person: { id: string } };
  const repatriationDraft = async (arrestIds: string[], handlingCode = 'AMBER'): Promise<View> =>
    (
      await tf['kh.officer']
        .post(REPATRIATIONS, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KR',
          priority: 'routine',
          handlingCode,
          subject: 'Send them home',
          arrestIds,
        })
        .expect(201)
    ).body;
  const arrestsOn = (v: View) => (v.persons as Array<{ arrestId: string }>).map((p) => p.arrestId).sort();
  const linkedPersons = async (requestId: string) =>
    (
      await t.dataSource.query(
        `SELECT person_id FROM request_person WHERE request_id = $1 AND added_by_side = 'origin' ORDER BY person_id`,
        [requestId],
      )
    ).map((r: { person_id: string }) => r.person_id);

  it('a repatriation draft takes a new list of arrests; sent, the target reads exactly those', async () => {
    const [keptAccount, droppedAccount] = ['5521-2026-0001', '5521-2026-0002'];
    const [kept, dropped, added] = [
      await anArrest(tf['kh.officer'], 'KR', `Ran the mule account ${keptAccount}`),
      await anArrest(tf['kh.officer'], 'KR', `Ran the mule account ${droppedAccount}`),
      await anArrest(tf['kh.officer'], 'KR'),
    ];
    const drafted = await repatriationDraft([kept.id, dropped.id], 'AMBER+STRICT');

    const edited = (
      await edit(tf['kh.officer'], REPATRIATIONS, drafted, { arrestIds: [added.id, kept.id] }).expect(200)
    ).body as View;
    expect(edited).toMatchObject({ status: 'draft', version: drafted.version + 1 });
    expect(arrestsOn(edited)).toEqual([kept.id, added.id].sort());
    expect(arrestsOn(await read(tf['kh.officer'], REPATRIATIONS, drafted))).toEqual(arrestsOn(edited));
    // The person of the arrest taken off is no longer on the draft.
    expect(await linkedPersons(drafted.id)).toEqual([kept.person.id, added.person.id].sort());

    // One history line, one audit event with the lists before and after.
    const history = (await tf['kh.officer'].get(`${REPATRIATIONS}/${drafted.id}/history`).expect(200)).body;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['create', 'edit']);
    const [event] = await editEvents(drafted.id);
    expect(event.details.changed).toEqual(['arrestIds']);
    expect([...event.changes.before.arrestIds].sort()).toEqual([kept.id, dropped.id].sort());
    expect(event.changes.after).toMatchObject({ arrestIds: [added.id, kept.id], version: edited.version });
    // The arrest taken off and the one put on each show the edit in their own timeline; the one kept
    // too (it is in both lists).
    for (const arrest of [dropped, added, kept]) {
      const timeline = await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=arrest&recordId=${arrest.id}&limit=200`)
        .expect(200);
      expect(timeline.body.items.map((e: { action: string }) => e.action)).toContain('request.draft_edited');
    }
    // So do the persons of the arrests taken off and put on; the kept arrest's person was linked all along.
    expect(event.details.personIds).toEqual([dropped.person.id, added.person.id].sort());
    for (const [person, shown] of [
      [dropped.person, true],
      [added.person, true],
      [kept.person, false],
    ] as const) {
      const timeline = await tf['kh.auditor']
        .get(`/audit-events/timeline?recordType=person&recordId=${person.id}&limit=200`)
        .expect(200);
      expect(timeline.body.items.some((e: { action: string }) => e.action === 'request.draft_edited')).toBe(
        shown,
      );
    }

    // The arrest taken off is free for another request at once; the one added is held by this draft.
    const busy = await tf['kh.officer2']
      .post(REPATRIATIONS, {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'AMBER',
        subject: 'Again',
        arrestIds: [added.id],
      })
      .expect(409);
    expect(busy.body.detail).toMatch(/already on another open repatriation request/);
    const other = await repatriationDraft([dropped.id]);

    // Sent, KR reads the arrests the request names, and not the one taken off.
    await step(
      tf['kh.liaison'],
      REPATRIATIONS,
      await step(tf['kh.officer'], REPATRIATIONS, edited, 'submit'),
      'approve',
    );
    expect(arrestsOn(await read(tf['kr.liaison'], REPATRIATIONS, drafted))).toEqual(arrestsOn(edited));
    await tf['kr.liaison'].get(`/arrests/${added.id}`).expect(200);
    await tf['kr.liaison'].get(`/arrests/${dropped.id}`).expect(404);
    // KR received the number in the grounds of an arrest the request names (under AMBER+STRICT: it
    // stays in KR), not the one of the arrest taken off, which KR may ask MY about as its own.
    expect((await asksAbout(tf['kr.officer'], 'KR', 'MY', keptAccount)).status).toBe(409);
    expect((await asksAbout(tf['kr.officer'], 'KR', 'MY', droppedAccount)).status).toBe(201);
    // A draft past `draft` keeps its arrests: the edit is refused as a step its state does not allow.
    const sent = await read(tf['kh.officer'], REPATRIATIONS, drafted);
    const late = await edit(tf['kh.officer'], REPATRIATIONS, sent, { arrestIds: [kept.id] }).expect(409);
    expect(late.body.type).toBe('urn:case-desk:problem:illegal-transition');
    expect(arrestsOn(await read(tf['kh.officer'], REPATRIATIONS, drafted))).toEqual(arrestsOn(edited));
    await tf['kh.officer']
      .post(`${REPATRIATIONS}/${other.id}/withdraw`, { version: other.version })
      .expect(200);
  });

  it('refuses arrests as a create does: bad input 400, an arrest it cannot read as an unknown id, a busy person 409; nothing changes', async () => {
    const [first, busy, malaysian] = [
      await anArrest(tf['kh.officer'], 'KR'),
      await anArrest(tf['kh.officer'], 'KR'),
      await anArrest(tf['kh.officer'], 'MY'),
    ];
    const drafted = await repatriationDraft([first.id]);
    const holding = await repatriationDraft([busy.id]);
    const refused = async (changes: object, status = 400) => {
      const res = await edit(tf['kh.officer'], REPATRIATIONS, drafted, changes).expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return res;
    };
    for (const arrestIds of [
      null,
      'all',
      [],
      [42],
      ['not-a-uuid'],
      [first.id, first.id],
      [`${first.id}\u0000`],
    ])
      expect(fieldsOf(await refused({ arrestIds }))).toEqual([expect.stringMatching(/^arrestIds/)]);
    const many = Array.from(
      { length: 2001 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(fieldsOf(await refused({ arrestIds: many }))).toEqual(['arrestIds']);

    // KR's arrest of a Cambodian, never shared with KH, answers exactly as an id nobody holds.
    const theirs = await anArrest(tf['kr.officer'], 'KH');
    const unknown = await refused({ arrestIds: [first.id, '00000000-0000-4000-8000-00000000a11e'] });
    const unread = await refused({ arrestIds: [first.id, theirs.id] });
    expect(unread.body.errors).toEqual(unknown.body.errors);
    expect(unread.body.errors).toEqual([
      { field: 'arrestIds', message: 'arrestIds names an arrest that does not exist' },
    ]);
    expect(unread.body.detail).toBe(unknown.body.detail);
    // Checked as on a create: the person's nationality, one person once.
    expect((await refused({ arrestIds: [first.id, malaysian.id] })).body.errors).toEqual([
      { field: 'arrestIds[1]', message: 'the person is a national of MY, not of KR' },
    ]);
    // An arrest on another open request of KH's: 409, naming that request as KH reads it.
    const conflict = await refused({ arrestIds: [first.id, busy.id] }, 409);
    expect(conflict.body.detail).toContain(String((holding as { draftId?: string }).draftId));

    const now = await read(tf['kh.officer'], REPATRIATIONS, drafted);
    expect(now.version).toBe(drafted.version);
    expect(arrestsOn(now)).toEqual([first.id]);
    expect(await linkedPersons(drafted.id)).toEqual([first.person.id]);
    expect(await editEvents(drafted.id)).toEqual([]);
    // A save of the same list changes nothing.
    const same = (await edit(tf['kh.officer'], REPATRIATIONS, drafted, { arrestIds: [first.id] }).expect(200))
      .body as View;
    expect(same).toMatchObject({ version: drafted.version, updatedAt: drafted.updatedAt });

    // Another country's draft answers 404 as an unknown id; a liaison of the origin 403.
    await edit(tf['kr.officer'], REPATRIATIONS, drafted, { arrestIds: [first.id] }).expect(404);
    await edit(tf['kh.liaison'], REPATRIATIONS, drafted, { arrestIds: [busy.id] }).expect(403);
    expect((await read(tf['kh.officer'], REPATRIATIONS, drafted)).version).toBe(drafted.version);
  });

  // ---- Blacklist proposals -------------------------------------------------------------------------
  const PROPOSALS = '/blacklist-proposals';
  type Entry = { id: string; personId: string; grounds: string; groundsSummary: string; names: unknown[] };
  const aPerson = (full: string) => ({
    names: [{ full, script: 'latin', kind: 'primary' }],
    nationalities: ['KR'],
  });
  const proposal = async (entries: object[], overrides: object = {}): Promise<View> => {
    const created = (
      await tf['kr.officer']
        .post('/blacklist-entries/batch', {
          frameworkId: tf.cambodiaKoreaFramework,
          banningCountry: 'KH',
          subject: 'Recruiters of the Golden Fortune compound',
          entries,
          ...overrides,
        })
        .expect(201)
    ).body as View;
    return created;
  };
  const entriesOf = (v: View) => v.entries as Entry[];
  /** An entry as an edit's row names it again (by its person). */
  const entryOf = (e: Entry) => ({
    personId: e.personId,
    grounds: e.grounds,
    groundsSummary: e.groundsSummary,
  });
  const entryEvents = async (entryId: string) =>
    (
      await t.dataSource.query(
        `SELECT action, changes FROM audit_event
          WHERE record_type = 'blacklist_entry' AND record_id = $1 AND action LIKE 'blacklist.entry.%' ORDER BY id`,
        [entryId],
      )
    ).map((e: { action: string; changes: Record<string, unknown> }) => ({ action: e.action, ...e.changes }));

  it('a proposal draft takes a new list of entries; sent, the banning country reads exactly those', async () => {
    const [keptAccount, droppedAccount] = ['6631-2026-0001', '6631-2026-0002'];
    const drafted = await proposal(
      [
        { person: aPerson('YOON Taken-off'), grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
        { person: aPerson('PARK Kept'), grounds: 'Driver.', groundsSummary: 'Driver' },
      ],
      { handlingCode: 'AMBER+STRICT' },
    );
    const [off, stays] = entriesOf(drafted);
    // A number written into the grounds of an entry later taken off; another into one that stays.
    const written = (
      await edit(tf['kr.officer'], PROPOSALS, drafted, {
        entries: [
          { ...entryOf(off!), grounds: `Paid through account ${droppedAccount}.` },
          { ...entryOf(stays!), grounds: `Driver; paid through account ${keptAccount}.` },
        ],
      }).expect(200)
    ).body as View;
    expect(entriesOf(written).map((e) => e.id)).toEqual([off!.id, stays!.id]);

    const edited = (
      await edit(tf['kr.officer'], PROPOSALS, written, {
        entries: [
          {
            personId: stays!.personId,
            grounds: `Driver and guard; account ${keptAccount}.`,
            groundsSummary: 'Driver, guard',
          },
          { person: aPerson('LEE Added'), grounds: 'Paymaster.', groundsSummary: 'Paymaster' },
        ],
      }).expect(200)
    ).body as View;
    expect(edited).toMatchObject({ status: 'draft', version: drafted.version + 2 });
    const [kept, added] = entriesOf(edited);
    // The entry whose person stays is the same entry, corrected; the new person is on record.
    expect(kept).toMatchObject({ id: stays!.id, personId: stays!.personId, groundsSummary: 'Driver, guard' });
    expect(added).toMatchObject({
      groundsSummary: 'Paymaster',
      names: [expect.objectContaining({ full: 'LEE Added' })],
    });
    expect(entriesOf(edited)).toHaveLength(2);
    expect(edited.entryCounts).toMatchObject({ proposed: 2 });
    // The entry taken off is gone, for its own route and for the list.
    await tf['kr.officer'].get(`/blacklist-entries/${off!.id}`).expect(404);
    const listed = (await tf['kr.officer'].get(`/blacklist-entries?proposalId=${drafted.id}`).expect(200))
      .body;
    expect(listed.items.map((e: Entry) => e.id).sort()).toEqual([kept!.id, added!.id].sort());

    // The proposal's event names the lists; each entry's own timeline shows what happened to it.
    const [, event] = await editEvents(drafted.id);
    expect(event.details.changed).toEqual(['entries']);
    expect(event.changes.before.entries.map((e: Entry) => e.id)).toEqual([off!.id, stays!.id]);
    expect(event.changes.after.entries.map((e: Entry) => e.id)).toEqual([kept!.id, added!.id]);
    expect(await entryEvents(off!.id)).toEqual([
      expect.objectContaining({ action: 'blacklist.entry.propose' }),
      expect.objectContaining({ action: 'blacklist.entry.draft_edited' }),
      expect.objectContaining({
        action: 'blacklist.entry.draft_removed',
        before: expect.objectContaining({
          personId: off!.personId,
          grounds: `Paid through account ${droppedAccount}.`,
        }),
      }),
    ]);
    expect(await entryEvents(kept!.id)).toEqual([
      expect.objectContaining({ action: 'blacklist.entry.propose' }),
      expect.objectContaining({
        action: 'blacklist.entry.draft_edited',
        before: { grounds: 'Driver.' },
        after: { grounds: `Driver; paid through account ${keptAccount}.` },
      }),
      expect.objectContaining({
        action: 'blacklist.entry.draft_edited',
        before: {
          position: 1,
          grounds: `Driver; paid through account ${keptAccount}.`,
          groundsSummary: 'Driver',
        },
        after: {
          position: 0,
          grounds: `Driver and guard; account ${keptAccount}.`,
          groundsSummary: 'Driver, guard',
        },
      }),
    ]);
    expect((await entryEvents(added!.id)).map((e: { action: string }) => e.action)).toEqual([
      'blacklist.entry.propose',
    ]);
    // KR's auditors read them on the entry's timeline.
    const timeline = (await tf['kr.auditor'].get(`/audit-events?recordId=${off!.id}`).expect(200)).body.items;
    expect(timeline.map((e: { action: string }) => e.action)).toContain('blacklist.entry.draft_removed');

    // Sent, KH reads the two entries as edited, and never the person taken off.
    await step(
      tf['kr.liaison'],
      PROPOSALS,
      await step(tf['kr.officer'], PROPOSALS, edited, 'submit'),
      'approve',
    );
    const inbound = await read(tf['kh.liaison'], PROPOSALS, drafted);
    expect(entriesOf(inbound).map((e) => [e.id, e.groundsSummary])).toEqual([
      [kept!.id, 'Driver, guard'],
      [added!.id, 'Paymaster'],
    ]);
    await tf['kh.liaison'].get(`/persons/${off!.personId}`).expect(404);
    await tf['kh.liaison'].get(`/persons/${added!.personId}`).expect(200);
    // KH received the number the grounds still carry (under AMBER+STRICT: it stays in KH), not the one
    // taken off with its entry, which KH may ask MY about as its own.
    expect((await asksAbout(tf['kh.officer'], 'KH', 'MY', keptAccount)).status).toBe(409);
    expect((await asksAbout(tf['kh.officer'], 'KH', 'MY', droppedAccount)).status).toBe(201);
    const sent = await read(tf['kr.officer'], PROPOSALS, drafted);
    const late = await edit(tf['kr.officer'], PROPOSALS, sent, {
      entries: [{ personId: stays!.personId, grounds: 'x', groundsSummary: 'x' }],
    }).expect(409);
    expect(late.body.type).toBe('urn:case-desk:problem:illegal-transition');
  });

  it('refuses entries as a create does (400 naming the row), an entry with files taken off (409); nothing changes', async () => {
    const drafted = await proposal([
      { person: aPerson('CHOI Filed'), grounds: 'Recruiter.', groundsSummary: 'Recruiter' },
    ]);
    const [filed] = entriesOf(drafted);
    const refused = async (changes: object, status = 400) => {
      const res = await edit(tf['kr.officer'], PROPOSALS, drafted, changes).expect(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return res;
    };
    const row = { personId: filed!.personId, grounds: 'Recruiter.', groundsSummary: 'Recruiter' };
    for (const entries of [null, 'all', [], [null], [42]])
      expect(fieldsOf(await refused({ entries }))).toEqual([expect.stringMatching(/^entries/)]);
    expect(fieldsOf(await refused({ entries: Array.from({ length: 1001 }, () => row) }))).toEqual([
      'entries',
    ]);
    expect(fieldsOf(await refused({ entries: [{ ...row, grounds: 'NUL \u0000 inside' }] }))).toEqual([
      'entries[0].grounds',
    ]);
    expect(fieldsOf(await refused({ entries: [{ ...row, groundsSummary: 7 }] }))).toEqual([
      'entries[0].groundsSummary',
    ]);
    expect(fieldsOf(await refused({ entries: [{ ...row, person: aPerson('BOTH Given') }] }))).toEqual([
      'entries[0].person',
    ]);
    expect(
      fieldsOf(await refused({ entries: [{ ...row, personId: '00000000-0000-4000-8000-00000000a11e' }] })),
    ).toEqual(['entries[0].personId']);
    const khCase = (await tf['kh.officer'].post('/cases', { title: 'KH operation' }).expect(201)).body.id;
    expect(fieldsOf(await refused({ entries: [{ ...row, caseId: khCase }] }))).toEqual(['entries[0].caseId']);
    // A person is one entry of a list: named again (an id in capitals is the same id), the later row is
    // refused, on an edit as on a create.
    const repeated = { ...row, personId: row.personId.toUpperCase(), groundsSummary: 'Again' };
    const twice = await refused({ entries: [row, { ...row, groundsSummary: 'Other' }, repeated] });
    expect(twice.body.errors).toEqual([
      {
        field: 'entries[1].personId',
        message: 'the person is already entries[0]; a list names a person once',
      },
      {
        field: 'entries[2].personId',
        message: 'the person is already entries[0]; a list names a person once',
      },
    ]);
    const created = await tf['kr.officer']
      .post('/blacklist-entries/batch', {
        frameworkId: tf.cambodiaKoreaFramework,
        banningCountry: 'KH',
        subject: 'The same recruiter twice',
        entries: [row, repeated],
      })
      .expect(400);
    expect(fieldsOf(created)).toEqual(['entries[1].personId']);
    // A single `entry`, and the banning country, stay refused by name.
    expect(fieldsOf(await refused({ entry: row }))).toEqual(['entry']);
    expect(fieldsOf(await refused({ banningCountry: 'MY' }))).toEqual(['banningCountry']);

    // An entry with a file is not taken off (the file hangs on it); kept, it keeps the file.
    const files = `/blacklist-entries/${filed!.id}/attachments`;
    await upload(t, tf['kr.officer'], files, Buffer.from('Passport scan'), 'passport.txt').expect(201);
    const withFiles = await refused(
      { entries: [{ person: aPerson('NEW Instead'), grounds: 'Recruiter.', groundsSummary: 'Recruiter' }] },
      409,
    );
    expect(withFiles.body).toMatchObject({
      type: 'urn:case-desk:problem:blacklist-entry-has-files',
      entryIds: [filed!.id],
    });
    // Nothing of the refused edits stayed: not the person it wrote out, not a changed entry.
    expect(await t.dataSource.query(`SELECT 1 FROM person WHERE names::text LIKE '%NEW Instead%'`)).toEqual(
      [],
    );
    const now = await read(tf['kr.officer'], PROPOSALS, drafted);
    expect(now.version).toBe(drafted.version);
    expect(entriesOf(now).map((e) => e.id)).toEqual([filed!.id]);
    expect(await editEvents(drafted.id)).toEqual([]);

    const kept = (
      await edit(tf['kr.officer'], PROPOSALS, drafted, {
        entries: [{ person: aPerson('NEW Beside'), grounds: 'Guard.', groundsSummary: 'Guard' }, row],
      }).expect(200)
    ).body as View;
    expect(entriesOf(kept)[1]!.id).toBe(filed!.id);
    expect((await tf['kr.officer'].get(files).expect(200)).body.items).toHaveLength(1);
    // A save of the same list changes nothing.
    const again = (
      await edit(tf['kr.officer'], PROPOSALS, kept, {
        entries: [
          { personId: entriesOf(kept)[0]!.personId, grounds: 'Guard.', groundsSummary: 'Guard' },
          row,
        ],
      }).expect(200)
    ).body as View;
    expect(again).toMatchObject({ version: kept.version, updatedAt: kept.updatedAt });
    // KH cannot reach KR's draft; a liaison of KR may not edit it.
    await edit(tf['kh.officer'], PROPOSALS, kept, { entries: [row] }).expect(404);
    await edit(tf['kr.liaison'], PROPOSALS, kept, { entries: [row] }).expect(403);
  });

  it('a proposal to several countries: the edit changes every thread, a new person recorded once', async () => {
    const drafted = await proposal(
      [{ person: aPerson('HAN Dispatch'), grounds: 'Recruiter.', groundsSummary: 'Recruiter' }],
      { frameworkId: body, alsoTo: ['MY'] },
    );
    const edited = (
      await edit(tf['kr.officer'], PROPOSALS, drafted, {
        entries: [{ person: aPerson('SEO Dispatch'), grounds: 'Guard.', groundsSummary: 'Guard' }],
      }).expect(200)
    ).body as View;
    const threads = (edited.recipients as Array<{ country: string; requestId: string }>).map(
      (r) => r.requestId,
    );
    expect(threads).toHaveLength(2);
    const persons = new Set<string>();
    for (const id of threads) {
      const thread = await read(tf['kr.officer'], PROPOSALS, { id });
      expect(thread.version).toBe(drafted.version + 1);
      expect(entriesOf(thread).map((e) => e.groundsSummary)).toEqual(['Guard']);
      persons.add(entriesOf(thread)[0]!.personId);
      expect(await editEvents(id)).toHaveLength(1);
    }
    expect(persons.size).toBe(1);
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM person WHERE names::text LIKE '%SEO Dispatch%'`,
      ),
    ).toEqual([{ n: 1 }]);
  });

  // ---- Release requests ----------------------------------------------------------------------------
  const RELEASES = '/release-requests';

  it('a release request draft takes new persons; each is checked as on a create', async () => {
    const [first, second] = [
      await personKhGaveKr(tf, 'AMBER', 'SOK First'),
      await personKhGaveKr(tf, 'AMBER', 'SOK Second'),
    ];
    const strict = await personKhGaveKr(tf, 'AMBER+STRICT', 'SOK Strict');
    const drafted = (
      await tf['kr.officer']
        .post(RELEASES, {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          recipientCountry: 'MY',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: 'May he go to Malaysia?',
          personIds: [first],
        })
        .expect(201)
    ).body as View;

    const edited = (
      await edit(tf['kr.officer'], RELEASES, drafted, { personIds: [second, first] }).expect(200)
    ).body as View;
    expect(edited).toMatchObject({ version: drafted.version + 1, personIds: [second, first] });
    const [event] = await editEvents(drafted.id);
    expect(event.changes).toMatchObject({
      before: { personIds: [first], version: drafted.version },
      after: { personIds: [second, first], version: edited.version },
    });
    // The event names the person put on, so that person's own timeline shows the edit.
    expect(event.details.personIds).toEqual([second]);

    const refused = async (changes: object) =>
      fieldsOf(await edit(tf['kr.officer'], RELEASES, edited, changes).expect(400));
    expect(await refused({ personIds: [] })).toEqual(['personIds']);
    expect(await refused({ personIds: null })).toEqual(['personIds']);
    expect(await refused({ personIds: ['not-a-uuid'] })).toEqual(['personIds']);
    expect(await refused({ personIds: ['00000000-0000-4000-8000-00000000a11e'] })).toEqual(['personIds']);
    // Received under AMBER+STRICT: never passed on, so never asked about (as on a create).
    expect(await refused({ personIds: [first, strict] })).toEqual(['personIds[1]']);
    // KR's own person is not KH's to consent to.
    const own = (
      await tf['kr.officer']
        .post('/persons', { names: [{ full: 'KR Own', script: 'latin', kind: 'primary' }] })
        .expect(201)
    ).body.id;
    expect(await refused({ personIds: [own] })).toEqual(['personIds[0]']);
    expect(await refused({ identifiers: { phones: ['+85599000111'] } })).toEqual(['identifiers.phones[0]']);
    expect(await refused({ identifiers: { phones: ['not a phone'] } })).toEqual(['identifiers.phones']);
    expect(await refused({ recipientCountry: 'TH' })).toEqual(['recipientCountry']);
    expect(await read(tf['kr.officer'], RELEASES, drafted)).toMatchObject({
      version: edited.version,
      personIds: [second, first],
    });

    // Sent, KH reads what the draft asks as edited; the draft's contents are no longer edited.
    await step(
      tf['kr.liaison'],
      RELEASES,
      await step(tf['kr.officer'], RELEASES, edited, 'submit'),
      'approve',
    );
    expect((await read(tf['kh.liaison'], RELEASES, drafted)).personIds).toEqual([second, first]);
    const sent = await read(tf['kr.officer'], RELEASES, drafted);
    await edit(tf['kr.officer'], RELEASES, sent, { personIds: [first] }).expect(409);
    await edit(tf['kh.officer'], RELEASES, sent, { personIds: [first] }).expect(409);
  });
});
