import { compareMalayNames } from './malay-name-words';

const words = (name: string) => name.toLowerCase().split(' ');
const verdict = (a: string, b: string, last = true) => compareMalayNames(words(a), words(b), last);

describe('compareMalayNames', () => {
  it.each([
    ['Hasan', 'Hassan'],
    ['Qadir', 'Kadir'],
    ['Yusof', 'Yusuf'],
    ['Hussein', 'Hussin'],
    ['Khairul', 'Hairul'],
    ['Aishah', 'Aisha'],
    ['Abu Bakar', 'Abubakar'],
    ['Mohd Noor', 'Muhammad Nur'],
  ])('%s and %s are one name in Malay spelling', (a, b) => expect(verdict(a, b)).toBe('same'));

  it.each([
    ['Hassan', 'Hussin'],
    ['Kadir', 'Karim'],
    ['Azhar', 'Azmi'],
    ['Zulkifli', 'Zulkarnain'],
    ['Hazim', 'Haziq'],
    ['Farid', 'Faris'],
    ['Abdullah', 'Abdul Rahman'],
  ])('%s and %s are two names', (a, b) => expect(verdict(a, b)).toBe('another-name'));

  it('takes one slip, or a name cut at the end of a machine-readable zone, for the name', () => {
    expect(verdict('Faizl', 'Faizal')).toBe('slip');
    expect(verdict('Subramanian', 'Subramaniam')).toBe('slip');
    expect(verdict('Zulkarna', 'Zulkarnain')).toBe('truncated');
    expect(verdict('Zulkarna', 'Zulkarnain', false)).toBe('another-name');
  });
});
