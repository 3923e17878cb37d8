import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NormalizedEvent } from '../integrations/provider';
import { WebhooksRepository } from './webhooks.repository';

/** Why an event is stale, or null when it is the newest news about its entity. */
export type Staleness = null | 'older_than_seen' | 'after_delete';

/**
 * Out-of-order detection per entity_key (docs/api.md): an event whose provider timestamp is older
 * than the newest already processed for its entity, or that follows the entity's deletion (other
 * than a restore), is stale. Stale events are still stored and fanned out, marked, and never notified.
 */
@Injectable()
export class EntityStateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: WebhooksRepository,
  ) {}

  /** Records `event` against its entity's state and says whether it is stale; events without an entity_key never are. */
  async observe(tenantId: string, event: NormalizedEvent): Promise<Staleness> {
    const entityKey = event.entityKey;
    if (!entityKey) return null;
    const occurredAt = event.occurredAt ?? null;
    const action = (type: string | null | undefined, ...suffixes: string[]): boolean =>
      !!type && suffixes.some((suffix) => type.endsWith(`.${suffix}`) || type.endsWith(`_${suffix}`));
    // the action is in the type (lead.deleted) or, for providers like GitHub, in the subtype (issues_deleted)
    const deleting = action(event.eventType, 'deleted') || action(event.eventSubtype, 'deleted');
    const restoring =
      action(event.eventType, 'restored', 'created') || action(event.eventSubtype, 'restored', 'created');
    return this.dataSource.transaction(async (manager) => {
      const state = await this.repository.lockEntityState(manager, tenantId, entityKey);
      const stale = staleness(state, occurredAt, restoring);
      if (!stale) {
        await this.repository.saveEntityState(manager, tenantId, entityKey, occurredAt, deleting);
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
