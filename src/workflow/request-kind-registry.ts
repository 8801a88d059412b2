import { Injectable } from '@nestjs/common';
import type { RequestKind } from './cross-border-request.entity';
import {
  checkRequestKind,
  RegisteredRequestKind,
  RequestKindDefinition,
  RequestKindHooks,
} from './request-kind';

/**
 * The request kinds the engine serves. Each kind's module registers its definition with its hooks when
 * the application starts; an unsound definition, or a kind registered twice, stops the start-up.
 */
@Injectable()
export class RequestKindRegistry {
  private readonly kinds = new Map<string, RegisteredRequestKind>();

  register<X extends object>(definition: RequestKindDefinition, hooks: RequestKindHooks<X>): void {
    const problems = checkRequestKind(definition);
    if (problems.length)
      throw new Error(`Request kind '${definition.kind}' is unsound: ${problems.join('; ')}`);
    if (this.kinds.has(definition.kind))
      throw new Error(`Request kind '${definition.kind}' is registered twice`);
    const prefixOwner = [...this.kinds.values()].find(
      (k) => k.referencePrefix === definition.referencePrefix,
    );
    if (prefixOwner)
      throw new Error(
        `Request kinds '${prefixOwner.kind}' and '${definition.kind}' share the reference prefix ${definition.referencePrefix}`,
      );
    this.kinds.set(definition.kind, { ...definition, hooks: hooks as RequestKindHooks });
  }

  get(kind: RequestKind): RegisteredRequestKind {
    const found = this.kinds.get(kind);
    if (!found) throw new Error(`No request kind '${kind}' is registered`);
    return found;
  }

  all(): RegisteredRequestKind[] {
    return [...this.kinds.values()];
  }
}
