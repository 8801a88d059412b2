import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Marks a route (or controller) that needs no sign-in. Every other route is closed by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
