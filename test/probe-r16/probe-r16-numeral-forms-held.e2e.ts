import { personKhGaveKr, RELEASE_REFUSED } from '../sharing/support';
import { taskForce, TaskForce } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { krCaseToMy, namesTheNumber } from './r16-support';

/**
 * Probe r16, held (regression): the same number KH gave KR under AMBER, written in each of these forms
 * into a KR case's title and summary, is weighed as that number: sharing the case with MY is refused
 * (409 `release-refused`), and MY reads nothing.
 */
describe('Probe r16 (held): numeral forms the release rule reads as the number', () => {
  let t: TestApp;
  let tf: TaskForce;
  beforeAll(async () => {
    t = await createTestApp();
    tf = await taskForce(t);
    await personKhGaveKr(tf, 'AMBER', 'SOK Held');
  });
  afterAll(() => t?.close());

  const forms: Array<[string, string]> = [
    ['Han digit-by-digit numerals', '〇一二〇〇〇一一一'],
    ['Han numerals, international', '+八五五 一二 〇〇〇 一一一'],
    ['full-width digits', '＋８５５１２０００１１１'],
    ['zero-width spaces between digits', '0\u200b1\u200b2\u200b0\u200b0\u200b0\u200b1\u200b1\u200b1'],
    ['combining accents on digits', '0\u03011\u03012\u03010\u03010\u03010\u03011\u03011\u03011\u0301'],
    ['Khmer digits', '០១២០០០១១១'],
    ['Thai digits', '๐๑๒๐๐๐๑๑๑'],
    ['Arabic-Indic digits', '٠١٢٠٠٠١١١'],
    ['Khmer and ASCII alternating', '0១2០0០1១1'],
    ['slashes between digits', '0/1/2/0/0/0/1/1/1'],
    ['dots between digits', '0.1.2.0.0.0.1.1.1'],
    ['spaces between digits', '0 1 2 0 0 0 1 1 1'],
    ['circled digits', '⓪①②⓪⓪⓪①①①'],
    ['superscript digits', '⁰¹²⁰⁰⁰¹¹¹'],
    ['mathematical bold digits', '𝟎𝟏𝟐𝟎𝟎𝟎𝟏𝟏𝟏'],
    ['thin and narrow no-break spaces', '012\u2009000\u202f111'],
    ['middle dots', '012·000·111'],
    ['a tag character inside', '0\u{E0031}12000111'],
  ];

  for (const [name, form] of forms)
    it(`${name}: the share is refused and MY reads no number`, async () => {
      expect(namesTheNumber(form)).toBe(true);
      const { shareStatus, shareBody, myReads } = await krCaseToMy(tf, `Phone ${form}`, `Subscriber ${form}`);
      expect(shareStatus).toBe(409);
      expect(shareBody.type).toBe(RELEASE_REFUSED);
      expect(myReads).toBeNull();
    });
});
