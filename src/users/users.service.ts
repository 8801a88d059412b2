import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { userScope } from '../access/user-scope';
import { AuditService } from '../audit/audit.service';
import { CurrentUserCache } from './current-user.cache';
import { passwordHasher } from './password-hasher';
import { usernamePrefixProblem } from './username';
import { passwordProblem } from './password-policy';
import { CountryRole, PLATFORM_ADMIN } from '../common/permissions/roles';
import { SessionsService } from './sessions.service';
import { SignInAddressesStore } from './sign-in-addresses.store';
import { ConflictError, FieldError, ValidationFailedError } from '../common/errors/domain-errors';
import { decodeCursor, Page, pageLimit, toPage } from '../common/pagination/page';
import { Actor, actorOf, RequestContext } from '../common/request-context';
import { COMMAND_LINE_USER_ID } from './command-line-actor';
import { Clock } from '../common/time/clock';
import { conflictOnUniqueViolation } from '../database/pg-errors';
import { TransactionService } from '../database/transaction.service';
import { Agency } from '../reference-data/agency.entity';
import { isCountryAdmin, sameRoles, widensAccess } from './role-change-rules';
import type {
  CreateUserDto,
  ListUsersQueryDto,
  ResetPasswordDto,
  UpdateUserDto,
} from './dto/user-commands.dto';
import { AssignableOfficerView, toUserView, UserView } from './dto/user-view.dto';
import { User } from './user.entity';
import { AccountCreated, PasswordResetRequested } from './user-events';
import { DomainEventBus } from '../common/events/domain-event-bus';

const AUDITED_FIELDS = ['displayName', 'agencyId', 'countryCode', 'roles', 'status'] as const;
const auditedFields = (user: Partial<User>) =>
  Object.fromEntries(AUDITED_FIELDS.filter((f) => f in user).map((f) => [f, user[f]]));

/** Account administration: a country's admin manages the accounts of that country only. */
/** A pick list's bound: a country's officers number in the hundreds, not thousands. */
const ASSIGNABLE_MAX = 1000;

@Injectable()
export class UsersService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly cache: CurrentUserCache,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly events: DomainEventBus,
    private readonly addresses: SignInAddressesStore,
  ) {}

  private get repo() {
    return this.tx.manager.getRepository(User);
  }

  async me(ctx: RequestContext): Promise<UserView> {
    const user = await this.repo.findOneByOrFail({ id: actorOf(ctx).userId });
    return toUserView(user, this.clock.now());
  }

  /** Active officers of the caller's country, by name (a pick list: at most `ASSIGNABLE_MAX`). */
  async assignableOfficers(ctx: RequestContext): Promise<AssignableOfficerView[]> {
    const rows: Array<{ id: string; display_name: string }> = await this.tx.manager.query(
      `SELECT id, display_name FROM app_user
        WHERE country_code = $1 AND status = 'active' AND 'officer' = ANY(roles)
        ORDER BY display_name, id LIMIT ${ASSIGNABLE_MAX}`,
      [actorOf(ctx).countryCode],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  async list(ctx: RequestContext, query: ListUsersQueryDto): Promise<Page<UserView>> {
    const scope = userScope(actorOf(ctx));
    const limit = pageLimit(query);
    const qb = this.repo.createQueryBuilder('u').where(scope.sql, scope.params);
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
    const after = decodeCursor(query.cursor);
    if (after) qb.andWhere('(u.created_at, u.id) < (:at, :id)', { at: after.at, id: after.id });
    const rows = await qb
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const now = this.clock.now();
    return toPage(
      rows,
      limit,
      (u) => ({ at: u.createdAt.toISOString(), id: u.id }),
      (u) => toUserView(u, now),
    );
  }

  async get(ctx: RequestContext, id: string): Promise<UserView> {
    return toUserView(await this.findVisible(ctx, id), this.clock.now());
  }

  create(ctx: RequestContext, dto: CreateUserDto): Promise<UserView> {
    const actor = actorOf(ctx);
    return this.tx.run(async () => {
      const agency = await this.agencyFor(actor, dto.agencyId, 'agencyId');
      const problems: FieldError[] = [];
      // The platform administrator only creates each country's first admins.
      if (
        actor.roles.includes(PLATFORM_ADMIN) &&
        !actor.roles.includes('admin') &&
        (dto.roles.length !== 1 || dto.roles[0] !== 'admin')
      ) {
        problems.push({
          field: 'roles',
          message: "the platform administrator creates accounts with the role 'admin' only",
        });
      }
      const unprefixed = usernamePrefixProblem(dto.username, agency.countryCode);
      if (unprefixed) problems.push({ field: 'username', message: unprefixed });
      const weak = passwordProblem(dto.password);
      if (weak) problems.push({ field: 'password', message: `password ${weak}` });
      if (problems.length) throw new ValidationFailedError(problems);
      const taken = await this.repo
        .createQueryBuilder('u')
        .where('lower(u.username) = :name', { name: dto.username })
        .getExists();
      const usernameTaken = () => new ConflictError(`The username '${dto.username}' is taken.`);
      if (taken) throw usernameTaken();

      // Four eyes: an account a country admin creates is enabled by a second admin of the country, so
      // no admin alone makes a reader whose password it knows. The platform administrator's accounts
      // (a country's first admins, who read nothing) start active.
      const byCountryAdmin = !actor.roles.includes(PLATFORM_ADMIN);
      const user = await conflictOnUniqueViolation(
        this.repo.save(
          this.repo.create({
            username: dto.username,
            displayName: dto.displayName,
            agencyId: agency.id,
            countryCode: agency.countryCode,
            roles: dto.roles,
            status: byCountryAdmin ? 'disabled' : 'active',
            // The command line is no account (COMMAND_LINE_USER_ID): its accounts have no creator.
            createdBy: actor.userId === COMMAND_LINE_USER_ID ? null : actor.userId,
            // Whoever chose the password holds it (MfaEnrolmentPassService asks).
            passwordSetBy: actor.userId === COMMAND_LINE_USER_ID ? null : actor.userId,
            passwordHash: await passwordHasher.hash(dto.password),
            passwordChangedAt: this.clock.now(),
            failedLogins: 0,
          }),
        ),
        usernameTaken,
      );
      await this.audit.record(ctx, {
        action: 'user.create',
        recordType: 'user',
        recordId: user.id,
        ownerCountry: user.countryCode,
        after: { username: user.username, ...auditedFields(user) },
      });
      if (byCountryAdmin)
        await this.events.publish(
          new AccountCreated(
            { id: user.id, username: user.username, countryCode: user.countryCode! },
            user.roles as CountryRole[],
            actor.username,
          ),
        );
      return toUserView(user, this.clock.now());
    });
  }

  async update(ctx: RequestContext, id: string, dto: UpdateUserDto): Promise<UserView> {
    const actor = actorOf(ctx);
    const view = await this.tx.run(async () => {
      const user = await this.findVisible(ctx, id);
      await this.refuseUnlessCountryAdmin(ctx, user);
      const changes: Partial<User> = {};
      if (dto.displayName !== undefined) changes.displayName = dto.displayName;
      if (dto.agencyId !== undefined) {
        const agency = await this.agencyFor(actor, dto.agencyId, 'agencyId', user.countryCode);
        changes.agencyId = agency.id;
      }
      if (dto.roles !== undefined && !sameRoles(user.roles, dto.roles)) {
        await this.refuseRoleChangeBy(ctx, user);
        if (user.roles.includes(PLATFORM_ADMIN))
          throw new ValidationFailedError([
            { field: 'roles', message: 'the platform administrator has no country roles' },
          ]);
        if (widensAccess(user.roles, dto.roles))
          throw new ValidationFailedError([
            {
              field: 'roles',
              message:
                'roles that widen access need a second admin: ask with POST /users/{id}/role-changes, another admin of the country approves',
            },
          ]);
        changes.roles = dto.roles;
      }
      return this.applyChange(ctx, user, dto.version, changes, 'user.update');
    });
    await this.cache.invalidateUser(id);
    return view;
  }

  /**
   * The platform administrator manages admin accounts' status only (create, disable, enable, unlock):
   * it edits no account and resets no password, so it can never hand itself a way into a country.
   */
  async refuseUnlessCountryAdmin(ctx: RequestContext, user: User): Promise<void> {
    if (isCountryAdmin(actorOf(ctx))) return;
    await this.access.forbidden(
      ctx,
      { recordType: 'user', recordId: user.id, ownerCountry: user.countryCode },
      'The platform administrator manages admin accounts’ status only.',
    );
  }

  /** Nobody changes their own roles; the platform administrator changes nobody's. */
  refuseRoleChangeBy(ctx: RequestContext, user: User): Promise<void> {
    return this.refuseUnlessAdminOfAnother(ctx, user, 'Nobody changes their own roles.');
  }

  /**
   * What a country admin does to another account of their country only (its roles, its second factor):
   * refused (403, audited) to the platform administrator, and to anyone on their own account (`own`
   * says why).
   */
  async refuseUnlessAdminOfAnother(ctx: RequestContext, user: User, own: string): Promise<void> {
    await this.refuseUnlessCountryAdmin(ctx, user);
    if (user.id === actorOf(ctx).userId)
      await this.access.forbidden(
        ctx,
        { recordType: 'user', recordId: user.id, ownerCountry: user.countryCode },
        own,
      );
  }

  async setStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled'): Promise<UserView> {
    const view = await this.tx.run(async () => {
      const user = await this.findVisible(ctx, id);
      if (status === 'disabled' && user.id === actorOf(ctx).userId)
        throw new ConflictError('You cannot disable your own account.');
      const actor = actorOf(ctx);
      if (status === 'active' && user.createdBy === actor.userId && !actor.roles.includes(PLATFORM_ADMIN))
        return this.access.forbidden(
          ctx,
          { recordType: 'user', recordId: user.id, ownerCountry: user.countryCode },
          'A second admin of the country enables an account you created.',
        );
      if (user.status === status) return toUserView(user, this.clock.now());
      if (status === 'disabled') await this.sessions.revokeAllOfUser(user.id);
      return this.applyChange(
        ctx,
        user,
        user.version,
        { status },
        status === 'disabled' ? 'user.disable' : 'user.enable',
      );
    });
    await this.cache.invalidateUser(id);
    return view;
  }

  unlock(ctx: RequestContext, id: string): Promise<UserView> {
    return this.tx.run(async () => {
      const user = await this.findVisible(ctx, id);
      await this.addresses.unlockAll(user.id);
      return this.applyChange(
        ctx,
        user,
        user.version,
        { failedLogins: 0, failedLoginsSince: null, lockedUntil: null },
        'user.unlock',
      );
    });
  }

  /**
   * Four eyes, as for a new account: the admin sets a password it knows, so the account cannot sign in
   * (and no token of it is accepted) until a second admin of the country confirms the reset
   * (`confirmPasswordReset`). Every session of the account ends here.
   */
  async resetPassword(ctx: RequestContext, id: string, dto: ResetPasswordDto): Promise<void> {
    const weak = passwordProblem(dto.newPassword);
    if (weak) throw new ValidationFailedError([{ field: 'newPassword', message: `newPassword ${weak}` }]);
    await this.tx.run(async () => {
      const user = await this.findVisible(ctx, id);
      await this.refuseUnlessCountryAdmin(ctx, user);
      await this.sessions.revokeAllOfUser(user.id);
      // The addresses it signed in from did so with the old password: strangers now, their lockouts gone.
      await this.addresses.forgetAll(user.id);
      await this.applyChange(
        ctx,
        user,
        user.version,
        {
          passwordHash: await passwordHasher.hash(dto.newPassword),
          passwordChangedAt: this.clock.now(),
          passwordResetBy: actorOf(ctx).userId,
          passwordSetBy: actorOf(ctx).userId,
          failedLogins: 0,
          lockedUntil: null,
        },
        'user.password.reset',
        { awaitsConfirmation: true },
      );
      // A country admin finds only its own country's accounts: the account has the admin's country.
      await this.events.publish(
        new PasswordResetRequested(
          { id: user.id, username: user.username, countryCode: user.countryCode! },
          actorOf(ctx).username,
        ),
      );
    });
    await this.cache.invalidateUser(id);
  }

  /** A second admin of the country (not the one who reset it, not the account itself) lets it sign in. */
  async confirmPasswordReset(ctx: RequestContext, id: string): Promise<UserView> {
    const actor = actorOf(ctx);
    const view = await this.tx.run(async () => {
      const user = await this.findVisible(ctx, id);
      await this.refuseUnlessCountryAdmin(ctx, user);
      const record = { recordType: 'user', recordId: user.id, ownerCountry: user.countryCode };
      if (!user.passwordResetBy)
        throw new ConflictError('No password reset of this account awaits a confirmation.');
      if (user.passwordResetBy === actor.userId)
        return this.access.forbidden(ctx, record, 'A second admin of the country confirms a reset you made.');
      if (user.id === actor.userId)
        return this.access.forbidden(ctx, record, 'Nobody confirms a reset of their own password.');
      return this.applyChange(
        ctx,
        user,
        user.version,
        { passwordResetBy: null },
        'user.password.reset.confirm',
        { resetBy: user.passwordResetBy },
      );
    });
    await this.cache.invalidateUser(id);
    return view;
  }

  /** A conditional update on the version the caller saw, with its audit event (inside a transaction). */
  async applyChange(
    ctx: RequestContext,
    user: User,
    version: number,
    changes: Partial<User>,
    action: string,
    details?: Record<string, unknown>,
  ): Promise<UserView> {
    const result = await this.repo.update({ id: user.id, version }, changes);
    if (result.affected !== 1)
      throw new ConflictError('The user was changed by someone else; reload and try again.');
    const before = auditedFields(
      Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof User]])) as Partial<User>,
    );
    await this.audit.record(ctx, {
      action,
      recordType: 'user',
      recordId: user.id,
      ownerCountry: user.countryCode,
      before,
      after: auditedFields(changes),
      ...(details ? { details } : {}),
    });
    return toUserView(await this.repo.findOneByOrFail({ id: user.id }), this.clock.now());
  }

  async findVisible(ctx: RequestContext, id: string): Promise<User> {
    const scope = userScope(actorOf(ctx));
    const user = await this.repo
      .createQueryBuilder('u')
      .where('u.id = :id', { id })
      .andWhere(scope.sql, scope.params)
      .getOne();
    return user ?? this.access.notFound(ctx, { recordType: 'user', recordId: id }, 'The user');
  }

  /** The agency, if the actor may place accounts in it; another country's agency is a 400 on the field. */
  private async agencyFor(
    actor: Actor,
    agencyId: string,
    field: string,
    mustBeCountry?: string | null,
  ): Promise<Agency> {
    const agency = await this.tx.manager.getRepository(Agency).findOneBy({ id: agencyId });
    const country =
      mustBeCountry ?? (actor.roles.includes('admin') ? actor.countryCode : agency?.countryCode);
    if (!agency || agency.countryCode !== country) {
      throw new ValidationFailedError([
        { field, message: `${field} must be an agency of ${country ?? 'an existing country'}` },
      ]);
    }
    return agency;
  }
}
