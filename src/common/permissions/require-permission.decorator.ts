import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';

export const REQUIRED_PERMISSION = 'requiredPermission';

/**
 * Names the permission a handler needs. The global guard refuses any non-public route without one:
 * a forgotten decorator closes the route instead of opening it.
 */
export const RequirePermission = (permission: Permission) => SetMetadata(REQUIRED_PERMISSION, permission);
