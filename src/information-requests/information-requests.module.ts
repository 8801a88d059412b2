import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { InformationRequestsController } from './information-requests.controller';
import { InformationRequestsService } from './information-requests.service';

@Module({
  imports: [PersonsModule],
  controllers: [InformationRequestsController],
  providers: [InformationRequestsService],
})
export class InformationRequestsModule {}
