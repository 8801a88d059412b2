import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';

/** An event's class: events are plain objects told apart by their class, as in Vendure's event bus. */
export type EventClass<E extends object> = abstract new (...args: never[]) => E;

type Handler = (event: object) => Promise<void>;

/**
 * Tells the modules that care what another module did, without the doer knowing them: the workflow
 * engine publishes `RequestStepTaken`, notifications subscribe. Every subscriber runs *inside the
 * publisher's transaction*, awaited one after another in the order they subscribed: a notification or
 * webhook outbox row commits with the step that caused it or not at all, and a subscriber that fails
 * fails the step. Telling the outside world (a webhook POST) stays after commit (`tx.afterCommit`).
 *
 * Why not @nestjs/event-emitter: its listeners swallow errors unless each one says otherwise, run
 * side by side rather than in order, and are attached only at application bootstrap, after the
 * modules' own start-up work; an event emitted with no listener attached is silently dropped. Here
 * subscribers attach in `onModuleInit` and a publish outside a transaction is refused.
 */
@Injectable()
export class DomainEventBus {
  private readonly subscriptions = new Map<EventClass<object>, Handler[]>();

  constructor(private readonly tx: TransactionService) {}

  /** Call from `onModuleInit`, so every subscriber is attached before the application serves anything. */
  subscribe<E extends object>(type: EventClass<E>, handle: (event: E) => Promise<void>): void {
    const list = this.subscriptions.get(type) ?? [];
    list.push(handle as Handler);
    this.subscriptions.set(type, list);
  }

  /** Runs every subscriber of the event's class in the running transaction; resolves when all are done. */
  async publish(event: object): Promise<void> {
    const type = event.constructor as EventClass<object>;
    if (!this.tx.inTransaction)
      throw new Error(
        `${type.name} published outside a transaction: its subscribers' writes would not commit with it`,
      );
    for (const handle of this.subscriptions.get(type) ?? []) await handle(event);
  }
}
