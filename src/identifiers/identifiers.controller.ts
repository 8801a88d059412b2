import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../common/request-context';
import { IdentifierDto, SeenInView } from './dto/identifier.dto';
import { IdentifiersService } from './identifiers.service';

@ApiTags('identifiers')
@ApiBearerAuth()
@Controller('identifiers')
export class IdentifiersController {
  constructor(private readonly identifiers: IdentifiersService) {}

  /**
   * The records carrying an identifier that the caller's country may see (its own, those shared with
   * it, requests sent to it), and how it holds each. Records it may not see are neither listed nor counted.
   */
  @RequirePermission('identifiers.read')
  @Get('seen-in')
  seenIn(@Ctx() ctx: RequestContext, @Query() query: IdentifierDto): Promise<SeenInView> {
    return this.identifiers.seenIn(ctx, query);
  }
}
