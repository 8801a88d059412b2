import { compareDocuments, normaliseDocumentNumber } from './identity-document';

const passport = { type: 'passport', number: 'M12345678', issuingCountry: 'KR' };

describe('compareDocuments', () => {
  it('normalises document numbers to uppercase letters and digits', () => {
    expect(normaliseDocumentNumber(' m-1234 5678 ')).toBe('M12345678');
  });

  it('is certain when the number and the issuing country are the same, however the number is typed', () => {
    const evidence = compareDocuments(
      { names: [], document: { number: 'm 1234-5678', issuingCountry: 'kr' } },
      [passport],
    );
    expect(evidence).toMatchObject({ certain: true, reason: 'document number exact' });
  });

  it("takes the traveller's nationality as the issuer when the query names none", () => {
    const evidence = compareDocuments({ names: [], nationality: 'KR', document: { number: 'M12345678' } }, [
      passport,
    ]);
    expect(evidence?.certain).toBe(true);
  });

  it('is not certain when another country issued a document with the same number', () => {
    const evidence = compareDocuments(
      { names: [], document: { number: 'M12345678', issuingCountry: 'KH' } },
      [passport],
    );
    expect(evidence).toMatchObject({
      certain: false,
      reason: 'document number matches, issued by another country',
    });
  });

  it('says nothing for a different number', () => {
    expect(
      compareDocuments({ names: [], document: { number: 'M12345679', issuingCountry: 'KR' } }, [passport]),
    ).toBeNull();
  });
});
