import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { CreateWebhookDto, WebhookDeliveryView, WebhookView } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @RequirePermission('webhooks.manage')
  @Get()
  list(@Ctx() ctx: RequestContext): Promise<WebhookView[]> {
    return this.webhooks.list(ctx);
  }

  /** Subscribes an endpoint of the admin's country to notification events. */
  @RequirePermission('webhooks.manage')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateWebhookDto): Promise<WebhookView> {
    return this.webhooks.create(ctx, body);
  }

  @RequirePermission('webhooks.manage')
  @Post(':id/disable')
  @HttpCode(200)
  disable(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<WebhookView> {
    return this.webhooks.setActive(ctx, id, false);
  }

  @RequirePermission('webhooks.manage')
  @Post(':id/enable')
  @HttpCode(200)
  enable(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<WebhookView> {
    return this.webhooks.setActive(ctx, id, true);
  }

  /** The delivery log: each delivery with every attempt. */
  @RequirePermission('webhooks.manage')
  @Get(':id/deliveries')
  deliveries(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<WebhookDeliveryView[]> {
    return this.webhooks.deliveries(ctx, id);
  }
}
