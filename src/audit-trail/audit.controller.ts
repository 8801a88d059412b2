import { ReadsFromReplica } from '../database/replicas/read-route';
import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { DOWNLOAD_CSP } from '../common/http/download-policy';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { Ctx, type RequestContext } from '../common/request-context';
import { CSV_COLUMNS, toCsvLine } from '../audit/audit.mappers';
import { AuditTrailService } from './audit-trail.service';
import { AuditCheckpointQueryDto } from './dto/audit-checkpoint-query.dto';
import { AuditEventFilterDto, AuditEventListQueryDto } from './dto/audit-event-query.dto';
import { AuditTimelineQueryDto } from './dto/audit-timeline-query.dto';
import { VerifyAuditChainDto } from './dto/verify-audit-chain.dto';

/**
 * The auditor's window on the trail: events of their country, a record's timeline, exports, signed
 * checkpoints and chain verification. Reads only; each read is recorded as an audit event itself.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditController {
  constructor(private readonly trail: AuditTrailService) {}

  /** Events newest first, filtered, with keyset pagination. */
  @Get()
  @RequirePermission('audit.read')
  @ReadsFromReplica()
  list(@Ctx() ctx: RequestContext, @Query() query: AuditEventListQueryDto) {
    const { limit, cursor, ...filters } = query;
    return this.trail.list(ctx, filters, { limit, cursor });
  }

  /** One record's history, oldest first. */
  @Get('timeline')
  @RequirePermission('audit.read')
  @ReadsFromReplica()
  timeline(@Ctx() ctx: RequestContext, @Query() query: AuditTimelineQueryDto) {
    return this.trail.timeline(ctx, query.recordType, query.recordId, {
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  /** Every matching event, oldest first, streamed: NDJSON, or CSV with `Accept: text/csv`. */
  @Get('export')
  @RequirePermission('audit.read')
  @ApiProduces('application/x-ndjson', 'text/csv')
  async export(
    @Ctx() ctx: RequestContext,
    @Query() filters: AuditEventFilterDto,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const format = accept && /\btext\/csv\b/i.test(accept) ? 'csv' : 'ndjson';
    const batches = await this.trail.export(ctx, { ...filters }, format);
    async function* lines(): AsyncGenerator<string> {
      if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
      for await (const batch of batches)
        yield batch
          .map((event) => (format === 'csv' ? toCsvLine(event) : `${JSON.stringify(event)}\n`))
          .join('');
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="audit-events-${stamp}.${format}"`)
      .header('content-security-policy', DOWNLOAD_CSP)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines(), { objectMode: false }));
  }

  /** Signed checkpoints, newest first. */
  @Get('checkpoints')
  @RequirePermission('audit.chain')
  checkpoints(@Ctx() ctx: RequestContext, @Query() query: AuditCheckpointQueryDto) {
    return this.trail.checkpoints(ctx, { limit: query.limit, cursor: query.cursor });
  }

  /** The newest signed checkpoint (`null` while there is none). */
  @Get('checkpoints/latest')
  @RequirePermission('audit.chain')
  async latestCheckpoint(@Ctx() ctx: RequestContext) {
    return { checkpoint: await this.trail.latestCheckpoint(ctx) };
  }

  /** The Ed25519 public key that verifies checkpoint signatures. */
  @Get('checkpoints/public-key')
  @RequirePermission('audit.verify')
  publicKey(@Ctx() ctx: RequestContext) {
    return this.trail.publicKey(ctx);
  }

  /**
   * Recomputes the chain (or a part of it) and checks every signed checkpoint in it; with `checkpoint`,
   * also that the chain still hashes to a checkpoint kept outside the database (the witness file).
   * A country's auditor verifies the whole chain and learns whether it holds; the platform operator
   * also learns where it breaks and may verify a range.
   */
  @Post('verify')
  @HttpCode(200)
  @RequirePermission('audit.verify')
  verify(@Ctx() ctx: RequestContext, @Body() body: VerifyAuditChainDto) {
    return this.trail.verify(ctx, { fromSeq: body.fromSeq, toSeq: body.toSeq, checkpoint: body.checkpoint });
  }
}
