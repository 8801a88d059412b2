import type { Evidence } from './evidence';
import type { IdentityDocument, ScreeningQuery } from './matching.types';

/** Uppercase letters and digits only: spaces, dashes and dots are typed differently everywhere. */
export function normaliseDocumentNumber(value: string): string {
  return value.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

export type DocumentEvidence = Evidence & { certain: boolean };

/**
 * A document number with the same issuing country identifies the person whatever the name says.
 * When the query does not say who issued it, the traveller's nationality is the likely issuer.
 */
export function compareDocuments(
  query: ScreeningQuery,
  documents: IdentityDocument[] | undefined,
): DocumentEvidence | null {
  if (!query.document || !documents?.length) return null;
  const number = normaliseDocumentNumber(query.document.number);
  if (number.length === 0) return null;
  const issuer = (query.document.issuingCountry ?? query.nationality ?? '').toUpperCase();

  const sameNumber = documents.filter((document) => normaliseDocumentNumber(document.number) === number);
  if (sameNumber.length === 0) return null;
  if (sameNumber.some((document) => document.issuingCountry.toUpperCase() === issuer)) {
    return { adjustment: 0, certain: true, reason: 'document number exact' };
  }
  if (issuer === '') {
    return { adjustment: 0.15, certain: false, reason: 'document number matches, issuing country unknown' };
  }
  return { adjustment: 0.1, certain: false, reason: 'document number matches, issued by another country' };
}
