import { Injectable } from '@nestjs/common';
import type { CountryRole } from '../common/permissions/roles';
import { returningRows } from '../database/returning';
import { TransactionService } from '../database/transaction.service';
import type { RoleChangeView } from './dto/role-change.dto';

interface Row {
  id: string;
  user_id: string;
  country_code: string;
  from_roles: CountryRole[];
  to_roles: CountryRole[];
  user_version: number;
  status: RoleChangeView['status'];
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface RoleChange extends RoleChangeView {
  userVersion: number;
}

const toChange = (r: Row): RoleChange => ({
  id: r.id,
  userId: r.user_id,
  countryCode: r.country_code,
  fromRoles: r.from_roles,
  toRoles: r.to_roles,
  userVersion: r.user_version,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
});

export const toRoleChangeView = ({ userVersion: _, ...view }: RoleChange): RoleChangeView => view;

/** The SQL of `user_role_change`: requested and approved role changes. */
@Injectable()
export class RoleChangesStore {
  constructor(private readonly tx: TransactionService) {}

  async insert(change: {
    userId: string;
    countryCode: string;
    fromRoles: readonly CountryRole[];
    toRoles: readonly CountryRole[];
    userVersion: number;
    status: 'pending' | 'applied';
    requestedBy: string;
  }): Promise<RoleChange> {
    const [row] = await this.tx.manager.query(
      `INSERT INTO user_role_change (user_id, country_code, from_roles, to_roles, user_version, status, requested_by, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $6 = 'applied' THEN $7::uuid END, CASE WHEN $6 = 'applied' THEN now() END)
       RETURNING *`,
      [
        change.userId,
        change.countryCode,
        change.fromRoles,
        change.toRoles,
        change.userVersion,
        change.status,
        change.requestedBy,
      ],
    );
    return toChange(row as Row);
  }

  /** One change of one account of the given country (null: absent, or of another country). */
  async find(changeId: string, userId: string, countryCode: string): Promise<RoleChange | null> {
    const rows: Row[] = await this.tx.manager.query(
      `SELECT * FROM user_role_change WHERE id = $1 AND user_id = $2 AND country_code = $3`,
      [changeId, userId, countryCode],
    );
    return rows[0] ? toChange(rows[0]) : null;
  }

  /** pending → approved, by a conditional UPDATE: of two approvals at once exactly one wins. */
  async markApproved(changeId: string, approvedBy: string): Promise<RoleChange | null> {
    const [row] = await returningRows<Row>(
      this.tx.manager,
      `UPDATE user_role_change SET status = 'approved', decided_by = $2, decided_at = now()
        WHERE id = $1 AND status = 'pending' RETURNING *`,
      [changeId, approvedBy],
    );
    return row ? toChange(row) : null;
  }

  async listForUser(userId: string): Promise<RoleChange[]> {
    const rows: Row[] = await this.tx.manager.query(
      `SELECT * FROM user_role_change WHERE user_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 200`,
      [userId],
    );
    return rows.map(toChange);
  }
}
