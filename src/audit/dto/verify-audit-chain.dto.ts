import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min, ValidateNested } from 'class-validator';
import { WitnessedCheckpointDto } from './witnessed-checkpoint.dto';

/** The part of the chain to verify; the whole chain when both are absent. */
export class VerifyAuditChainDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  fromSeq?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  toSeq?: number;

  /** Also check the chain against this checkpoint kept outside the database (its seq must be in range). */
  @IsOptional()
  @ValidateNested()
  @Type(() => WitnessedCheckpointDto)
  checkpoint?: WitnessedCheckpointDto;
}
