import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { AssetFreezeExecutionService } from './asset-freeze-execution.service';
import { AssetFreezeRequestsController } from './asset-freeze-requests.controller';
import { AssetFreezeRequestsService } from './asset-freeze-requests.service';
import { WorkflowModule } from '../workflow/workflow.module';
import { SharingModule } from '../sharing/sharing.module';

/** Asset freeze and recovery requests (`/asset-freeze-requests`), request kind `asset_freeze`. */
@Module({
  imports: [WorkflowModule, SharingModule, PersonsModule],
  controllers: [AssetFreezeRequestsController],
  providers: [AssetFreezeRequestsService, AssetFreezeExecutionService],
})
export class AssetFreezesModule {}
