import type { SignedIn } from '../support/http';
import { aDraft } from '../support/scenario';
import type { TestApp } from '../support/test-app';
import { multilateralWorld } from './r21-support';

/**
 * Probe r21: KR asks KH (within the multilateral body) under RED about a phone. KH answers, echoing KR's
 * phone in its findings beside a number of its own. MY, another member, then runs a hit/no-hit check on
 * KH: KH's own number hits (its answer to give), KR's phone — which KH holds only because KR sent it
 * under RED — must not: the hit would tell MY what KR asked KH. Neither may the follow-up of the hit
 * carry more than the hit. (Had KR asked MY too, MY would hold the phone for its RED recipients only,
 * and its check of it is refused before anything is asked: probe r41.)
 */
describe('A hit/no-hit check does not answer from a RED number echoed in findings', () => {
  let t: TestApp;
  let as: Record<string, SignedIn>;
  let body: string;
  beforeAll(async () => {
    ({ t, as, body } = await multilateralWorld(['kr.officer', 'kr.liaison', 'kh.liaison', 'my.officer']));
  });
  afterAll(() => t?.close());

  const base = '/information-requests';
  const act = (who: string, id: string, action: string, version: number, extra: object = {}) =>
    as[who]!.post(`${base}/${id}/${action}`, { version, ...extra }).expect(200);
  const asked = '+85512777001';
  const khOwn = '+85512777002';

  it('KH’s own number hits for MY, the RED number KR gave KH does not', async () => {
    const draft = (
      await as['kr.officer']!.post(
        base,
        aDraft(body, {
          targetCountry: 'KH',
          handlingCode: 'RED',
          subject: 'Subscriber wanted',
          questions: ['Who holds this phone?'],
          identifiers: { phones: [asked] },
        }),
      ).expect(201)
    ).body;
    const submitted = (await act('kr.officer', draft.id, 'submit', draft.version)).body;
    const sent = (await act('kr.liaison', draft.id, 'approve', submitted.version)).body;
    const kh = sent.id;
    let view = (await as['kh.liaison']!.get(`${base}/${kh}`).expect(200)).body;
    view = (await act('kh.liaison', kh, 'accept', view.version)).body;
    await act('kh.liaison', kh, 'fulfil', view.version, {
      findings: { summary: 'Both phones belong to one desk.', identifiers: { phones: [asked, khOwn] } },
    });

    const check = (
      await as['my.officer']!.post('/identifier-checks', {
        partners: ['KH'],
        identifiers: [asked, khOwn].map((value) => ({ kind: 'phone', value })),
      }).expect(201)
    ).body;
    // KH's own number hits; KR's RED number, echoed in KH's findings, does not.
    expect(
      check.results.map((r: { answers: Array<{ country: string; answer: string }> }) => r.answers),
    ).toEqual([[{ country: 'KH', answer: 'no_hit' }], [{ country: 'KH', answer: 'hit' }]]);
    // A follow-up of the non-hit is refused as for any non-hit.
    const refused = await as['my.officer']!.post(`/identifier-checks/${check.id}/follow-ups`, {
      partnerCountry: 'KH',
      position: 0,
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(refused.body)).not.toContain('777001');
  });
});
