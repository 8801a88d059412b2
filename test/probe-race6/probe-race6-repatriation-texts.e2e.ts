import { personKhGaveKr } from '../sharing/support';
import { givenIn } from '../support/given';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { broken, krArrest, myReadsNumber, NUMBER, said, together } from './race6-support';

type Answer = { status: number; body: { type?: string } };

/**
 * Probe race 6: KR repatriates a Cambodian it arrested to KH (accepted by KH) and writes the plan, a
 * handover or a drop note carrying the number KH gave KR under AMBER — KH's own number, going back to
 * KH on the request — while KR's liaison shares the arrest with MY (`POST /arrests/:id/shares`). The
 * request's texts are the request's (only KR and KH read them); MY reads the arrest from the share on,
 * and never the number: not in the arrest, its custody history or files, nor through the request.
 */
describe('Repatriation texts carrying a number KH gave KR, written as the arrest is shared with MY', () => {
  let t: TestApp;
  let tf: TaskForce;
  const ROUNDS = 8;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER');
  }, 120_000);
  afterAll(() => t?.close());

  const accepted = async (name: string) => {
    const arrest = await krArrest(tf, { name }, 'KH');
    const request = await givenIn(tf)
      .aRequest('repatriation')
      .from('KR')
      .sentTo('KH')
      .with({ arrestIds: [arrest.id], subject: `Take ${name} home` })
      .accepted();
    return { arrest, request: request as unknown as { id: string; version: number } };
  };
  const base = '/repatriation-requests';
  const writes: Array<[string, (s: Awaited<ReturnType<typeof accepted>>) => () => PromiseLike<Answer>]> = [
    [
      'a plan whose notes name the number',
      (s) => () =>
        tf['kr.officer'].post(`${base}/${s.request.id}/schedule`, {
          version: s.request.version,
          departureAt: '2027-01-01T01:00:00Z',
          departurePoint: 'ICN',
          arrivalPoint: 'PNH',
          carrier: 'KE',
          sendingEscorts: ['Officer A'],
          receivingEscorts: ['Officer B'],
          notes: `Escort calls ${NUMBER} on landing`,
        }),
    ],
    [
      'a handover whose place names the number',
      (s) => () =>
        tf['kr.officer'].post(`${base}/${s.request.id}/handover`, {
          version: s.request.version,
          handovers: [
            {
              arrestId: s.arrest.id,
              handedOverBy: 'Officer A',
              receivedBy: 'Officer B',
              handedOverAt: '2026-03-21T05:00:00Z',
              place: `PNH gate, escort on ${NUMBER}`,
            },
          ],
        }),
    ],
    [
      'a drop whose note names the number',
      (s) => () =>
        tf['kr.officer'].post(`${base}/${s.request.id}/drop`, {
          version: s.request.version,
          arrestId: s.arrest.id,
          reason: 'released',
          note: `Released; reachable on ${NUMBER}`,
        }),
    ],
  ];

  it.each(writes)(
    '%s: MY, reading the arrest, never reads the number',
    async (what, write) => {
      const lines: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const s = await accepted(`SOK ${what.split(' ')[1]} ${round}`);
        const [w, sh] = await together(
          round,
          write(s),
          () => tf['kr.liaison'].post(`/arrests/${s.arrest.id}/shares`, { countryCode: 'MY' }),
          2,
        );
        const leaked = await myReadsNumber(tf, [
          `/arrests/${s.arrest.id}`,
          `/arrests/${s.arrest.id}/custody`,
          `/arrests/${s.arrest.id}/attachments`,
          `${base}/${s.request.id}`,
          `${base}/${s.request.id}/schedules`,
          `${base}/${s.request.id}/history`,
        ]);
        const khReads = JSON.stringify(
          (await tf['kh.officer'].get(`${base}/${s.request.id}${what.includes('plan') ? '/schedules' : ''}`))
            .body,
        ).includes(NUMBER.slice(1));
        lines.push(
          `round ${round}: write ${said(w)}, share ${said(sh)}, KH reads it ${khReads}, MY reads the number: ${leaked ? 'yes' : 'no'}`,
        );
      }
      expect(
        broken(lines, (l) => !/ 5\d\d/.test(l) && /share 20\d/.test(l) && l.endsWith('number: no')),
      ).toEqual([]);
    },
    120_000,
  );
});
