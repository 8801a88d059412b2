import { IsInt, IsOptional, Min } from 'class-validator';

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
}
