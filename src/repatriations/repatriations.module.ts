import { Module } from '@nestjs/common';
import { ArrestsModule } from '../arrests/arrests.module';
import { RepatriationRequestsController } from './repatriation-requests.controller';
import { RepatriationRequestsService } from './repatriation-requests.service';

@Module({
  imports: [ArrestsModule],
  controllers: [RepatriationRequestsController],
  providers: [RepatriationRequestsService],
})
export class RepatriationsModule {}
