import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrossBorderRequest } from './cross-border-request.entity';
import { RequestKindRegistry } from './request-kind-registry';
import { RequestThreadService } from './request-thread.service';
import { RequestViewsService } from './request-views.service';
import { WorkflowService } from './workflow.service';

/** The request engine every request kind builds on; each kind registers its definition here. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CrossBorderRequest])],
  providers: [RequestKindRegistry, WorkflowService, RequestThreadService, RequestViewsService],
  exports: [RequestKindRegistry, WorkflowService, RequestThreadService, RequestViewsService],
})
export class WorkflowModule {}
