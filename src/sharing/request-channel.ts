import type { HandlingCode } from './handling-code';

/** The request a person, an identifier or a text is linked to, as the release rule needs it. */
export interface RequestChannel {
  id: string;
  originCountry: string;
  targetCountry: string;
  handlingCode: HandlingCode;
}

/**
 * Whether the holder's side of a request is read only by RED's named recipients: a RED request the
 * holder is the target of (its liaisons and the assigned officer). A RED request the holder sent is
 * read by all its officers, like anything else of its own.
 */
export function readByRedRecipientsOnly(request: RequestChannel, holder: string): boolean {
  return request.handlingCode === 'RED' && request.targetCountry === holder;
}

/** Where a request carries what one side sends: to the other side. */
export function recipientOf(request: RequestChannel, side: 'origin' | 'target'): string {
  return side === 'origin' ? request.targetCountry : request.originCountry;
}
