import { validateSync } from 'class-validator';
import { CreateCaseDto } from '../../cases/dto/case.dto';
import { PersonNameDto } from '../../persons/dto/person.dto';

const problems = (dto: object) => validateSync(dto).flatMap((e) => Object.keys(e.constraints ?? {}));

describe('HasVisibleText', () => {
  it('refuses a title or name that shows nothing: zero-width, format, control and lone combining characters', () => {
    for (const blank of [
      '\u200b',
      '\u200b\u200d\u2060',
      '\u0301',
      '\u00ad',
      '\u3164',
      '\u202e\u200f',
      '\u2800\u2800',
    ])
      expect(problems(Object.assign(new CreateCaseDto(), { title: blank }))).toContain('hasVisibleText');
    expect(problems(Object.assign(new PersonNameDto(), { full: '\u200b', kind: 'primary' }))).toContain(
      'hasVisibleText',
    );
  });

  it('takes any script, a letter with its accent, and text wrapped in invisible characters', () => {
    for (const title of ['Golden Fortune', '김민준', 'ព្រះ', 'é', '\u200bRaid 7\u200b', '?'])
      expect(problems(Object.assign(new CreateCaseDto(), { title }))).not.toContain('hasVisibleText');
  });
});
