import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ReleaseRequestsController } from './release-requests.controller';
import { ReleaseRequestsService } from './release-requests.service';

@Module({
  imports: [PersonsModule],
  controllers: [ReleaseRequestsController],
  providers: [ReleaseRequestsService],
})
export class ReleaseRequestsModule {}
