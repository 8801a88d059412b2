import { IsInt, Matches, MaxLength, Min } from 'class-validator';

/**
 * A checkpoint kept outside the database (a line of AUDIT_WITNESS_FILE, or one exported earlier from
 * `GET /audit-events/checkpoints`): the chain recomputed from the events must hash to `hash` at `seq`.
 */
export class WitnessedCheckpointDto {
  @IsInt()
  @Min(1)
  seq!: number;

  /** SHA-256 chain hash at `seq`, 64 lowercase hex digits. */
  @MaxLength(64)
  @Matches(/^[0-9a-f]{64}$/, { message: 'hash must be 64 lowercase hex digits' })
  hash!: string;
}
