import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors/domain-errors';
import type { RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { PersonsService } from '../persons/persons.service';
import type { Outgoing } from '../sharing/release.service';
import { DuplicateFreezeTargetError } from './asset-freeze-errors';
import type { FreezeTargetDto } from './dto/asset-freeze-request.dto';
import { insertTargetRow, openTargetOf, TargetColumns } from './freeze-targets.store';
import {
  Chain,
  normaliseAccountNumber,
  normaliseInstitutionCode,
  normaliseWalletAddress,
} from '../common/accounts/wallet-address';

const BANK_FIELDS = ['institutionName', 'institutionCode', 'accountNumber', 'borrowedName'] as const;
const WALLET_FIELDS = ['chain', 'address', 'exchangeName'] as const;

/** A target to write: where it goes in the request's list, as the body gave it, and its duplicate key. */
export interface PlacedTarget {
  position: number;
  target: FreezeTargetDto;
  key: string;
}

/**
 * A freeze request's list of targets as the origin writes it — on a draft's create and on its edit,
 * checked and written alike: the fields each type takes, no account or wallet twice in the list, the
 * persons it names visible to the caller, and no account or wallet already on another open request of
 * the caller's country.
 */
@Injectable()
export class FreezeTargetListService {
  constructor(
    private readonly tx: TransactionService,
    private readonly persons: PersonsService,
  ) {}

  /** The duplicate key of a target: institution code + normalised account number, or chain + address. */
  static key(t: FreezeTargetDto): string {
    return t.type === 'bank_account'
      ? `bank:${normaliseInstitutionCode(t.institutionCode!)}:${normaliseAccountNumber(t.accountNumber!)}`
      : `wallet:${t.chain}:${normaliseWalletAddress(t.chain as Chain, t.address!)}`;
  }

  /**
   * The list's checks that need no write (400 naming the field): each target's duplicate key, and the
   * persons it names (the person behind an account, each victim), by the field that names them.
   */
  async check(
    ctx: RequestContext,
    targets: FreezeTargetDto[],
  ): Promise<{ keys: string[]; persons: Outgoing[] }> {
    const foreign = targets.flatMap((t, i) =>
      (t.type === 'bank_account' ? WALLET_FIELDS : BANK_FIELDS)
        .filter((f) => t[f] !== undefined)
        .map((f) => ({
          field: `targets[${i}].${f}`,
          message: `${f} does not belong on a ${t.type} target`,
        })),
    );
    if (foreign.length) throw new ValidationFailedError(foreign);
    const keys = targets.map((t) => FreezeTargetListService.key(t));
    const errors = keys.flatMap((key, i) => {
      const first = keys.indexOf(key);
      return first < i
        ? [
            {
              field: `targets[${i}]`,
              message: `targets[${i}] is the same account or wallet as targets[${first}]`,
            },
          ]
        : [];
    });
    if (errors.length) throw new ValidationFailedError(errors);
    const persons: Outgoing[] = [];
    for (const [i, t] of targets.entries()) {
      if (t.personId) {
        await this.persons.requireVisible(ctx, [t.personId], `targets[${i}].personId`);
        persons.push({ personId: t.personId, field: `targets[${i}].personId` });
      }
      for (const [j, v] of (t.grounds.victimLosses ?? []).entries()) {
        const field = `targets[${i}].grounds.victimLosses[${j}].personId`;
        await this.persons.requireVisible(ctx, [v.personId], field);
        persons.push({ personId: v.personId, field });
      }
    }
    return { keys, persons };
  }

  /**
   * Inserts targets of a request, answering their ids in the order given. Inserted in the order of their
   * keys, whatever the order written: an insert waits on another draft's uncommitted row of the same
   * account, so two drafts naming the same accounts in other orders deadlocked (a 500). One order makes
   * the later draft wait, then find them taken (409, `DuplicateFreezeTargetError`).
   */
  async insert(requestId: string, origin: string, targets: PlacedTarget[]): Promise<string[]> {
    const ids: string[] = [];
    const byKey = targets
      .map((_, i) => i)
      .sort((a, b) => (targets[a]!.key < targets[b]!.key ? -1 : targets[a]!.key > targets[b]!.key ? 1 : 0));
    for (const i of byKey) {
      const { position, target, key } = targets[i]!;
      const id = await insertTargetRow(
        this.tx.manager,
        requestId,
        position,
        origin,
        targetColumnsOf(target, key),
      );
      if (!id) {
        const existing = await openTargetOf(this.tx.manager, origin, key);
        throw new DuplicateFreezeTargetError(`targets[${position}]`, {
          requestId: existing?.request_id ?? 'unknown',
          reference: existing ? existing.reference : 'unknown',
          draftId: existing?.draft_id ?? 'unknown',
          targetId: existing?.id ?? 'unknown',
        });
      }
      ids[i] = id;
    }
    return ids;
  }
}

/** A target's columns as written from the body (each type's own, the institution code normalised). */
export function targetColumnsOf(t: FreezeTargetDto, key: string): TargetColumns {
  const bank = t.type === 'bank_account';
  return {
    target_type: t.type,
    institution_name: bank ? t.institutionName! : null,
    institution_code: bank ? normaliseInstitutionCode(t.institutionCode!) : null,
    account_number: bank ? t.accountNumber!.trim() : null,
    holder_name: t.holderName ?? null,
    borrowed_name: bank ? t.borrowedName! : null,
    person_id: t.personId ?? null,
    chain: bank ? null : t.chain!,
    address: bank ? null : t.address!,
    exchange_name: t.exchangeName ?? null,
    currency: t.amountSought.currency,
    amount_sought: t.amountSought.amount,
    grounds: {
      summary: t.grounds.summary,
      victimLosses: (t.grounds.victimLosses ?? []).map((v) => ({
        personId: v.personId,
        loss: { amount: v.loss.amount, currency: v.loss.currency },
      })),
    },
    target_key: key,
  };
}
