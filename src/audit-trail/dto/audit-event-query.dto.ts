import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageLimit } from '../../common/pagination/page-query.dto';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsQueryTime, lowerCaseUuids } from '../../common/http/validators';
import type { AuditOutcome } from '../../audit/audit-event.input';
import { normaliseUsername, USERNAME_PATTERN } from '../../users/username';

/** Filters shared by the list and the export of audit events. */
export class AuditEventFilterDto {
  /** A user id (UUID) or a username. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  /**
   * Users of the auditor's own country whose events are left out, by username or user id,
   * comma-separated (at most 50): an auditor's own reads, which every page read adds to the trail, or
   * an integration account's. Like `actor`, it matches the auditor's country's staff only.
   */
  // The OpenAPI plugin would document the list the transform makes; the query carries one string.
  @ApiPropertyOptional({ type: String, maxLength: 3_300, example: 'kr.auditor,kr.officer' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    // Given once or repeated, each comma-separated; usernames are kept lower-case (`normaliseUsername`),
    // and an id so lowered still matches the pattern (ids are compared as uuid).
    (Array.isArray(value) ? value : [value]).flatMap((v: unknown) =>
      typeof v === 'string' ? v.split(',').map((name) => normaliseUsername({ value: name })) : [v],
    ),
  )
  @IsArray({ message: 'excludeActors must be usernames or user ids, separated by commas' })
  @ArrayMaxSize(50, { message: 'excludeActors names at most 50 users' })
  @IsString({ each: true })
  @Matches(USERNAME_PATTERN, { each: true, message: 'each of excludeActors must be a username or a user id' })
  excludeActors?: string[];

  /** Exact action, e.g. `case.create`. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @IsOptional()
  @IsIn(['success', 'denied', 'failed'])
  outcome?: AuditOutcome;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  recordType?: string;

  @IsOptional()
  @IsString()
  // Ids are kept as PostgreSQL writes them (lower case); one asked in capitals is the same record.
  @Transform(lowerCaseUuids)
  @MaxLength(200)
  recordId?: string;

  /** Events at or after this time (ISO 8601). */
  @IsQueryTime()
  from?: string;

  /** Events before this time (ISO 8601, exclusive). */
  @IsQueryTime()
  to?: string;
}

/** The opaque cursor of keyset pagination: base64url of a position. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** An audit list's `cursor`: opaque, base64url, at most 64 characters. */
export const AuditCursor = () =>
  applyDecorators(
    // The OpenAPI plugin cannot see validators composed here: the document states the limit itself.
    ApiPropertyOptional({ type: String, maxLength: 64, pattern: CURSOR_PATTERN.source }),
    IsOptional(),
    Matches(CURSOR_PATTERN, { message: 'cursor is not valid' }),
    MaxLength(64),
  );

export class AuditEventListQueryDto extends AuditEventFilterDto {
  /** Page size, 1 to 200 (default 50). */
  @PageLimit()
  limit?: number;

  /** `nextCursor` of the previous page. */
  @AuditCursor()
  cursor?: string;
}
