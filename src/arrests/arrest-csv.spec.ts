import { MAX_LISTED_PROBLEMS } from '../common/http/input-guard';
import { csvColumnOf, csvRecordToArrest, readHeader } from './arrest-csv';

describe('arrest CSV rows', () => {
  it('checks the header: known columns, once each, the required ones present', () => {
    expect(
      readHeader(['arrested_at', 'place', 'grounds', 'arresting_agency', 'nationality', 'FULL_NAME']),
    ).toEqual({
      columns: ['arrested_at', 'place', 'grounds', 'arresting_agency', 'nationality', 'full_name'],
    });
    expect(readHeader(['place', 'place', 'shoe_size'])).toMatchObject({
      errors: expect.arrayContaining([
        { field: 'place', message: "column 'place' appears twice" },
        { field: 'shoe_size', message: "unknown column 'shoe_size'" },
        { field: 'grounds', message: "the header must have a 'grounds' column" },
      ]),
    });
  });

  it('lists at most MAX_LISTED_PROBLEMS header problems, the missing columns first, and counts them all', () => {
    const header = readHeader(['place', ...Array.from({ length: 500 }, (_, i) => `x${i}`)]);
    expect(header).toMatchObject({ total: 505 });
    const { errors } = header as { errors: unknown[] };
    expect(errors).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(errors[0]).toEqual({
      field: 'arrested_at',
      message: "the header must have a 'arrested_at' column",
    });
  });

  it('maps a row to the arrest shape, and a missing name to an error on full_name', () => {
    const columns = [
      'arrested_at',
      'nationality',
      'full_name',
      'latin_name',
      'latitude',
      'longitude',
    ] as const;
    expect(
      csvRecordToArrest(columns, ['2026-03-01T02:30:00Z', 'KR', '김민준', 'KIM Min-jun', '10.5', '103.5']),
    ).toEqual({
      plain: {
        arrestedAt: '2026-03-01T02:30:00Z',
        nationality: 'KR',
        coordinates: { latitude: 10.5, longitude: 103.5 },
        person: {
          names: [
            { full: '김민준', script: 'hangul', kind: 'primary' },
            { full: 'KIM Min-jun', script: 'latin', kind: 'alias' },
          ],
        },
      },
      errors: [],
    });
    expect(csvRecordToArrest(columns, ['2026-03-01T02:30:00Z', 'KR', ' ', '', '', '']).errors).toEqual([
      { field: 'full_name', message: 'full_name is required (or person_id of a known person)' },
    ]);
    expect(csvColumnOf('person.names[0].full')).toBe('full_name');
    expect(csvColumnOf('coordinates.latitude')).toBe('latitude');
  });
});
