import { DATE_TIME, IsOptionalNotNull, IsUUID } from '../../common/http/validators';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { PersonName } from '../../persons/person.entity';
import { WorkflowStepDto } from '../../workflow/dto/request-thread.dto';
import { RequestHeaderView } from '../../workflow/dto/request-header.dto';
import { RequestDraftDto } from '../../workflow/dto/request-draft.dto';
import { EditRequestDraftDto } from '../../workflow/dto/request-draft-edit.dto';

export const DROP_REASONS = ['released', 'charged_locally', 'deceased'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type RepatriationPersonState = 'pending' | 'awaiting_confirmation' | 'handed_over' | 'dropped';

export class CreateRepatriationRequestDto extends RequestDraftDto {
  /** Arrests made by one of the two countries, of nationals of the other. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  arrestIds!: string[];

  @IsOptional()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;
}

/**
 * The edit of a repatriation request's draft: the shared fields (`EditRequestDraftDto`), its case and
 * its arrests. `arrestIds` replaces the whole list, checked as on a create (an arrest the caller does
 * not read answers as an unknown id, a person already on another open request 409); an arrest that
 * stays keeps its row, one taken off leaves the draft with its person. A field left out stays as it is.
 */
export class EditRepatriationRequestDto extends EditRequestDraftDto {
  /** One of the origin country's own cases (a draft is moved to another; it is not taken off its case). */
  @IsOptionalNotNull()
  @IsUUID()
  @MaxLength(36)
  caseId?: string;

  /** The arrests the draft should list, checked as on a create. */
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  arrestIds?: string[];
}

export class ScheduleDto extends WorkflowStepDto {
  @Matches(DATE_TIME, { message: 'departureAt must be an ISO 8601 date and time with a zone' })
  @IsISO8601({ strict: true }, { message: 'departureAt must be a real date and time' })
  @MaxLength(40)
  departureAt!: string;

  @IsString()
  @Length(1, 200)
  departurePoint!: string;

  @IsString()
  @Length(1, 200)
  arrivalPoint!: string;

  @IsString()
  @Length(1, 200)
  carrier!: string;

  @IsOptional()
  @IsString()
  @Length(1, 20)
  flightNumber?: string;

  /** Escorting officers of the sending country. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  sendingEscorts!: string[];

  /** Escorting officers of the receiving country. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  receivingEscorts!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class HandoverEntryDto {
  @IsUUID()
  @MaxLength(36)
  arrestId!: string;

  /** Who handed the person over (officer of the sending side). */
  @IsString()
  @Length(1, 200)
  handedOverBy!: string;

  /** Who received the person (officer of the receiving side). */
  @IsString()
  @Length(1, 200)
  receivedBy!: string;

  @Matches(DATE_TIME, { message: 'handedOverAt must be an ISO 8601 date and time with a zone' })
  @IsISO8601({ strict: true }, { message: 'handedOverAt must be a real date and time' })
  @MaxLength(40)
  handedOverAt!: string;

  @IsString()
  @Length(1, 300)
  place!: string;
}

export class HandoverDto extends WorkflowStepDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => HandoverEntryDto)
  handovers!: HandoverEntryDto[];
}

export class ConfirmHandoverDto extends WorkflowStepDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  @MaxLength(36, { each: true })
  arrestIds!: string[];
}

export class DropPersonDto extends WorkflowStepDto {
  @IsUUID()
  @MaxLength(36)
  arrestId!: string;

  @IsIn(DROP_REASONS)
  reason!: DropReason;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ScheduleView {
  departureAt!: string;
  departurePoint!: string;
  arrivalPoint!: string;
  carrier!: string;
  flightNumber!: string | null;
  sendingEscorts!: string[];
  receivingEscorts!: string[];
  notes!: string | null;
  scheduledByCountry!: string;
  scheduledAt!: string;
}

/** How a person was handed over; a named type so the document shows `confirmedAt` may be null. */
export class HandoverView {
  handedOverBy!: string;
  receivedBy!: string;
  handedOverAt!: string;
  place!: string;
  recordedAt!: string;
  confirmedAt!: string | null;
}

export class DropView {
  reason!: DropReason;
  note!: string | null;
  droppedAt!: string;
}

export class RepatriationPersonView {
  arrestId!: string;
  personId!: string;
  names!: PersonName[];
  nationality!: string;
  /**
   * The arrest's custody status; null to the other side once the request's framework has ended (the
   * arresting country's later custody changes do not reach it).
   */
  custodyStatus!: string | null;
  state!: RepatriationPersonState;
  handover!: HandoverView | null;
  drop!: DropView | null;
}

export class RepatriationCountsView {
  requested!: number;
  pending!: number;
  awaitingConfirmation!: number;
  handedOver!: number;
  dropped!: number;
}

/** The shared request header (`RequestHeaderView`) and what a repatriation adds. */
export class RepatriationRequestView extends RequestHeaderView {
  declare kind: 'repatriation';
  /** The country holding the persons, which hands them over. */
  sendingCountry!: string;
  /** The country taking them back. */
  receivingCountry!: string;
  /** Derived from the persons' rows every time. */
  counts!: RepatriationCountsView;
  persons!: RepatriationPersonView[];
  /** The current plan; earlier ones at `GET …/:id/schedules`. */
  schedule!: ScheduleView | null;
}
