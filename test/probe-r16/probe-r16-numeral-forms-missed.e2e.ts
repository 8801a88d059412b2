import { personKhGaveKr } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krCaseToMy, namesTheNumber } from './r16-support';

/**
 * Probe r16 (finding 1): a number KH gave KR under AMBER, written in a form a reader reads as that number
 * but that `numbersIn` (src/sharing/identifier-keys.ts) does not weigh, reaches MY in a KR case's title
 * and summary.
 *
 * KH gives KR `+85512000111` under AMBER (`personKhGaveKr`). KR writes it into a case in one form at a
 * time and shares the case with MY. Expected: 409 `release-refused`, as for the same number in ASCII,
 * Khmer, Thai, full-width, 〇一二 Han digits… (probe-r16-numeral-forms-held). Actual: 201, and MY's
 * officer reads the number:
 * - Han financial numerals (零壹贰…, the form written on cheques and bank slips): `asciiDigits` maps only
 *   〇零一二三四五六七八九 (`HAN_DIGITS`), so 壹贰 are letters, the word has one or no digit, nothing weighed;
 * - Latin letters for digits (`O12-OOO-lll`, `+855 l2 OOO lll`): `foldIdentifier` already folds 0≡O and
 *   1≡l≡I into one key, but `numbersIn` only weighs a word with three digits (`digits < 3`), counted
 *   before the fold, so the word is never folded;
 * - Suzhou numerals (〡〢〣, U+3021–3029, category Nl) and dingbat negative circled digits (❶❷, No): not
 *   decimal digits (`\p{Nd}`) and not mapped by NFKC.
 */
describe('Probe r16: numeral forms the release rule does not read as the number', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER', 'SOK Numerals');
  });
  afterAll(() => t?.close());

  const forms: Array<[string, string]> = [
    ['Han financial numerals, simplified', '零壹贰零零零壹壹壹'],
    ['Han financial numerals, traditional', '零壹貳零零零壹壹壹'],
    ['Latin O and l for 0 and 1, with the trunk 0', 'O12-OOO-lll'],
    ['Latin O and l for 0 and 1, international', '+855 l2 OOO lll'],
    ['Latin O and I for 0 and 1', 'OI2OOOIII'],
    ['Suzhou numerals', '〇〡〢〇〇〇〡〡〡'],
    ['dingbat negative circled digits with 0', '0❶❷000❶❶❶'],
  ];

  for (const [name, form] of forms)
    it(`${name} (${form}): the share is refused and MY reads no number`, async () => {
      // The form reads as the number KH gave (the test's own reading, not the app's).
      expect(namesTheNumber(form)).toBe(true);
      const { shareStatus, myReads } = await krCaseToMy(
        tf,
        `Phone ${form}`,
        `Subscriber ${form} pays the compound`,
      );
      expect({ shareStatus, myReadsTheNumber: myReads !== null && namesTheNumber(myReads) }).toEqual({
        shareStatus: 409,
        myReadsTheNumber: false,
      });
    });
});
