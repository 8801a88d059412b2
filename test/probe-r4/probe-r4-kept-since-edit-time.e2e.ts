import { signIn } from '../support/http';
import { khCaseSharedWithKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Probe (round 4): "When a framework ends, what was given stays given and nothing more goes" — yet the
 * owner's first edit after the end reaches the former partner as a fact and a time. KH shares a person
 * with KR (case share); KH then leaves the only framework it shares with KR. KR keeps reading the person
 * as it stood (the live person, unchanged, `keptSince: null`). When KH later edits the person — its own
 * business, after the end — the copy is taken for KR and KR's `GET /persons/:id` now shows `keptSince`
 * set to the moment of KH's edit. KR thereby learns that KH is still working on the person, and exactly
 * when (polling gives the minute). The README withholds that very time from onward recipients ("the time
 * of the owner's edit that took the copy would tell it the owner's timeline", `toPersonView`), but shows
 * it to the direct receiver, for whom it is just as much the owner's timeline after the end.
 * Fix: src/persons/dto/person-view.dto.ts `toPersonView` (and src/persons/kept-copies.store.ts): show a
 * former partner the end of its cooperation with the owner (the framework's `leftOn`), the same before
 * and after the copy is taken, or no time at all — never the time the copy was taken.
 */
describe('Probe r4: keptSince tells the former partner when the owner edited the person after the end', () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let afterEnd: Record<string, unknown>;
  let afterOwnerEdit: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    ({ personId } = await khCaseSharedWithKr(
      tf,
      {
        names: [{ full: 'SOK Keptsince', script: 'latin', kind: 'primary' }],
        birthDate: '1988',
        nationalities: ['KH'],
        notes: 'Driver for the compound',
      },
      'Drivers',
      'CLEAR',
    ));

    // KH leaves the Cambodia–Korea JTF, its only framework with KR.
    const [{ id: jtf }] = await t.dataSource.query(
      `SELECT id FROM framework WHERE name = 'Cambodia–Korea Joint Task Force'`,
    );
    const admin = await signIn(t.server, 'platform.admin');
    await admin
      .put(`/frameworks/${jtf}/members/KH`, {
        joinedOn: '2025-11-01',
        leftOn: new Date().toISOString().slice(0, 10),
      })
      .expect(200);
    afterEnd = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;

    // Later, KH (the owner) edits its person: a change that by the rule never reaches KR.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const owned = (await tf['kh.officer'].get(`/persons/${personId}`).expect(200)).body;
    await tf['kh.officer']
      .patch(`/persons/${personId}`, {
        version: owned.version,
        names: owned.names,
        birthDate: owned.birthDate,
        nationalities: owned.nationalities,
        notes: 'Driver for the compound; now informant',
      })
      .expect(200);
    afterOwnerEdit = (await tf['kr.officer'].get(`/persons/${personId}`).expect(200)).body;
  }, 120_000);
  afterAll(() => t?.close());

  it('KR keeps reading the person as it stood (the edit does not reach it)', () => {
    expect(afterOwnerEdit.notes).toBe('Driver for the compound');
    expect(afterOwnerEdit.updatedAt).toBe(afterEnd.updatedAt);
  });

  it('and nothing KR reads changes because KH edited after the end (no keptSince stamped with the edit)', () => {
    expect({ keptSince: afterOwnerEdit.keptSince }).toEqual({ keptSince: afterEnd.keptSince });
    expect(afterOwnerEdit).toEqual(afterEnd);
  });
});
