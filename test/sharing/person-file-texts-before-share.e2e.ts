import { upload } from '../attachments/attachment-support';
import { RELEASE_REFUSED, personKhGaveKr } from './support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * A person's own files are listed, with their names and withdrawal reasons, to a country that reads the
 * person through a shared case or arrest. KH gave KR a phone under AMBER; KR writes it into a file name,
 * or a withdrawal reason, of a person of its own, links the person into a case or arrests them, and
 * shares the case or the arrest with MY. Each share is weighed on those texts, as on the case's own.
 */
describe('A person’s file names and withdrawal reasons written before a share are weighed at the share', () => {
  let t: TestApp;
  let tf: TaskForce;
  const shares: Record<string, { status: number; type?: string }> = {};
  let myListsInnocent: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
    const kr = tf['kr.officer'];
    const personWithFile = async (name: string, filename: string, withdrawal?: string) => {
      const person = (
        await kr.post('/persons', { names: [{ full: name, script: 'latin', kind: 'primary' }] }).expect(201)
      ).body.id as string;
      const file = (
        await upload(
          t,
          kr,
          `/persons/${person}/attachments`,
          Buffer.from(`notes of ${name}`),
          filename,
        ).expect(201)
      ).body;
      if (withdrawal) await kr.post(`/attachments/${file.id}/withdraw`, { reason: withdrawal }).expect(200);
      return person;
    };
    const shareCaseOf = async (person: string) => {
      const id = (
        await kr
          .post('/cases', { title: 'Case', persons: [{ personId: person, role: 'suspect' }] })
          .expect(201)
      ).body.id as string;
      const res = await tf['kr.liaison'].post(`/cases/${id}/shares`, { countryCode: 'MY' });
      return { status: res.status, type: res.body.type };
    };
    const shareArrestOf = async (person: string) => {
      const id = (
        await kr
          .post('/arrests', {
            arrestedAt: '2026-03-01T02:30:00Z',
            place: 'Busan',
            grounds: 'Online fraud',
            arrestingAgency: 'KNP',
            nationality: 'KR',
            personId: person,
          })
          .expect(201)
      ).body.id as string;
      const res = await tf['kr.liaison'].post(`/arrests/${id}/shares`, { countryCode: 'MY' });
      return { status: res.status, type: res.body.type };
    };

    shares.caseNamed = await shareCaseOf(await personWithFile('HAN Named', 'handler +85512000111.txt'));
    shares.caseWithdrawn = await shareCaseOf(
      await personWithFile('HAN Withdrawn', 'notes.txt', 'Wrong handset, the right one is +85512000111'),
    );
    shares.arrestNamed = await shareArrestOf(await personWithFile('LEE Named', 'handler +85512000111.txt'));
    shares.arrestWithdrawn = await shareArrestOf(
      await personWithFile('LEE Withdrawn', 'notes.txt', 'Wrong handset, the right one is +85512000111'),
    );
    // The path exists: a file of the person's with nothing received in it is listed to MY by name.
    const innocent = await personWithFile('PARK Innocent', 'interview notes.txt');
    shares.caseInnocent = await shareCaseOf(innocent);
    const listed = await tf['my.officer'].get(`/persons/${innocent}/attachments`);
    myListsInnocent =
      listed.status === 200 ? listed.body.items.map((f: { filename: string }) => f.filename) : [];
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses each share that would carry the number (409 release-refused)', () => {
    expect(shares).toEqual({
      caseNamed: { status: 409, type: RELEASE_REFUSED },
      caseWithdrawn: { status: 409, type: RELEASE_REFUSED },
      arrestNamed: { status: 409, type: RELEASE_REFUSED },
      arrestWithdrawn: { status: 409, type: RELEASE_REFUSED },
      caseInnocent: { status: 201, type: undefined },
    });
  });

  it("lists a person's file by name to a country the person reached by a case share", () => {
    expect(myListsInnocent).toEqual(['interview notes.txt']);
  });
});
