import { personKhGaveKr } from '../sharing/support';
import type { TaskForce } from '../support/scenario';

/** The number `personKhGaveKr` gives KR (a phone on KH's person), by its national digits. */
export const NATIONAL_DIGITS = '12000111';

/**
 * What a reader takes from a text as digits: NFKC, digits of any script as ASCII, Han digit-by-digit
 * numerals (financial forms too), Suzhou numerals, and letters that stand for digits (O for 0, l and I
 * for 1), with everything else dropped. The number shows when its national digits appear in a row.
 */
export function readsAsDigits(text: string): string {
  const han: Record<string, string> = {
    〇: '0',
    零: '0',
    一: '1',
    壹: '1',
    二: '2',
    贰: '2',
    貳: '2',
    三: '3',
    叁: '3',
    參: '3',
    四: '4',
    肆: '4',
    五: '5',
    伍: '5',
    六: '6',
    陆: '6',
    陸: '6',
    七: '7',
    柒: '7',
    八: '8',
    捌: '8',
    九: '9',
    玖: '9',
  };
  return [...text.normalize('NFKC')]
    .map((c) => {
      if (han[c]) return han[c];
      const cp = c.codePointAt(0)!;
      if (cp >= 0x3021 && cp <= 0x3029) return String(cp - 0x3020); // Suzhou 〡..〩
      if (cp >= 0x2776 && cp <= 0x277e) return String(cp - 0x2775); // dingbat negative circled ❶..❾
      if (/\p{Nd}/u.test(c)) {
        let start = cp;
        while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
        return String((cp - start) % 10);
      }
      if (c === 'O' || c === 'o') return '0';
      if (c === 'l' || c === 'I') return '1';
      return '';
    })
    .join('');
}

/** Whether `text`, read as digits, names the number KH gave KR. */
export const namesTheNumber = (text: string) => readsAsDigits(text).includes(NATIONAL_DIGITS);

/** KR opens a case titled and summarised with `text`, and asks to share it with MY. */
export async function krCaseToMy(tf: TaskForce, title: string, summary: string) {
  const kase = (await tf['kr.officer'].post('/cases', { title, summary }).expect(201)).body as { id: string };
  const share = await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' });
  const read = await tf['my.officer'].get(`/cases/${kase.id}`);
  const myReads = read.status === 200 ? `${read.body.title as string} ${read.body.summary as string}` : null;
  return { caseId: kase.id, shareStatus: share.status, shareBody: share.body, myReads };
}

/**
 * KH gives KR the number on a person of its own (`personName`, under AMBER); KR opens a case (`title`)
 * and its liaison shares it with MY: the case a file holding the number would reach MY by.
 */
export async function receivedNumberAndCaseSharedWithMy(tf: TaskForce, personName: string, title: string) {
  await personKhGaveKr(tf, 'AMBER', personName);
  const kase = (await tf['kr.officer'].post('/cases', { title }).expect(201)).body as { id: string };
  await tf['kr.liaison'].post(`/cases/${kase.id}/shares`, { countryCode: 'MY' }).expect(201);
  return kase.id;
}

export { aZip } from '../support/zip-files';
