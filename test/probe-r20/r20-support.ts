import type { TaskForce } from '../support/scenario';

/**
 * KR shares with MY a new KR case whose summary names `number`: the status and problem type, a 409
 * `release-refused` where KR is held to have received the number from another country.
 */
export async function krShareWithMy(tf: TaskForce, number: string) {
  const kase = (
    await tf['kr.officer']
      .post('/cases', { title: 'KR handlers', summary: `Handler on ${number}` })
      .expect(201)
  ).body;
  const res = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
  return [res.status, res.body.type] as const;
}
