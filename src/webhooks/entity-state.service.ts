import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedEvent } from '../integrations/provider';

/** Why an event is stale, or null when it is the newest news about its entity. */
export type Staleness = null | 'older_than_seen' | 'after_delete';

/**
 * Out-of-order detection per entity_key (docs/api.md): an event whose provider timestamp is older
 * than the newest already processed for its entity, or that follows the entity's deletion (other
 * than a restore), is stale. Stale events are still stored and fanned out, marked, and never notified.
 */
@Injectable()
export class EntityStateService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records `event` against its entity's state and says whether it is stale; events without an entity_key never are. */
  async observe(tenantId: string, event: NormalizedEvent): Promise<Staleness> {
    if (!event.entityKey) return null;
    const occurredAt = event.occurredAt ?? null;
    const action = (type: string | null | undefined, ...suffixes: string[]): boolean =>
      !!type && suffixes.some((suffix) => type.endsWith(`.${suffix}`) || type.endsWith(`_${suffix}`));
    // the action is in the type (lead.deleted) or, for providers like GitHub, in the subtype (issues_deleted)
    const deleting = action(event.eventType, 'deleted') || action(event.eventSubtype, 'deleted');
    const restoring =
      action(event.eventType, 'restored', 'created') || action(event.eventSubtype, 'restored', 'created');
    return this.dataSource.transaction(async (manager) => {
      const [state] = await manager.query<{ last_occurred_at: Date | null; deleted: boolean }[]>(
        `SELECT last_occurred_at, deleted FROM entity_states WHERE tenant_id = $1 AND entity_key = $2 FOR UPDATE`,
        [tenantId, event.entityKey],
      );
      const stale = staleness(
        state ? { lastOccurredAt: state.last_occurred_at, deleted: state.deleted } : null,
        occurredAt,
        restoring,
      );
      if (!stale) {
        await manager.query(
          `INSERT INTO entity_states (tenant_id, entity_key, last_occurred_at, deleted, updated_at)
           VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (tenant_id, entity_key) DO UPDATE SET
             last_occurred_at = GREATEST(entity_states.last_occurred_at, EXCLUDED.last_occurred_at),
             deleted = EXCLUDED.deleted, updated_at = now()`,
          [tenantId, event.entityKey, occurredAt, deleting],
        );
      }
      return stale;
    });
  }
}

/** The rule itself, kept pure for its unit spec. */
export function staleness(
  state: { lastOccurredAt: Date | null; deleted: boolean } | null,
  occurredAt: Date | null,
  restoring: boolean,
): Staleness {
  if (!state) return null;
  if (occurredAt && state.lastOccurredAt && occurredAt < state.lastOccurredAt) return 'older_than_seen';
  if (state.deleted && !restoring) return 'after_delete';
  return null;
}
