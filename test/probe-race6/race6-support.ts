export {
  NUMBER,
  krArrest,
  krCase,
  krFile,
  krPerson,
  krUpload,
  myReadsNumber,
  together,
  withdraw,
} from '../probe-race4/race4-support';
export { said } from '../probe-race5/race5-support';

/** The rounds that did not hold (`RACE6_LOG=1` prints every round). */
export const broken = (lines: string[], ok: (l: string) => boolean) => {
  if (process.env.RACE6_LOG) console.log(lines.join('\n'));
  return lines.filter((l) => !ok(l));
};
