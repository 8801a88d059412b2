import { Body, Controller, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import { ReadsFromReplica, ReducesVisibility } from '../database/replicas/read-route';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { ValidationFailedError } from '../common/errors/domain-errors';
import { AppConfig } from '../config/app-config.service';
import { UuidParam } from '../common/http/uuid-param';
import { ApiPageResponse } from '../common/pagination/api-page-response.decorator';
import type { Page } from '../common/pagination/page';
import { Ctx, RequestContext } from '../common/request-context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ArrestBatchBody, ArrestBatchBodyPipe } from './arrest-batch-body.pipe';
import { ARREST_CSV_COLUMNS } from './arrest-csv';
import { ArrestCorrectionService } from './arrest-correction.service';
import { ArrestImportService, IMPORT_MAX_BYTES } from './arrest-import.service';
import { ArrestsService } from './arrests.service';
import { spooledSlices, spoolUpload } from './upload-spool';
import {
  ArrestBatchDto,
  ArrestBatchResultView,
  ArrestView,
  ChangeCustodyDto,
  CorrectArrestDto,
  CreateArrestDto,
  CustodyHistoryEntryView,
  ListArrestsQueryDto,
  RaidOptionsQueryDto,
  ShareArrestDto,
} from './dto/arrest.dto';

@ApiTags('arrests')
@ApiBearerAuth()
@Controller('arrests')
export class ArrestsController {
  constructor(
    private readonly arrests: ArrestsService,
    private readonly imports: ArrestImportService,
    private readonly corrections: ArrestCorrectionService,
    private readonly config: AppConfig,
  ) {}

  /** Arrests the caller's country made, shared with it, or of its nationals on a repatriation request it sees. */
  @RequirePermission('arrests.read')
  @Get()
  @ReadsFromReplica()
  @ApiPageResponse(ArrestView)
  list(@Ctx() ctx: RequestContext, @Query() query: ListArrestsQueryDto): Promise<Page<ArrestView>> {
    return this.arrests.list(ctx, query);
  }

  @RequirePermission('arrests.read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<ArrestView> {
    return this.arrests.get(ctx, id);
  }

  /** An officer of the arresting country records one arrest (an existing person or a new one). */
  @RequirePermission('arrests.write')
  @Idempotent()
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() body: CreateArrestDto): Promise<ArrestView> {
    return this.arrests.create(ctx, body);
  }

  /**
   * One raid of up to 2,000 arrests, all or nothing; errors as `{ row, field, message }`. Rows repeating
   * a recorded arrest answer 409 unless `allowDuplicates=true`.
   */
  @RequirePermission('arrests.write')
  @Idempotent()
  @Post('batch')
  @ApiBody({ type: ArrestBatchDto })
  batch(
    @Ctx() ctx: RequestContext,
    @Body(ArrestBatchBodyPipe) body: ArrestBatchBody,
    @Query() options: RaidOptionsQueryDto,
  ): Promise<ArrestBatchResultView> {
    return this.arrests.batch(ctx, body, { allowDuplicates: options.allowDuplicates === 'true' });
  }

  /**
   * The same as a CSV file (`Content-Type: text/csv`, UTF-8); see the README for the header. The whole
   * body is read first, within UPLOAD_IDLE_TIMEOUT_MS / UPLOAD_TOTAL_TIMEOUT_MS (else 408), and only then
   * does the import open its transaction: a slow upload never holds a database connection.
   */
  @RequirePermission('arrests.write')
  @Post('import')
  @ApiConsumes('text/csv')
  @ApiBody({ description: `CSV with a header row; columns: ${ARREST_CSV_COLUMNS.join(', ')}` })
  async importCsv(
    @Ctx() ctx: RequestContext,
    @Req() request: FastifyRequest,
    @Query() options: RaidOptionsQueryDto,
  ): Promise<ArrestBatchResultView> {
    const body = request.body;
    if (!(body instanceof Readable))
      throw new ValidationFailedError([
        { field: 'Content-Type', message: 'the import takes a CSV body with Content-Type: text/csv' },
      ]);
    const file = await spoolUpload(body, {
      maxBytes: IMPORT_MAX_BYTES,
      idleMs: this.config.get('UPLOAD_IDLE_TIMEOUT_MS'),
      totalMs: this.config.get('UPLOAD_TOTAL_TIMEOUT_MS'),
    });
    return this.imports.importCsv(ctx, spooledSlices(file), {
      allowDuplicates: options.allowDuplicates === 'true',
    });
  }

  /**
   * The arresting country's officer corrects the arrest record (a raid's typo): the fields given, with the
   * version read. A time moved onto a day the person's arrest is already recorded answers 409 unless
   * `allowDuplicates=true`; the nationality is refused (409) while a repatriation request for the arrest
   * is under way with the person's country. The countries that read the arrest are told which fields changed.
   */
  @RequirePermission('arrests.write')
  @Patch(':id')
  // A corrected nationality takes the arrest out of its old country's sight where only that country's own
  // repatriation draft for it opened it (`arrestScope` reads the nationality).
  @ReducesVisibility()
  correct(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: CorrectArrestDto,
    @Query() options: RaidOptionsQueryDto,
  ): Promise<ArrestView> {
    return this.corrections.correct(ctx, id, body, { allowDuplicates: options.allowDuplicates === 'true' });
  }

  /** The arresting country's officer changes the custody status (not to `repatriated`: a handover does that). */
  @RequirePermission('arrests.write')
  @Post(':id/custody')
  @HttpCode(200)
  changeCustody(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ChangeCustodyDto,
  ): Promise<ArrestView> {
    return this.arrests.changeCustody(ctx, id, body);
  }

  @RequirePermission('arrests.read')
  @Get(':id/custody')
  custodyHistory(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CustodyHistoryEntryView[]> {
    return this.arrests.custodyHistory(ctx, id);
  }

  /** The arresting country's liaison shares the arrest with another country. */
  @RequirePermission('arrests.share')
  @Post(':id/shares')
  @HttpCode(200)
  share(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: ShareArrestDto,
  ): Promise<ArrestView> {
    return this.arrests.share(ctx, id, body);
  }
}
