import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrossBorderRequest } from './cross-border-request.entity';
import { RequestThreadService } from './request-thread.service';
import { WorkflowService } from './workflow.service';

/** The request engine every request kind builds on. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CrossBorderRequest])],
  providers: [WorkflowService, RequestThreadService],
  exports: [WorkflowService, RequestThreadService],
})
export class WorkflowModule {}
