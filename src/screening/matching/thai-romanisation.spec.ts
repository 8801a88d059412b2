import { romaniseThai } from './thai-romanisation';

describe('romaniseThai (simplified RTGS)', () => {
  it.each([
    ['นพพร', 'nopphon'],
    ['ศรีสุข', 'srisuk'],
    ['ธนากร', 'thanakon'],
    ['สมชาย', 'somchai'],
    ['แสงทอง', 'saengthong'],
    ['บุญเรือง', 'bunrueang'],
    ['วงศ์สวัสดิ์', 'wongsawat'],
    ['อินทร์แก้ว', 'inkaew'],
    ['ประยุทธ์', 'prayut'],
  ])('reads %s as %s', (thai, latin) => expect(romaniseThai(thai)).toEqual([latin]));
});
