import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/permissions/require-permission.decorator';
import { Ctx, RequestContext } from '../common/request-context';
import { AssignableOfficerView } from './dto/user-view.dto';
import { UsersService } from './users.service';

/**
 * Its own path, not under `/users/`, where any other word would read as an account id to
 * `/users/:id` and its other methods.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('assignable-officers')
export class AssignableOfficersController {
  constructor(private readonly users: UsersService) {}

  /**
   * The active officers of the caller's own country, by name: whom a liaison may assign a request to
   * and an officer may name as a case's lead. Id and display name only.
   */
  @RequirePermission('users.assignable')
  @Get()
  list(@Ctx() ctx: RequestContext): Promise<AssignableOfficerView[]> {
    return this.users.assignableOfficers(ctx);
  }
}
