import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { khEditsPerson, krArrestsKhPerson } from '../sharing/support';

/**
 * Probe (round 6): a country's own arrest of another country's person shows that person's LIVE names,
 * date of birth, sex and nationalities — also after the country stopped reading the person, so every
 * later edit by the owner shows through the arrest. KH shares a case with its person P with KR; KR
 * arrests P (`POST /arrests { personId }`); KH revokes the share (KR: 404 on `GET /persons/P`) and
 * edits P (new name "SOK Renamed", birth date 1988-02-03, sex). KR's `GET /arrests/:id` and
 * `GET /arrests` then show the new name and birth date under `person`. `personScope` says "the
 * arresting country's own arrest of another country's person shows it nothing more: it read the person
 * already to arrest it, and loses it as any reader does" — the arrest view does not: it reads
 * `p.names`, `p.birth_date`, … of the live person (a kept copy only after a framework's end).
 * Fix: src/arrests/arrest-view.ts `ARREST_SELECT`/`toArrestView` and src/arrests/arrests.service.ts
 * (where `kept` is looked up): for an arrest of a person the reader's country neither owns nor reads
 * (`personScope`), show the person as it stood when the country last read it (a copy taken when it
 * stopped reading, as `person_kept_copy` does at a framework's end) or withhold the identity; never the
 * owner's later edits.
 */
describe("Probe r6: a country's own arrest shows the live person it no longer reads", () => {
  let t: TestApp;
  let tf: TaskForce;
  let personId: string;
  let arrestId: string;
  let one: { person: { names: Array<{ full: string }>; birthDate: string | null } };
  let listed: { person: { names: Array<{ full: string }>; birthDate: string | null } };

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    const arrest = await krArrestsKhPerson(tf, {
      names: [{ full: 'SOK Arrested', script: 'latin', kind: 'primary' }],
      nationalities: ['KH'],
      birthDate: '1990',
    });
    personId = arrest.personId;
    arrestId = arrest.arrestId;
    await tf['kh.liaison']
      .delete(`/cases/${arrest.caseId}/shares/KR`)
      .expect((res) => expect(res.status).toBeLessThan(300));
    await tf['kr.officer'].get(`/persons/${personId}`).expect(404);
    await khEditsPerson(tf, personId, {
      names: [{ full: 'SOK Renamed', script: 'latin', kind: 'primary' }],
      birthDate: '1988-02-03',
    });

    one = (await tf['kr.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
    listed = (await tf['kr.officer'].get('/arrests').expect(200)).body.items.find(
      (a: { id: string }) => a.id === arrestId,
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('KR reads its arrest', () => {
    expect(listed).toBeDefined();
  });

  it('the arrest does not show the name KH gave the person after KR stopped reading it', () => {
    expect(one.person.names.map((n) => n.full)).not.toContain('SOK Renamed');
    expect(listed.person.names.map((n) => n.full)).not.toContain('SOK Renamed');
  });

  it('nor the birth date KH recorded after KR stopped reading it', () => {
    expect(one.person.birthDate).not.toBe('1988-02-03');
    expect(listed.person.birthDate).not.toBe('1988-02-03');
  });
});
