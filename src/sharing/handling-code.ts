/**
 * TLP 2.0 handling codes, least to most restrictive. They belong to the release rule (which reads them
 * on every egress), not to the request row that also carries one: cases and arrests are shared under
 * them too.
 */
export const HANDLING_CODES = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];
/** A case or an arrest is shared with a country, not with named persons: `RED` does not apply. */
export const SHAREABLE_HANDLING_CODES = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'] as const;
