import { Global, Module } from '@nestjs/common';
import { ReleaseService } from './release.service';

/** The release rule, global like access: every module that lets data cross a border uses it. */
@Global()
@Module({ providers: [ReleaseService], exports: [ReleaseService] })
export class SharingModule {}
