import { randomUUID } from 'node:crypto';
import { send } from '../../sharing/support';
import type { SignedIn } from '../../support/http';
import { taskForce, TaskForce } from '../../support/scenario';
import { createTestApp, TestApp } from '../../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SeenIn {
  items: Array<{ recordType: string; recordId: string }>;
}

/**
 * Probe: `GET /identifiers/seen-in` lists the records carrying an identifier "most recently indexed
 * first". The index row of another country's record was written when its owner put the identifier in
 * it — before the record ever reached the reader — so an order by that time told a partner in which
 * order the owner recorded (or edited) records it shared later, in a different order. For the reader,
 * a record carries the identifier from when the record reached it (`personSeenSince`, the sending of a
 * request, the share of an arrest); the owner keeps its own order.
 */
describe('Probe: "seen in" orders another country\'s records by when they reached the reader', () => {
  let t: TestApp;
  let tf: TaskForce;
  let serial = 0;
  const tag = randomUUID().slice(0, 6).replace(/[0-9]/g, 'x');

  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const freshPhone = () => `+8210555${String(++serial).padStart(4, '0')}`;
  const seenIn = async (who: SignedIn, query: string) =>
    ((await who.get(`/identifiers/seen-in?${query}`).expect(200)).body as SeenIn).items.map(
      (i) => i.recordId,
    );
  const krPerson = async (name: string, phone: string) =>
    (
      await tf['kr.officer']
        .post('/persons', {
          names: [{ full: `${tag} ${name}`, script: 'latin', kind: 'primary' }],
          phones: [phone],
        })
        .expect(201)
    ).body as { id: string };
  const shareWithMy = async (personId: string) => {
    const kase = (
      await tf['kr.officer']
        .post('/cases', { title: `${tag} case`, persons: [{ personId, role: 'suspect' }] })
        .expect(201)
    ).body as { id: string };
    await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
  };
  const sendToKh = async (personId: string) => {
    const draft = (
      await tf['kr.officer']
        .post('/information-requests', {
          frameworkId: tf.cambodiaKoreaFramework,
          targetCountry: 'KH',
          priority: 'urgent',
          handlingCode: 'AMBER',
          subject: `${tag} about a suspect`,
          questions: ['Is he known to you?'],
          personIds: [personId],
        })
        .expect(201)
    ).body as { id: string; version: number };
    await send(tf['kr.officer'], tf['kr.liaison'], '/information-requests', draft);
  };
  const khArrestAt = async (place: string) =>
    (
      await tf['kh.officer']
        .post('/arrests', {
          arrestedAt: '2026-11-20T02:30:00Z',
          place,
          grounds: 'Online fraud',
          arrestingAgency: 'Cambodian National Police',
          nationality: 'KR',
          person: { names: [{ full: `${tag} PARK ${++serial}`, script: 'latin', kind: 'primary' }] },
        })
        .expect(201)
    ).body as { id: string };

  it('persons: a partner lists them by when each reached it, not by when the owner recorded them', async () => {
    const phone = freshPhone();
    // KR records LEE first, PARK second; both carry the same number.
    const lee = await krPerson('LEE', phone);
    await pause(20);
    const park = await krPerson('PARK', phone);
    await pause(20);
    // PARK reaches MY (a case share) and KH (a request) first, LEE last.
    await shareWithMy(park.id);
    await sendToKh(park.id);
    await pause(20);
    await shareWithMy(lee.id);
    await sendToKh(lee.id);

    const query = `kind=phone&value=${encodeURIComponent(phone)}`;
    // The owner: most recently indexed first, as ever.
    expect(await seenIn(tf['kr.officer'], query)).toEqual([park.id, lee.id]);
    // A partner: LEE reached it last, so LEE first — whatever order KR recorded them in.
    for (const who of [tf['my.officer'], tf['kh.officer'], tf['kh.liaison']])
      expect(await seenIn(who, query)).toEqual([lee.id, park.id]);
  });

  it('arrests: a country they were shared with lists them by the share, not by when they were recorded', async () => {
    const place = `${tag} Golden Sands compound`;
    const first = await khArrestAt(place);
    await pause(20);
    const second = await khArrestAt(place);
    await pause(20);
    await tf['kh.liaison'].post(`/arrests/${second.id}/shares`, { countryCode: 'KR' }).expect(200);
    await pause(20);
    await tf['kh.liaison'].post(`/arrests/${first.id}/shares`, { countryCode: 'KR' }).expect(200);

    const query = `kind=compound&value=${encodeURIComponent(place)}`;
    expect(await seenIn(tf['kh.officer'], query)).toEqual([second.id, first.id]);
    expect(await seenIn(tf['kr.officer'], query)).toEqual([first.id, second.id]);
  });
});
