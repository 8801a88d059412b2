import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { COUNTRY_ROLES, CountryRole } from '../../common/permissions/roles';
import { MAX_VERSION } from '../../common/http/validators';

export class RequestRoleChangeDto {
  /** The roles the account should have; adding any role waits for a second admin's approval. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsIn(COUNTRY_ROLES, { each: true, message: `each role must be one of ${COUNTRY_ROLES.join(', ')}` })
  roles!: CountryRole[];

  /** The account's `version` last read; a stale one answers 409. */
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;
}

export class RoleChangeView {
  id!: string;
  userId!: string;
  countryCode!: string;
  fromRoles!: CountryRole[];
  toRoles!: CountryRole[];
  /** `pending` until a second admin approves (`approved`); a narrowing change is `applied` at once. */
  status!: 'pending' | 'approved' | 'applied';
  requestedBy!: string;
  requestedAt!: string;
  decidedBy!: string | null;
  decidedAt!: string | null;
}
