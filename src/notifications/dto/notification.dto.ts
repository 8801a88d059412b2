import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { queryBoolean } from '../../common/http/validators';
import { PageQueryDto } from '../../common/pagination/page';

export class InboxQueryDto extends PageQueryDto {
  @IsOptional()
  @Transform(queryBoolean)
  @IsIn([true, false], { message: 'unreadOnly must be true or false' })
  unreadOnly?: boolean;
}

export class NotificationView {
  id!: string;
  eventType!: string;
  recordType!: string;
  recordId!: string;
  reference!: string | null;
  payload!: Record<string, unknown>;
  createdAt!: string;
  readAt!: string | null;
}

export class MarkedReadView {
  marked!: number;
}
