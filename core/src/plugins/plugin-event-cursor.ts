import type { MikroORM } from '@mikro-orm/sql';
import { forkForTenant } from '../db/create-orm.js';
import { withTenantScope } from '../db/tenant-scope.js';

/** Which cursor: one per plugin, tenant and subscription name. */
export interface CursorKey {
  tenantId: string;
  pluginId: string;
  name: string;
}

/** Where a cursor stands against what the tenant's outbox still holds. */
export interface CursorRetention {
  /** The tenant's last allocated position. */
  head: number;
  /** The oldest position still in the outbox after the cursor (undefined: none). */
  firstAfter?: number;
}

type Row = { position: number | string };

/**
 * The plugin event cursors (`plugin_event_cursor`), in the tenant's database scope. A cursor is
 * driven by the instance that holds its lease; every write is conditional on holding it, so an
 * instance that lost the lease (it stalled past `leaseUntil`) cannot move the cursor back or
 * acknowledge events another instance handles now.
 */
export class PluginEventCursors {
  constructor(
    private readonly orm: MikroORM,
    private readonly leaseMs: number,
  ) {}

  private run<T>(tenantId: string, sql: string, params: unknown[]): Promise<T[]> {
    return withTenantScope(tenantId, () =>
      forkForTenant(this.orm, tenantId).execute<T[]>(sql, params),
    );
  }

  /**
   * Takes or renews the lease for `owner`; a new cursor starts at the tenant's head (it follows
   * events committed from now on). The cursor's position, or undefined while another owner's
   * lease lasts.
   */
  async claim(key: CursorKey, owner: string): Promise<number | undefined> {
    const [row] = await this.run<Row>(
      key.tenantId,
      `insert into plugin_event_cursor as c
         (tenant_id, plugin_id, name, position, lease_owner, lease_until, updated_at)
       values (?, ?, ?, coalesce((select position from outbox_head where tenant_id = ?), 0),
               ?, now() + make_interval(secs => ?), now())
       on conflict (tenant_id, plugin_id, name) do update
         set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
         where c.lease_owner = excluded.lease_owner or c.lease_until is null or c.lease_until < now()
       returning c.position`,
      [key.tenantId, key.pluginId, key.name, key.tenantId, owner, this.leaseMs / 1000],
    );
    return row ? Number(row.position) : undefined;
  }

  /** Moves the cursor forward to `position` and renews the lease; false if the lease is lost. */
  async advance(key: CursorKey, owner: string, position: number): Promise<boolean> {
    const rows = await this.run<Row>(
      key.tenantId,
      `update plugin_event_cursor
         set position = greatest(position, ?), lease_until = now() + make_interval(secs => ?),
             updated_at = now()
       where tenant_id = ? and plugin_id = ? and name = ? and lease_owner = ?
       returning position`,
      [position, this.leaseMs / 1000, key.tenantId, key.pluginId, key.name, owner],
    );
    return rows.length === 1;
  }

  /** Gives the lease up (the next claim by any instance succeeds at once). */
  async release(key: CursorKey, owner: string): Promise<void> {
    await this.run(
      key.tenantId,
      `update plugin_event_cursor set lease_owner = null, lease_until = null
       where tenant_id = ? and plugin_id = ? and name = ? and lease_owner = ?`,
      [key.tenantId, key.pluginId, key.name, owner],
    );
  }

  /** The tenant's head and the first retained position after `position`. */
  async retention(tenantId: string, position: number): Promise<CursorRetention> {
    const [row] = await this.run<{ head: number | string | null; first: number | string | null }>(
      tenantId,
      `select (select position from outbox_head where tenant_id = ?) as head,
              (select min(position) from outbox_event where tenant_id = ? and position > ?) as first`,
      [tenantId, tenantId, position],
    );
    return {
      head: Number(row?.head ?? 0),
      firstAfter: row?.first == null ? undefined : Number(row.first),
    };
  }
}
