import { Global, Injectable, Module } from '@nestjs/common';
import { TypedCriteria, TypedRedValues } from '../access/red-consultations';
import { TransactionService } from '../database/transaction.service';
import { foldDocumentNumber } from '../persons/search-folding';
import { accountKey, documentKey, numbersIn, phoneKeys } from './identifier-keys';
import { IdentifierProvenanceStore } from './identifier-provenance.store';

/**
 * `TypedRedValues` by the release rule's keys: each typed field as the identifier it names (a phone by
 * its international and national keys, a document and an account as folded), and every number-like word
 * of any field (a number typed into the name), looked up among what the country received only under RED.
 */
@Injectable()
export class TypedRedValuesByKeys extends TypedRedValues {
  constructor(private readonly tx: TransactionService) {
    super();
  }

  async anyHeldForRedRecipientsOnly(typed: TypedCriteria, country: string): Promise<boolean> {
    const keys = new Set<string>();
    for (const [field, text] of Object.entries(typed))
      if (typeof text === 'string') for (const { key } of numbersIn(text, field)) keys.add(key);
    if (typed.phone) for (const key of phoneKeys(typed.phone)) keys.add(key);
    if (typed.document) keys.add(documentKey(foldDocumentNumber(typed.document)));
    if (typed.account) keys.add(accountKey(typed.account));
    if (!keys.size) return false;
    const held = await new IdentifierProvenanceStore(this.tx.manager).identifiersHeldForRedRecipientsOnly(
      [...keys],
      country,
    );
    return held.length > 0;
  }
}

/** Global: persons' searches ask it, and PersonsModule cannot import SharingModule (which imports it). */
@Global()
@Module({
  providers: [{ provide: TypedRedValues, useClass: TypedRedValuesByKeys }],
  exports: [TypedRedValues],
})
export class TypedRedValuesModule {}
