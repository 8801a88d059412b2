import { randomUUID } from 'node:crypto';
import type { SignedIn } from '../support/http';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

interface CaseBody {
  id: string;
  version: number | null;
  updatedAt: string;
  persons: Array<{ personId: string; role: string }>;
}

interface EventView {
  action: string;
  ownerCountry: string | null;
  changes: { before?: unknown; after?: unknown } | null;
  details: Record<string, unknown> | null;
}

/**
 * `DELETE /cases/:id/persons/:personId`: a person linked by mistake (the wrong "KIM Minjun") is taken
 * off the case. The owner's officers may, as they may link; a country the case is shared with loses the
 * person through it exactly as a revoked share (`DELETE /cases/:id/shares/:countryCode`) loses it —
 * README "Editing is a release" — and keeps reading it live where another link still carries it.
 * On the whole demo (KR, KH and MY share the multilateral body): KH passes KR's person on to MY.
 */
describe('Taking a person off a case', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp({}, {}, 'demo');
    tf = await taskForce(t);
  }, 120_000);
  afterAll(() => t?.close());

  let serial = 0;
  const name = (full: string) => [{ full, script: 'latin', kind: 'primary' }];
  /** A person of `who`'s country, named uniquely, with a phone no other test uses. */
  const aPerson = async (who: SignedIn, full: string) => {
    serial += 1;
    const phone = `+8551277${String(serial).padStart(4, '0')}`;
    const body = (
      await who
        .post('/persons', { names: name(`${full} ${serial}`), nationalities: ['KR'], phones: [phone] })
        .expect(201)
    ).body as { id: string };
    return { id: body.id, phone };
  };
  const aCase = async (who: SignedIn, title: string, personIds: string[]) =>
    (
      await who
        .post('/cases', { title, persons: personIds.map((personId) => ({ personId, role: 'suspect' })) })
        .expect(201)
    ).body as CaseBody;
  const share = (caseId: string, liaison: SignedIn, countryCode: string, handlingCode = 'CLEAR') =>
    liaison.post(`/cases/${caseId}/shares`, { countryCode, handlingCode }).expect(201);
  const unlink = (who: SignedIn, caseId: string, personId: string) =>
    who.delete(`/cases/${caseId}/persons/${personId}`);
  const nameRead = async (who: SignedIn, personId: string) =>
    (await who.get(`/persons/${personId}`).expect(200)).body.names[0].full as string;
  const rename = async (owner: SignedIn, personId: string, full: string) => {
    const current = (await owner.get(`/persons/${personId}`).expect(200)).body;
    await owner
      .patch(`/persons/${personId}`, {
        version: current.version,
        names: name(full),
        nationalities: current.nationalities,
        phones: current.phones,
      })
      .expect(200);
  };
  const unlinkEvents = async (auditor: SignedIn, caseId: string) =>
    (await auditor.get(`/audit-events?recordId=${caseId}&action=case.persons.unlink&limit=200`).expect(200))
      .body.items as EventView[];
  const keptCopyEvents = async (auditor: SignedIn, personId: string) =>
    (
      (
        await auditor
          .get(`/audit-events/timeline?recordType=person&recordId=${personId}&limit=200`)
          .expect(200)
      ).body.items as EventView[]
    )
      .filter((e) => e.action === 'person.kept_copy')
      .map((e) => e.details);
  const seenIn = async (who: SignedIn, phone: string) =>
    (
      (await who.get(`/identifiers/seen-in?kind=phone&value=${encodeURIComponent(phone)}`).expect(200)).body
        .items as Array<{ recordId: string }>
    ).map((i) => i.recordId);
  const withoutRequestId = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;

  it('the owner’s officer takes a person off: the case view drops it, one audit event, the case’s version and updatedAt kept', async () => {
    const wrong = await aPerson(tf['kr.officer'], 'KIM Minjun');
    const right = await aPerson(tf['kr.officer'], 'KIM Min-jun');
    const created = await aCase(tf['kr.officer'], 'Voice phishing ring', [wrong.id, right.id]);
    const before = (await tf['kr.officer'].get(`/cases/${created.id}`).expect(200)).body as CaseBody;

    const answer = await unlink(tf['kr.officer'], created.id, wrong.id).expect(200);
    expect(answer.body.persons.map((p: { personId: string }) => p.personId)).toEqual([right.id]);
    const after = (await tf['kr.officer'].get(`/cases/${created.id}`).expect(200)).body as CaseBody;
    expect(after.persons).toEqual([expect.objectContaining({ personId: right.id, role: 'suspect' })]);
    // As a link: the case itself (its fields, version, updatedAt) is not edited.
    expect({ version: after.version, updatedAt: after.updatedAt }).toEqual({
      version: before.version,
      updatedAt: before.updatedAt,
    });
    expect(await unlinkEvents(tf['kr.auditor'], created.id)).toEqual([
      expect.objectContaining({
        action: 'case.persons.unlink',
        ownerCountry: 'KR',
        changes: expect.objectContaining({ before: { personId: wrong.id, role: 'suspect' } }),
      }),
    ]);

    // Taken off already: not linked, 404, and nothing more is audited.
    const again = await unlink(tf['kr.officer'], created.id, wrong.id).expect(404);
    expect(again.body.type).toBe('urn:case-desk:problem:not-found');
    expect(await unlinkEvents(tf['kr.auditor'], created.id)).toHaveLength(1);
    // The person itself stays the owner's, and may be linked again.
    await tf['kr.officer'].get(`/persons/${wrong.id}`).expect(200);
    await tf['kr.officer']
      .post(`/cases/${created.id}/persons`, { persons: [{ personId: wrong.id, role: 'witness' }] })
      .expect(201);
  });

  it('refused, changing nothing: another country’s case (404 as an unknown id), the partner reading it (403), a liaison (403), a person not linked (404), bad ids (400)', async () => {
    const person = await aPerson(tf['kr.officer'], 'KIM Refused');
    const kase = await aCase(tf['kr.officer'], 'Refusals', [person.id]);
    await share(kase.id, tf['kr.liaison'], 'KH');
    const state = async () => ({
      kr: (await tf['kr.officer'].get(`/cases/${kase.id}`).expect(200)).body.persons,
      kh: (await tf['kh.officer'].get(`/cases/${kase.id}`).expect(200)).body.persons,
      rows: await t.dataSource.query(`SELECT person_id, role FROM case_person WHERE case_id = $1`, [kase.id]),
    });
    const before = await state();

    // MY, never shared the case, learns nothing: the same answer as for a case that does not exist.
    const mine = await unlink(tf['my.officer'], kase.id, person.id).expect(404);
    const unknown = await unlink(tf['my.officer'], randomUUID(), person.id).expect(404);
    expect(withoutRequestId(mine.body)).toEqual(withoutRequestId(unknown.body));
    expect(mine.body.detail).toBe('The case does not exist.');
    // KH reads the case (shared with it) and may not change it; a liaison of KR does not link either.
    await unlink(tf['kh.officer'], kase.id, person.id).expect(403);
    await unlink(tf['kr.liaison'], kase.id, person.id).expect(403);
    // A person the case does not link (a real one, or any id).
    const other = await aPerson(tf['kr.officer'], 'KIM Elsewhere');
    for (const id of [other.id, randomUUID()]) {
      const answer = await unlink(tf['kr.officer'], kase.id, id).expect(404);
      expect(answer.body.type).toBe('urn:case-desk:problem:not-found');
    }
    const badPerson = await unlink(tf['kr.officer'], kase.id, 'not-a-uuid').expect(400);
    expect(badPerson.body.errors).toEqual([expect.objectContaining({ field: 'personId' })]);
    const badCase = await unlink(tf['kr.officer'], 'not-a-uuid', person.id).expect(400);
    expect(badCase.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);

    expect(await state()).toEqual(before);
    expect(await unlinkEvents(tf['kr.auditor'], kase.id)).toEqual([]);
    // The owner's officer still may.
    await unlink(tf['kr.officer'], kase.id, person.id).expect(200);
  });

  it('a partner that read the person only through the case loses it as a revoked share loses it', async () => {
    // Side by side: KH loses A by a revoked share, B by the unlink; each also sits in a KH case of KH's.
    const run = async (end: (caseId: string, personId: string) => Promise<unknown>) => {
      const p = await aPerson(tf['kr.officer'], 'PARK Partner');
      const bystander = await aPerson(tf['kr.officer'], 'PARK Bystander');
      const kase = await aCase(tf['kr.officer'], 'Shared with KH', [p.id, bystander.id]);
      await share(kase.id, tf['kr.liaison'], 'KH');
      const bare = await aPerson(tf['kr.officer'], 'PARK Bare');
      const bareCase = await aCase(tf['kr.officer'], 'Shared with KH, nothing kept', [bare.id]);
      await share(bareCase.id, tf['kr.liaison'], 'KH');
      await aCase(tf['kh.officer'], 'KH own case', [p.id]);
      const firstName = await nameRead(tf['kh.officer'], p.id);
      expect(await seenIn(tf['kh.officer'], bare.phone)).toEqual([bare.id]);

      await end(kase.id, p.id);
      await end(bareCase.id, bare.id);
      const outcome = {
        // No other link: gone for KH, its seen-in too.
        bare: (await tf['kh.officer'].get(`/persons/${bare.id}`)).status,
        bareSeenIn: await seenIn(tf['kh.officer'], bare.phone),
        // In KH's own case: read live until KR's next change, then as KH received it.
        liveUntilEdit: (await nameRead(tf['kh.officer'], p.id)) === firstName,
        keptAfterEdit: false,
        keptCopies: [] as unknown[],
      };
      await rename(tf['kr.officer'], p.id, 'PARK Corrected');
      expect(await nameRead(tf['kr.officer'], p.id)).toBe('PARK Corrected');
      outcome.keptAfterEdit = (await nameRead(tf['kh.officer'], p.id)) === firstName;
      outcome.keptCopies = await keptCopyEvents(tf['kr.auditor'], p.id);
      return { outcome, kase, p, bystander };
    };
    const revoked = await run((caseId) => tf['kr.liaison'].delete(`/cases/${caseId}/shares/KH`).expect(200));
    const unlinked = await run((caseId, personId) => unlink(tf['kr.officer'], caseId, personId).expect(200));
    expect(revoked.outcome).toEqual({
      bare: 404,
      bareSeenIn: [],
      liveUntilEdit: true,
      keptAfterEdit: true,
      keptCopies: [expect.objectContaining({ keptFor: ['KH'], liveAgainFor: [] })],
    });
    expect(unlinked.outcome).toEqual(revoked.outcome);

    // The share itself stands: KH reads the case, without that person, and the other person live.
    const { kase, p, bystander } = unlinked;
    const asKh = (await tf['kh.officer'].get(`/cases/${kase.id}`).expect(200)).body as CaseBody;
    expect(asKh.persons.map((x) => x.personId)).toEqual([bystander.id]);
    await rename(tf['kr.officer'], bystander.id, 'PARK Bystander Renamed');
    expect(await nameRead(tf['kh.officer'], bystander.id)).toBe('PARK Bystander Renamed');

    // Linked into the shared case again, as a new share would: KH reads the live person again.
    await tf['kr.officer']
      .post(`/cases/${kase.id}/persons`, { persons: [{ personId: p.id, role: 'suspect' }] })
      .expect(201);
    expect(await nameRead(tf['kh.officer'], p.id)).toBe('PARK Corrected');
    expect(await keptCopyEvents(tf['kr.auditor'], p.id)).toEqual([
      expect.objectContaining({ keptFor: ['KH'], liveAgainFor: [] }),
      expect.objectContaining({ keptFor: [], liveAgainFor: ['KH'] }),
    ]);
  });

  it('a partner with another link to the person keeps reading it live', async () => {
    const p = await aPerson(tf['kr.officer'], 'PARK Twice');
    const first = await aCase(tf['kr.officer'], 'First shared case', [p.id]);
    const second = await aCase(tf['kr.officer'], 'Second shared case', [p.id]);
    await share(first.id, tf['kr.liaison'], 'KH');
    await share(second.id, tf['kr.liaison'], 'KH');

    await unlink(tf['kr.officer'], first.id, p.id).expect(200);
    expect((await tf['kh.officer'].get(`/cases/${first.id}`).expect(200)).body.persons).toEqual([]);
    await rename(tf['kr.officer'], p.id, 'PARK Twice Corrected');
    // Still given by the second case: the owner's edit reaches KH, and no copy is kept.
    expect(await nameRead(tf['kh.officer'], p.id)).toBe('PARK Twice Corrected');
    expect(await seenIn(tf['kh.officer'], p.phone)).toEqual([p.id]);
    expect(await keptCopyEvents(tf['kr.auditor'], p.id)).toEqual([]);
  });

  it('KH takes KR’s person off its own case shared with MY: MY loses it as if KH had revoked its share, and KR is told nothing', async () => {
    const p = await aPerson(tf['kr.officer'], 'PARK Onward');
    const krCase = await aCase(tf['kr.officer'], 'KR case, shared with KH', [p.id]);
    await share(krCase.id, tf['kr.liaison'], 'KH');
    const khCase = await aCase(tf['kh.officer'], 'KH case, shared with MY', [p.id]);
    await share(khCase.id, tf['kh.liaison'], 'MY', 'AMBER');
    await tf['my.officer'].get(`/persons/${p.id}`).expect(200);

    await unlink(tf['kh.officer'], khCase.id, p.id).expect(200);
    await tf['my.officer'].get(`/persons/${p.id}`).expect(404);
    expect((await tf['my.officer'].get(`/cases/${khCase.id}`).expect(200)).body.persons).toEqual([]);
    expect(await seenIn(tf['my.officer'], p.phone)).toEqual([]);
    // KH still reads it (KR's case), and its own auditors read the unlink; KR's do not.
    await tf['kh.officer'].get(`/persons/${p.id}`).expect(200);
    expect(await unlinkEvents(tf['kh.auditor'], khCase.id)).toHaveLength(1);
    const krSees = (
      await tf['kr.auditor'].get('/audit-events?action=case.persons.unlink&limit=200').expect(200)
    ).body.items as EventView[];
    expect(krSees.filter((e) => e.ownerCountry !== 'KR')).toEqual([]);
  });

  it('a case that no longer holds the person no longer correlates with what arrives carrying its phone', async () => {
    const p = await aPerson(tf['kr.officer'], 'PARK Correlated');
    const takenOff = await aCase(tf['kr.officer'], 'Taken off', [p.id]);
    const stillHolds = await aCase(tf['kr.officer'], 'Still holds', [p.id]);
    await unlink(tf['kr.officer'], takenOff.id, p.id).expect(200);

    // KH shares a case whose person carries the same phone: only the case still holding it is told.
    const khPerson = (
      await tf['kh.officer']
        .post('/persons', { names: name(`SOK Caller ${serial}`), phones: [p.phone] })
        .expect(201)
    ).body.id as string;
    const khCase = await aCase(tf['kh.officer'], 'KH case carrying the phone', [khPerson]);
    await share(khCase.id, tf['kh.liaison'], 'KR');
    const alerts = (await tf['kr.officer'].get('/notifications?limit=200').expect(200)).body.items as Array<{
      eventType: string;
      recordId: string;
      payload: { caseId: string };
    }>;
    expect(
      alerts
        .filter((a) => a.eventType === 'identifier.correlation' && a.recordId === khCase.id)
        .map((a) => a.payload.caseId),
    ).toEqual([stillHolds.id]);
  });
});
