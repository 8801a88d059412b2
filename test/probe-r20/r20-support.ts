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

/** KH arrests a person of `nationality` for online fraud; the arrest as answered. */
export async function khArrest(
  tf: TaskForce,
  at: { arrestedAt: string; place: string },
  nationality: string,
  fullName: string,
): Promise<{ id: string; version: number }> {
  return (
    await tf['kh.officer']
      .post('/arrests', {
        ...at,
        grounds: 'Online fraud',
        arrestingAgency: 'GDNP',
        nationality,
        person: {
          names: [{ full: fullName, script: 'latin', kind: 'primary' }],
          nationalities: [nationality],
        },
      })
      .expect(201)
  ).body;
}

/** A custody step KH takes on its arrest (at its version as read now), with `reason`. */
export async function khCustodyStep(tf: TaskForce, arrestId: string, status: string, reason: string) {
  const { version } = (await tf['kh.officer'].get(`/arrests/${arrestId}`).expect(200)).body;
  return (
    await tf['kh.officer'].post(`/arrests/${arrestId}/custody`, { status, reason, version }).expect(200)
  ).body as { id: string; version: number };
}

/** The reasons of the arrest's custody steps as KR reads them. */
export async function custodyReasonsKrReads(tf: TaskForce, arrestId: string): Promise<Array<string | null>> {
  const history = (await tf['kr.officer'].get(`/arrests/${arrestId}/custody`).expect(200)).body;
  return (history.items ?? history).map((h: { reason: string | null }) => h.reason);
}
