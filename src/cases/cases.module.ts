import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PersonsModule } from '../persons/persons.module';
import { CaseFile } from './case-file.entity';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import { AccessModule } from '../access/access.module';
import { SharingModule } from '../sharing/sharing.module';

@Module({
  imports: [AccessModule, SharingModule, TypeOrmModule.forFeature([CaseFile]), PersonsModule],
  controllers: [CasesController],
  providers: [CasesService],
  exports: [CasesService],
})
export class CasesModule {}
