import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * Only plain decimal digits become a number: `Number()` would also read `0x10`, `1e1` or ` 5 ` (so two
 * spellings of one query would be read alike); anything else stays a string and fails `IsInt`.
 */
const decimalDigits = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;

/** A list's page size: 1–200, absent for the default (50). Every list query's `limit` carries it. */
export const PageLimit = () =>
  applyDecorators(
    IsOptional(),
    Transform(decimalDigits),
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
