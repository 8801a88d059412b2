import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import type { IdentifierDto, SeenInView } from './dto/identifier.dto';
import { IdentifierIndexStore } from './identifier-index.store';
import { normaliseIdentifier, type NormalisedIdentifier } from './identifier-normalise';

/** Identifiers as first-class data: where the caller's country may see one carried. */
@Injectable()
export class IdentifiersService {
  constructor(private readonly tx: TransactionService) {}

  private get store() {
    return new IdentifierIndexStore(this.tx.manager);
  }

  async seenIn(ctx: RequestContext, query: IdentifierDto): Promise<SeenInView> {
    const identifier = normaliseOrRefuse([query], (field) => field)[0]!;
    const [key] = await this.store.matchKeys([identifier]);
    const rows = await this.store.seenIn(actorOf(ctx), key!);
    return {
      identifier,
      items: rows.map((r) => ({
        recordType: r.record_type,
        recordId: r.record_id,
        fields: r.fields,
        heldAs: r.held_as,
        handlingCode: r.handling_code,
        borrowedName: r.borrowed_name,
      })),
    };
  }
}

/**
 * Normalises each identifier, or refuses the whole request (400) naming every bad one: `fieldOf` turns
 * `value`/`qualifier` into the caller's field path (`identifiers[3].value`).
 */
export function normaliseOrRefuse(
  inputs: IdentifierDto[],
  fieldOf: (field: string, index: number) => string,
): NormalisedIdentifier[] {
  const errors: Array<{ field: string; message: string }> = [];
  const normalised = inputs.map((input, i) => {
    const result = normaliseIdentifier(input);
    if ('ok' in result) return result.ok;
    const field = result.field === 'value' ? 'value' : (QUALIFIER_FIELD[input.kind] ?? 'value');
    errors.push({ field: fieldOf(field, i), message: `${field} ${result.problem}` });
    return null;
  });
  if (errors.length) throw new ValidationFailedError(errors.slice(0, 100));
  return normalised as NormalisedIdentifier[];
}

/** The input field that holds an identifier's qualifier, by kind. */
const QUALIFIER_FIELD: Record<string, string> = {
  phone: 'region',
  bank_account: 'bank',
  wallet: 'chain',
  passport: 'issuingCountry',
};
