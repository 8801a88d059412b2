import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { ApiAttachmentUpload, uploadInputOf } from './attachment-routes';
import { AttachmentUploadService } from './attachment-upload.service';
import { AttachmentsService } from './attachments.service';
import { DOWNLOAD_CSP } from '../common/http/download-policy';
import { contentDisposition } from './attachment-filename';
import { CaseBundleService } from './case-bundle.service';
import { AttachmentView, ListAttachmentsQueryDto } from './dto/attachment.dto';

/**
 * The attachments of each record type that takes them: list and upload. Who sees them is who sees
 * the record; who may attach is in `AttachmentParents`.
 */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class RecordAttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly uploads: AttachmentUploadService,
    private readonly bundles: CaseBundleService,
  ) {}

  @RequirePermission('attachments.read')
  @Get('cases/:id/attachments')
  @ApiPageResponse(AttachmentView)
  listOfCase(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'case', id, q);
  }

  /** An officer of the case's own country attaches a file (raw body, `X-Filename`). */
  @RequirePermission('attachments.write')
  @Post('cases/:id/attachments')
  @ApiAttachmentUpload()
  uploadToCase(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'case', id, uploadInputOf(req));
  }

  /**
   * The case's visible attachments as one ZIP with `manifest.json`, `custody-timeline.json` and
   * `SHA256SUMS`, streamed; each file in it is audited as a download.
   */
  @RequirePermission('attachments.read')
  @Get('cases/:id/bundle')
  @ApiProduces('application/zip')
  @ApiResponse({
    status: 200,
    description: 'The bundle.',
    schema: { type: 'string', format: 'binary', maxLength: 64 * 1024 * 1024 * 1024 },
  })
  async bundleOfCase(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const bundle = await this.bundles.open(ctx, id);
    await reply
      .header('content-type', 'application/zip')
      .header('content-disposition', contentDisposition(bundle.filename))
      .header('content-security-policy', DOWNLOAD_CSP)
      .header('cache-control', 'private, no-store')
      .send(bundle.stream);
  }

  @RequirePermission('attachments.read')
  @Get('persons/:id/attachments')
  @ApiPageResponse(AttachmentView)
  listOfPerson(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'person', id, q);
  }

  /** An officer of the person's own country attaches a file (a photo, a document scan). */
  @RequirePermission('attachments.write')
  @Post('persons/:id/attachments')
  @ApiAttachmentUpload()
  uploadToPerson(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'person', id, uploadInputOf(req));
  }

  /** Both sides of a sent request see its attachments (a RED request: the target's named recipients only). */
  @RequirePermission('attachments.read')
  @Get('information-requests/:id/attachments')
  @ApiPageResponse(AttachmentView)
  listOfInformationRequest(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'request', id, q);
  }

  /** The origin while the request is open; the target once it has accepted it (its findings). */
  @RequirePermission('attachments.write')
  @Post('information-requests/:id/attachments')
  @ApiAttachmentUpload()
  uploadToInformationRequest(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'request', id, uploadInputOf(req));
  }

  @RequirePermission('attachments.read')
  @Get('arrests/:id/attachments')
  @ApiPageResponse(AttachmentView)
  listOfArrest(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'arrest', id, q);
  }

  /** An officer of the arresting country attaches a file (a seized phone's extract, compound photos). */
  @RequirePermission('attachments.write')
  @Post('arrests/:id/attachments')
  @ApiAttachmentUpload()
  uploadToArrest(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'arrest', id, uploadInputOf(req));
  }

  /** A freeze target's attachments (bank statements behind it; the target country's execution evidence). */
  @RequirePermission('attachments.read')
  @Get('asset-freeze-requests/:id/targets/:targetId/attachments')
  @ApiPageResponse(AttachmentView)
  listOfFreezeTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'asset_freeze_target', targetId, q, id);
  }

  /** The origin while the request is open; the target once it has accepted it. */
  @RequirePermission('attachments.write')
  @Post('asset-freeze-requests/:id/targets/:targetId/attachments')
  @ApiAttachmentUpload()
  uploadToFreezeTarget(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @UuidParam('targetId') targetId: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'asset_freeze_target', targetId, uploadInputOf(req), id);
  }

  @RequirePermission('attachments.read')
  @Get('blacklist-entries/:id/attachments')
  @ApiPageResponse(AttachmentView)
  listOfBlacklistEntry(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Query() q: ListAttachmentsQueryDto,
  ): Promise<Page<AttachmentView>> {
    return this.attachments.list(ctx, 'blacklist_entry', id, q);
  }

  /** The proposing country's officer, while the proposal is open (a passport scan, a photo). */
  @RequirePermission('attachments.write')
  @Post('blacklist-entries/:id/attachments')
  @ApiAttachmentUpload()
  uploadToBlacklistEntry(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentView> {
    return this.uploads.upload(ctx, 'blacklist_entry', id, uploadInputOf(req));
  }
}
