import { Module } from '@nestjs/common';
import { IdentifiersController } from './identifiers.controller';
import { IdentifiersService } from './identifiers.service';

/** The identifier index (kept by triggers on the records, migration 1763800070000) and "seen in". */
@Module({
  controllers: [IdentifiersController],
  providers: [IdentifiersService],
  exports: [IdentifiersService],
})
export class IdentifiersModule {}
