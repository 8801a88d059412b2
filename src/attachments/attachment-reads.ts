import type { EntityManager } from 'typeorm';
import { inOwnersTrailIfTold } from '../access/owner-trail';
import type { AuditEventInput } from '../audit/audit-event.input';
import { actorOf, RequestContext } from '../common/request-context';
import type { AttachmentRow } from './attachments.store';

/**
 * The audit event of a read of a file (its download, alone or in a case bundle, a refused download, a
 * re-check), as it is written: every read passes here. The chain of custody puts it in the file's owner's
 * trail with the reader's country as counterpart, so the owner sees who took what it gave — where it gave
 * it: a file of a person the reader's country holds only because a partner passed the person on (a case
 * of its own shared onward) is the reader's country's alone, with the owner in `details.fileOwner`; in
 * the owner's trail it told the owner where its partner sent its person (probe r36, src/access/owner-trail.ts).
 */
export function fileReadEvent(
  manager: EntityManager,
  ctx: RequestContext,
  attachment: AttachmentRow,
  event: AuditEventInput,
): Promise<AuditEventInput> {
  // A case's, a request's or an arrest's file reaches a country only from the record's owner.
  if (attachment.parent_type !== 'person') return Promise.resolve(event);
  return inOwnersTrailIfTold(
    manager,
    actorOf(ctx).countryCode,
    event,
    { person: attachment.parent_id },
    'fileOwner',
  );
}
