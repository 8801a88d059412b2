import { Module } from '@nestjs/common';
import { AssignableOfficersController } from './assignable-officers.controller';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoleChangesController } from './role-changes.controller';
import { RoleChangesService } from './role-changes.service';
import { RoleChangesStore } from './role-changes.store';
import { CurrentUserCache } from './current-user.cache';
import { RefreshToken } from './refresh-token.entity';
import { SessionsService } from './sessions.service';
import { SignInAddressesStore } from './sign-in-addresses.store';
import { SignInAddressesSweepService } from './sign-in-addresses-sweep.service';
import { User } from './user.entity';
import { UserCacheInvalidations } from './user-cache-invalidations';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { AccessModule } from '../access/access.module';
import { JobsModule } from '../jobs/jobs.module';

/**
 * Accounts with what hangs on them: passwords, sessions (refresh tokens) and the short-lived copy of
 * each user the guard reads. They live here, not in auth, because disabling an account or changing its
 * roles must drop its sessions and cached copy in the same command; auth (sign-in, tokens, the guard)
 * builds on them.
 */
@Module({
  imports: [AccessModule, JobsModule, TypeOrmModule.forFeature([User, RefreshToken])],
  controllers: [UsersController, RoleChangesController, AssignableOfficersController],
  providers: [
    UsersService,
    RoleChangesService,
    RoleChangesStore,
    SessionsService,
    SignInAddressesStore,
    SignInAddressesSweepService,
    CurrentUserCache,
    UserCacheInvalidations,
  ],
  exports: [UsersService, SessionsService, SignInAddressesStore, CurrentUserCache],
})
export class UsersModule {}
