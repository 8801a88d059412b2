import { ApiHideProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min, registerDecorator } from 'class-validator';
import { HasVisibleText, IsOptionalNotNull, MAX_VERSION } from '../../common/http/validators';
import { PRIORITIES, Priority } from '../cross-border-request.entity';

/**
 * A field of a draft's create that an edit does not change, refused by name with the reason (a 400
 * naming it) rather than the bare "should not exist" of a field no route knows. Each such property is
 * also `@ApiHideProperty()` (where the OpenAPI plugin sees it): the edit does not take it.
 */
export function NotEditable(reason: string) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'notEditable',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} cannot be changed on a draft: ${reason}` },
      validator: { validate: (value: unknown) => value === undefined },
    });
  };
}

export const DRAFT_AGAIN = 'withdraw the draft and draft it again';

/**
 * What every kind's draft edit takes (`PATCH /<kind>/:id`): the version of the thread it names, and the
 * shared fields that may change. A kind that edits more of its own fields extends it; any other field
 * of its create body answers 400 naming it.
 */
export class EditRequestDraftDto {
  /** The request's version as last read; a stale one answers 409. */
  @IsInt()
  @Min(1)
  @Max(MAX_VERSION)
  version!: number;

  @IsOptionalNotNull()
  @IsString()
  @HasVisibleText()
  @Length(1, 500)
  subject?: string;

  /** Sets the due time once the request is sent. */
  @IsOptionalNotNull()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @NotEditable(`the draft was weighed by the release rule for the countries of its framework; ${DRAFT_AGAIN}`)
  @ApiHideProperty()
  frameworkId?: never;

  @NotEditable(
    `what the draft carries (persons, numbers, files) was weighed for that country, and a dispatch's threads are one per country; ${DRAFT_AGAIN}`,
  )
  @ApiHideProperty()
  targetCountry?: never;

  @NotEditable(`what the draft carries was weighed and recorded under its code; ${DRAFT_AGAIN}`)
  @ApiHideProperty()
  handlingCode?: never;

  @NotEditable(`the countries of a dispatch are set when it is drafted; ${DRAFT_AGAIN}`)
  @ApiHideProperty()
  alsoTo?: never;

  @NotEditable(`it is set with the dispatch's countries when it is drafted; ${DRAFT_AGAIN}`)
  @ApiHideProperty()
  recipientsVisible?: never;
}
