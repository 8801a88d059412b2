import { IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';

export class ListAttachmentsQueryDto extends PageQueryDto {}

export class WithdrawAttachmentDto {
  /** Why the file is withdrawn (kept in the record and in the audit trail). */
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;
}

export class AttachmentParentView {
  /** `case`, `person`, `request` (an information request), `arrest`, `asset_freeze_target` or `blacklist_entry`. */
  type!: string;
  id!: string;
}

export class AttachmentUploaderView {
  country!: string;
  /** The uploading user; named only to their own country (another country sees the country alone). */
  userId!: string | null;
  username!: string | null;
}

export class AttachmentView {
  id!: string;
  parent!: AttachmentParentView;
  filename!: string;
  /** Detected from the bytes at upload, not taken from the client. */
  mediaType!: string;
  sizeBytes!: number;
  /** Lower-case hex SHA-256 of the content; also the download's ETag. */
  sha256!: string;
  uploadedBy!: AttachmentUploaderView;
  uploadedAt!: string;
  /** `active`, `superseded` (a newer version names it) or `withdrawn`. */
  status!: string;
  supersedes!: string | null;
  supersededBy!: string | null;
  withdrawnAt!: string | null;
  withdrawalReason!: string | null;
}

export class AttachmentVerificationView {
  id!: string;
  /** The hash recorded at upload. */
  sha256!: string;
  /** True when the stored bytes still hash to `sha256` and have the recorded size. */
  ok!: boolean;
  /** The hash of the bytes stored now; null when they are missing. */
  actualSha256!: string | null;
  sizeBytes!: number;
  actualSizeBytes!: number | null;
  checkedAt!: string;
}
