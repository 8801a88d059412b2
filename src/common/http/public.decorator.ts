import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

export const IS_PUBLIC = 'isPublic';

/**
 * Marks a route (or controller) that needs no sign-in. Every other route is closed by default.
 * The empty security requirement is how OpenAPI says "no credentials needed", so the document
 * states it instead of leaving the route's security unsaid.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));
