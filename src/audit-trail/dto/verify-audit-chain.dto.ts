import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsNotLessThanField } from '../../common/http/validators';
import { WitnessedCheckpointDto } from './witnessed-checkpoint.dto';

/** The part of the chain to verify; the whole chain when both are absent. */
export class VerifyAuditChainDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsNotLessThanField('fromSeq')
  toSeq?: number;

  /** Also check the chain against this checkpoint kept outside the database (its seq must be in range). */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => WitnessedCheckpointDto)
  checkpoint?: WitnessedCheckpointDto;
}
