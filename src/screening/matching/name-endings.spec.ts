import { endsAsAnotherName } from './name-endings';

// Pairs chosen from common Khmer and Thai names (not from any labelled set).
describe('endsAsAnotherName (Thai and Khmer given names)', () => {
  it.each([
    ['sokha', 'sokhom'],
    ['chanthy', 'chanthou'],
    ['pisey', 'piseth'],
    ['rithy', 'ritha'],
    ['sopheak', 'sopheaktra'],
    ['suda', 'sudarat'],
    ['kittisak', 'kittisuk'],
    ['somying', 'somyong'],
  ])('%s and %s are two names', (a, b) => expect(endsAsAnotherName(a, b)).toBe(true));

  it.each([
    ['bunthoeun', 'bunthoen'],
    ['kosal', 'kossal'],
    ['supachai', 'suphachai'],
    ['prasert', 'prasoet'],
    ['chaiyaphon', 'chaiyaporn'],
    ['kamol', 'kamon'],
    ['vichet', 'vichit'],
    ['sopheak', 'sophak'],
    ['sreynich', 'sreynit'],
    ['ratana', 'rataan'],
    ['thanawat', 'thanawt'],
  ])('%s and %s are one name (romanisation or slip)', (a, b) => expect(endsAsAnotherName(a, b)).toBe(false));
});
