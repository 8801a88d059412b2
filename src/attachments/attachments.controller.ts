import { Body, Controller, Get, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { Ctx, RequestContext } from '../common/request-context';
import { DOWNLOAD_CSP } from '../common/http/download-policy';
import { contentDisposition, savedFilename } from './attachment-filename';
import { AttachmentsService } from './attachments.service';
import { AttachmentVerificationView, AttachmentView, WithdrawAttachmentDto } from './dto/attachment.dto';

/** One attachment: its record, its bytes, a re-check of its hash, its withdrawal. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @RequirePermission('attachments.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<AttachmentView> {
    return this.attachments.get(ctx, id);
  }

  /** The bytes, with `ETag` = the SHA-256 and single `Range` requests (206). Each read is audited. */
  @RequirePermission('attachments.read')
  @Get(':id/content')
  @ApiProduces('application/octet-stream')
  @ApiResponse({
    status: 200,
    description: 'The whole file.',
    schema: { type: 'string', format: 'binary', maxLength: 5 * 1024 * 1024 * 1024 },
  })
  @ApiResponse({
    status: 206,
    description: 'The range asked for.',
    schema: { type: 'string', format: 'binary', maxLength: 5 * 1024 * 1024 * 1024 },
  })
  async content(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Headers('range') range: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const c = await this.attachments.openContent(ctx, id, range);
    const length = c.range ? c.range.end - c.range.start + 1 : c.sizeBytes;
    reply
      .status(c.range ? 206 : 200)
      .header('content-type', c.attachment.media_type)
      .header('content-length', String(length))
      .header(
        'content-disposition',
        contentDisposition(savedFilename(c.attachment.filename, c.attachment.media_type)),
      )
      .header('content-security-policy', DOWNLOAD_CSP)
      .header('etag', `"${c.attachment.sha256}"`)
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-store');
    if (c.range) reply.header('content-range', `bytes ${c.range.start}-${c.range.end}/${c.sizeBytes}`);
    await reply.send(c.stream);
  }

  /** Re-hashes the stored bytes and says whether they are still the file that was uploaded. */
  @RequirePermission('attachments.read')
  @Post(':id/verify')
  @HttpCode(200)
  verify(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<AttachmentVerificationView> {
    return this.attachments.verify(ctx, id);
  }

  /** The country that gave the file withdraws it; it stays listed, its content kept for auditors. */
  @RequirePermission('attachments.write')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: WithdrawAttachmentDto,
  ): Promise<AttachmentView> {
    return this.attachments.withdraw(ctx, id, body.reason);
  }
}
