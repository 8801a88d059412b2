import type { Actor } from '../common/request-context';
import type { AttachmentRow } from './attachments.store';
import type { AttachmentView } from './dto/attachment.dto';

export function attachmentStatus(a: AttachmentRow): 'active' | 'superseded' | 'withdrawn' {
  if (a.withdrawn_at) return 'withdrawn';
  return a.superseded_by ? 'superseded' : 'active';
}

export function toAttachmentView(actor: Actor, a: AttachmentRow): AttachmentView {
  // Another country learns which country gave the file, not which of its officers.
  const own = actor.countryCode === a.uploader_country;
  return {
    id: a.id,
    parent: { type: a.parent_type, id: a.parent_id },
    filename: a.filename,
    mediaType: a.media_type,
    sizeBytes: Number(a.size_bytes),
    sha256: a.sha256,
    uploadedBy: {
      country: a.uploader_country,
      userId: own ? a.uploaded_by : null,
      username: own ? a.uploader_username : null,
    },
    uploadedAt: a.uploaded_at.toISOString(),
    status: attachmentStatus(a),
    supersedes: a.supersedes,
    supersededBy: a.superseded_by,
    withdrawnAt: a.withdrawn_at ? a.withdrawn_at.toISOString() : null,
    withdrawalReason: a.withdrawn_at ? a.withdrawal_reason : null,
  };
}

/**
 * Withdrawn content is read by the auditors of the country that gave and withdrew the file only. That
 * is the record's owner for a file on a case, person, arrest or blacklist entry; on a request or a
 * freeze target either side gives files (all stored under the origin), and a file the target withdrew
 * stays with the target's auditors, not the origin's.
 */
export function isGivingCountryAuditor(actor: Actor, a: AttachmentRow): boolean {
  return actor.roles.includes('auditor') && actor.countryCode === a.uploader_country;
}
