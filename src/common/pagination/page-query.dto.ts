import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A list's page size: 1–200, absent for the default (50). Every list query's `limit` carries it. */
export const PageLimit = () =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(200),
  );

/** `limit` and `cursor` of every list; extend it with the list's own filters. */
export class PageQueryDto {
  /** Items per page, 1–200 (default 50). */
  @PageLimit()
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
