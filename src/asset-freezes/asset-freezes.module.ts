import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { AssetFreezeDraftEditsService } from './asset-freeze-draft-edits.service';
import { AssetFreezeExecutionService } from './asset-freeze-execution.service';
import { AssetFreezeRequestsController } from './asset-freeze-requests.controller';
import { AssetFreezeRequestsService } from './asset-freeze-requests.service';
import { FreezeTargetListService } from './freeze-target-list.service';
import { WorkflowModule } from '../workflow/workflow.module';
import { SharingModule } from '../sharing/sharing.module';

/** Asset freeze and recovery requests (`/asset-freeze-requests`), request kind `asset_freeze`. */
@Module({
  imports: [WorkflowModule, SharingModule, PersonsModule],
  controllers: [AssetFreezeRequestsController],
  providers: [
    AssetFreezeRequestsService,
    AssetFreezeExecutionService,
    AssetFreezeDraftEditsService,
    FreezeTargetListService,
  ],
})
export class AssetFreezesModule {}
