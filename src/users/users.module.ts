import { Module } from '@nestjs/common';
import { AssignableOfficersController } from './assignable-officers.controller';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RoleChangesController } from './role-changes.controller';
import { RoleChangesService } from './role-changes.service';
import { RoleChangesStore } from './role-changes.store';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController, RoleChangesController, AssignableOfficersController],
  providers: [UsersService, RoleChangesService, RoleChangesStore],
  exports: [UsersService],
})
export class UsersModule {}
