/** The five roles a country's admin can give, always for the user's own country. */
export const COUNTRY_ROLES = ['officer', 'liaison', 'screener', 'auditor', 'admin'] as const;
export type CountryRole = (typeof COUNTRY_ROLES)[number];

/** Manages reference data and each country's first admin; reads no case content. Never given by an admin. */
export const PLATFORM_ADMIN = 'platform_admin' as const;
export type Role = CountryRole | typeof PLATFORM_ADMIN;
