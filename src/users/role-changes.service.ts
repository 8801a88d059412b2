import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { CurrentUserCache } from './current-user.cache';
import { PLATFORM_ADMIN, type CountryRole } from '../common/permissions/roles';
import { ConflictError, ValidationFailedError } from '../common/errors/domain-errors';
import { actorOf, RequestContext } from '../common/request-context';
import { TransactionService } from '../database/transaction.service';
import { DomainEventBus } from '../common/events/domain-event-bus';
import type { RequestRoleChangeDto, RoleChangeView } from './dto/role-change.dto';
import { approvalProblem, isCountryAdmin, widensAccess } from './role-change-rules';
import { RoleChangesStore, toRoleChangeView } from './role-changes.store';
import { RoleChangeRequested } from './user-events';
import { UsersService } from './users.service';

/**
 * Four eyes on roles: an admin asks for a change; one that only removes roles applies at once, one
 * that adds any role waits (`pending`) until a second admin of the same country approves it. The ask
 * is audited for the country (its auditors read it) and notified to its auditors and admins.
 */
@Injectable()
export class RoleChangesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly users: UsersService,
    private readonly store: RoleChangesStore,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly events: DomainEventBus,
    private readonly cache: CurrentUserCache,
  ) {}

  async request(ctx: RequestContext, userId: string, dto: RequestRoleChangeDto): Promise<RoleChangeView> {
    const actor = actorOf(ctx);
    const change = await this.tx.run(async () => {
      const user = await this.users.findVisible(ctx, userId);
      await this.users.refuseRoleChangeBy(ctx, user);
      if (user.roles.includes(PLATFORM_ADMIN) || !user.countryCode)
        throw new ValidationFailedError([
          { field: 'roles', message: 'the platform administrator has no country roles' },
        ]);
      if (user.version !== dto.version)
        throw new ConflictError('The user was changed by someone else; reload and try again.');
      const fromRoles = user.roles as CountryRole[];
      const base = {
        userId: user.id,
        countryCode: user.countryCode,
        fromRoles,
        toRoles: dto.roles,
        userVersion: user.version,
        requestedBy: actor.userId,
      };
      if (!widensAccess(fromRoles, dto.roles)) {
        await this.users.applyChange(ctx, user, dto.version, { roles: dto.roles }, 'user.update');
        return this.store.insert({ ...base, status: 'applied' });
      }
      const pending = await this.store.insert({ ...base, status: 'pending' });
      await this.audit.record(ctx, {
        action: 'user.role_change.request',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        before: { roles: fromRoles },
        after: { roles: dto.roles },
        details: { changeId: pending.id },
      });
      await this.events.publish(
        new RoleChangeRequested(
          pending.id,
          { id: user.id, username: user.username, countryCode: user.countryCode },
          fromRoles,
          dto.roles,
          actor.username,
        ),
      );
      return pending;
    });
    if (change.status === 'applied') await this.cache.invalidateUser(userId);
    return toRoleChangeView(change);
  }

  async approve(ctx: RequestContext, userId: string, changeId: string): Promise<RoleChangeView> {
    const actor = actorOf(ctx);
    const approved = await this.tx.run(async () => {
      const user = await this.users.findVisible(ctx, userId);
      const change = isCountryAdmin(actor)
        ? await this.store.find(changeId, user.id, actor.countryCode)
        : null;
      const record = { recordType: 'user_role_change', recordId: changeId, ownerCountry: user.countryCode };
      if (!change) return this.access.notFound(ctx, record, 'The role change');
      const problem = approvalProblem(actor, change);
      if (problem) return this.access.forbidden(ctx, record, problem);
      if (change.status !== 'pending') throw new ConflictError('The role change was already decided.');
      if (user.version !== change.userVersion)
        throw new ConflictError('The account changed since this role change was asked for; ask again.');
      const decided = await this.store.markApproved(change.id, actor.userId);
      if (!decided) throw new ConflictError('The role change was already decided.');
      await this.users.applyChange(
        ctx,
        user,
        change.userVersion,
        { roles: change.toRoles },
        'user.role_change.approve',
        { changeId: change.id, requestedBy: change.requestedBy },
      );
      return decided;
    });
    await this.cache.invalidateUser(userId);
    return toRoleChangeView(approved);
  }

  async list(ctx: RequestContext, userId: string): Promise<RoleChangeView[]> {
    const user = await this.users.findVisible(ctx, userId);
    return (await this.store.listForUser(user.id)).map(toRoleChangeView);
  }
}
