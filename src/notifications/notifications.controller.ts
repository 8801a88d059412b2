import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ReadsFromReplica } from '../database/replicas/read-route';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { InboxQueryDto, MarkedReadView, NotificationView } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The caller's in-app inbox (addressed to their country and roles): unread first, newest first. */
  @RequirePermission('notifications.read')
  @Get()
  @ReadsFromReplica()
  @ApiPageResponse(NotificationView)
  inbox(@Ctx() ctx: RequestContext, @Query() query: InboxQueryDto): Promise<Page<NotificationView>> {
    return this.notifications.inbox(ctx, query);
  }

  @RequirePermission('notifications.read')
  @Post('read-all')
  @HttpCode(200)
  async readAll(@Ctx() ctx: RequestContext): Promise<MarkedReadView> {
    return { marked: await this.notifications.markAllRead(ctx) };
  }

  @RequirePermission('notifications.read')
  @Post(':id/read')
  @HttpCode(204)
  read(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<void> {
    return this.notifications.markRead(ctx, id);
  }
}
