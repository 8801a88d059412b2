import type { TaskForce } from '../support/scenario';

/**
 * KH arrests a KR national and sends KR a RED repatriation request for the arrest (approved: sent). In
 * KR only its named recipients (the liaison) read the person; its officers and auditors do not.
 */
export async function redRepatriationToKr(
  tf: TaskForce,
  fullName: string,
): Promise<{ requestId: string; personId: string; arrestId: string }> {
  const arrest = (
    await tf['kh.officer']
      .post('/arrests', {
        arrestedAt: '2026-03-01T02:30:00Z',
        place: 'Golden Fortune compound',
        grounds: 'Online fraud',
        arrestingAgency: 'Cambodian National Police',
        nationality: 'KR',
        person: { names: [{ full: fullName, script: 'latin', kind: 'primary' }] },
      })
      .expect(201)
  ).body;
  const draft = (
    await tf['kh.officer']
      .post('/repatriation-requests', {
        frameworkId: tf.cambodiaKoreaFramework,
        targetCountry: 'KR',
        priority: 'routine',
        handlingCode: 'RED',
        subject: 'Repatriation of one KR national',
        arrestIds: [arrest.id],
      })
      .expect(201)
  ).body;
  const submitted = (
    await tf['kh.officer']
      .post(`/repatriation-requests/${draft.id}/submit`, { version: draft.version })
      .expect(200)
  ).body;
  await tf['kh.liaison']
    .post(`/repatriation-requests/${draft.id}/approve`, { version: submitted.version })
    .expect(200);
  return { requestId: draft.id, personId: arrest.person.id, arrestId: arrest.id };
}
