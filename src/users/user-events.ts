import type { CountryRole } from '../common/permissions/roles';

/** What the accounts module tells the rest of the house through `DomainEventBus`, inside its transaction. */

/** A change widening an account's roles waits for a second admin of the same country. */
export class RoleChangeRequested {
  constructor(
    readonly changeId: string,
    readonly user: { id: string; username: string; countryCode: string },
    readonly fromRoles: CountryRole[],
    readonly toRoles: CountryRole[],
    readonly requestedBy: string,
  ) {}
}

/** A reset password waits for a second admin of the country before the account signs in again. */
export class PasswordResetRequested {
  constructor(
    readonly user: { id: string; username: string; countryCode: string },
    readonly requestedBy: string,
  ) {}
}

/** An account a country admin created starts disabled until a second admin of the country enables it. */
export class AccountCreated {
  constructor(
    readonly user: { id: string; username: string; countryCode: string },
    readonly roles: CountryRole[],
    readonly createdBy: string,
  ) {}
}
