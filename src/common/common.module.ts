import { Global, Module } from '@nestjs/common';
import { DomainEventBus } from './events/domain-event-bus';
import { Clock } from './time/clock';

@Global()
@Module({ providers: [Clock, DomainEventBus], exports: [Clock, DomainEventBus] })
export class CommonModule {}
