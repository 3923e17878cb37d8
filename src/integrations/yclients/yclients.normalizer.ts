import { createHash } from 'node:crypto';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';
import { clientFields, recordFields } from './yclients.fields';
import { idOf, instantOf, isoLocalOf, Json, objectOf, textOf, tidyFloats } from './yclients.values';

/** Header the reconciliation job sets on the requests it replays (shown in `execution_context.received_via`). */
export const RECONCILIATION_HEADER = 'x-hookhub-reconciliation';

const PAST: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted' };

/** Resources with their own event types (`record.created`, `client.updated`); others become `yclients.<resource>.<status>`. */
const KNOWN_RESOURCES = ['record', 'client'];

/** The YClients envelope `{company_id, resource, resource_id, status, data}`, checked. */
export interface YclientsEnvelope {
  companyId: string;
  resource: string;
  resourceId: string;
  status: string;
  data: Json;
}

/** Lower-case event-type segment: anything outside [a-z0-9_-] becomes `_`. */
function segment(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_');
}

/** Reads the envelope; throws a readable Error naming what is missing. */
export function readEnvelope(payload: unknown): YclientsEnvelope {
  const body = objectOf(payload);
  if (!body) throw new Error('the body is not a YClients notification: expected a JSON object');
  const data = body.data === undefined || body.data === null ? null : objectOf(body.data);
  if (body.data !== undefined && body.data !== null && data === null) {
    throw new Error('data is not an object: YClients sends the changed entity as an object in data');
  }
  const companyId = idOf(body.company_id) ?? idOf(data?.company_id);
  if (!companyId) throw new Error('company_id is missing: a YClients notification names its location in company_id');
  const resourceText = textOf(body.resource);
  const resource = resourceText === null ? '' : segment(resourceText);
  if (resource === '' || resource === '_') {
    throw new Error('resource is missing: a YClients notification names the entity type (record, client, …)');
  }
  const statusText = textOf(body.status);
  const status = statusText === null ? '' : segment(statusText);
  if (status === '' || status === '_') throw new Error('status is missing: expected create, update or delete');
  const resourceId = idOf(body.resource_id) ?? idOf(data?.id);
  if (!resourceId) throw new Error(`resource_id is missing: the ${resource} the notification is about has no id`);
  if (data === null && status !== 'delete' && KNOWN_RESOURCES.includes(resource)) {
    throw new Error(`data is missing: a ${resource} ${status} notification carries the ${resource} in data`);
  }
  return { companyId, resource, resourceId, status, data: data ?? {} };
}

/** When the entity last changed by YClients' own clock: `last_change_date`, for a creation `create_date`. */
function changeTimeOf(e: YclientsEnvelope): unknown {
  return e.data.last_change_date ?? (e.status === 'create' ? e.data.create_date : undefined);
}

/** Keys sorted at every level, so the same object always hashes alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Json)[k])]),
    );
  }
  return value;
}

/**
 * company + resource + id + status + the change time (as a UTC instant, so "+0300" and "+03:00"
 * agree), else a hash of `data`: a webhook and the reconciliation job's replay of the same change
 * get the same key.
 */
export function dedupKeyOf(e: YclientsEnvelope): string {
  const changedAt = changeTimeOf(e);
  const instant = instantOf(changedAt);
  const change =
    instant?.toISOString() ??
    isoLocalOf(changedAt) ??
    `sha256:${createHash('sha256')
      .update(JSON.stringify(canonical(tidyFloats(e.data))))
      .digest('hex')}`;
  return `yclients:${e.companyId}:${e.resource}:${e.resourceId}:${e.status}:${change}`;
}

function eventTypeOf(e: YclientsEnvelope): { eventType: string; eventSubtype: string } {
  if (KNOWN_RESOURCES.includes(e.resource)) {
    const action = PAST[e.status] ?? e.status;
    return { eventType: `${e.resource}.${action}`, eventSubtype: `${e.resource}_${action}` };
  }
  return { eventType: `yclients.${e.resource}.${e.status}`, eventSubtype: `${e.resource}_${e.status}` };
}

/** The event's data: the provider's envelope (floats tidied) plus the fields templates read. */
function dataOf(e: YclientsEnvelope, payload: Json): Json {
  const data: Json = { ...(tidyFloats(payload) as Json), data: tidyFloats(e.data) };
  if (e.resource === 'record') data.record = recordFields(e.data, e.status);
  if (e.resource === 'client') data.client = clientFields(e.data) ?? { id: e.resourceId };
  return data;
}

/**
 * YClients / Altegio notifications (one entity change each): `record.*` for bookings, `client.*`,
 * `yclients.<resource>.<status>` for the rest; entity_key `yclients:<company_id>:<resource>:<id>`.
 */
export class YclientsNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    try {
      return dedupKeyOf(readEnvelope(request.payload));
    } catch {
      return null;
    }
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const e = readEnvelope(request.payload);
    const configured = idOf(request.source.config.company_id);
    const context: Json = {
      provider_event: `${e.resource}.${e.status}`,
      company_id: e.companyId,
      received_via: request.headers[RECONCILIATION_HEADER] ? 'reconciliation' : 'webhook',
    };
    if (configured !== null && configured !== e.companyId) {
      context.company_id_mismatch = true;
      context.config_company_id = configured;
    }
    if (request.headers['x-hook-id']) context.hook_id = request.headers['x-hook-id'];
    return [
      {
        ...eventTypeOf(e),
        entityType: e.resource,
        entityId: e.resourceId,
        entityKey: `yclients:${e.companyId}:${e.resource}:${e.resourceId}`,
        data: dataOf(e, objectOf(request.payload) ?? {}),
        occurredAt: instantOf(changeTimeOf(e)),
        context,
      },
    ];
  }
}
