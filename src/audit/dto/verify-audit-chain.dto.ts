import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsNotLessThanField } from '../../common/http/validators';

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
}
