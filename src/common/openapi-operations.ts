/**
 * Operation ids and fallback descriptions of the OpenAPI document.
 *
 * An `operationId` or `description` given in a route's `@ApiOperation` always wins. The maps below
 * name the routes that do not give one yet; `openapiOperationId` is the document's
 * `operationIdFactory`, `FALLBACK_DESCRIPTIONS` is applied to operations without a description.
 */

/** `<ControllerClass>.<method>` → operationId, for routes whose @ApiOperation names none. */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'TenantsController.create': 'tenants.create',
  'TenantsController.me': 'tenants.getMe',
  'TenantsController.updateMe': 'tenants.updateMe',
  'TenantsController.addKey': 'tenants.createKey',
  'TenantsController.revokeKey': 'tenants.revokeKey',
  'SubscriptionsController.create': 'webhooks.create',
  'SubscriptionsController.register': 'webhooks.register',
  'SubscriptionsController.list': 'webhooks.list',
  'SubscriptionsController.get': 'webhooks.get',
  'SubscriptionsController.update': 'webhooks.update',
  'SubscriptionsController.remove': 'webhooks.delete',
  'SubscriptionsController.toggle': 'webhooks.toggle',
  'SubscriptionsController.rotate': 'webhooks.rotateSecret',
  'DeliveriesController.get': 'webhooks.getDelivery',
  'DeliveriesController.retry': 'webhooks.retryDelivery',
  'DeliveriesController.list': 'webhooks.listDeliveries',
  'DeliveriesController.recover': 'webhooks.recover',
  'DeliveriesController.test': 'webhooks.test',
  'EventsController.publish': 'events.publish',
  'EventsController.get': 'events.get',
  'EventsController.types': 'events.listTypes',
  'SourcesController.create': 'sources.create',
  'SourcesController.list': 'sources.list',
  'SourcesController.get': 'sources.get',
  'SourcesController.update': 'sources.update',
  'SourcesController.remove': 'sources.delete',
};

/** `FooBarController` → `fooBar`. */
function resourceOf(controllerKey: string): string {
  const name = controllerKey.replace(/Controller$/, '') || 'api';
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The operationId of a route without an explicit one: from OPERATION_IDS, else `<resource>.<method>`. */
export function openapiOperationId(controllerKey: string, methodKey: string): string {
  return OPERATION_IDS[`${controllerKey}.${methodKey}`] ?? `${resourceOf(controllerKey)}.${methodKey}`;
}

/** operationId → description, for operations whose @ApiOperation gives none. */
export const FALLBACK_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'tenants.create':
    'Creates a tenant and its first API key; authorised by the operator key (ADMIN_API_KEY). The key is answered ' +
    'once, in `api_key`: only its hash is stored.',
  'tenants.getMe': 'Answers the tenant that owns the API key making the call.',
  'tenants.updateMe':
    'Changes the name, the time zone or the locale of the calling key’s tenant; the time zone and locale are used ' +
    'to render notifications. Fields left out keep their value.',
  'tenants.createKey':
    'Issues another API key for a tenant (admin key); the key is answered once, in `api_key`, and works at once ' +
    'beside the others.',
  'tenants.revokeKey': 'Revokes one API key of a tenant (admin key); requests made with it answer 401 from then on.',
  'tenants.list':
    'Lists the tenants (admin key), each with how many webhooks, sources, events, deliveries and API keys it ' +
    'holds.',
  'tenants.delete':
    'Deletes a tenant with every row it owns, its queued work included (admin key); this cannot be undone.',
  'tenants.createMyKey':
    'Creates another API key for the calling key’s tenant; the key is answered once, in `api_key`, and works at once.',
  'tenants.listMyKeys': 'Lists the API keys of the calling key’s tenant, without their secrets.',
  'tenants.revokeMyKey':
    'Revokes one API key of the calling key’s tenant; it answers 401 from then on. The key making the call cannot ' +
    'revoke itself (409 CONFLICT).',
  'webhooks.create':
    'Registers an endpoint that receives the events it subscribes to, signed with its secret. The answer holds ' +
    'the secret, once. The URL must be https (http only when ALLOW_HTTP_URLS=true) and may not resolve to a ' +
    'private address (unless ALLOW_PRIVATE_URLS=true); give `payload_template` or `preset`, not both.',
  'webhooks.register': 'The same as `POST /api/v1/webhooks` (webhooks.create), kept for clients written against it.',
  'webhooks.list':
    'Lists the endpoints of the tenant, newest first, each with its delivery stats; filter by `active` and by an ' +
    'event type it subscribes to (`event`).',
  'webhooks.get': 'Answers one endpoint with its settings (header values masked) and its delivery stats.',
  'webhooks.update':
    'Changes the fields given and keeps the others; setting `active: false` cancels its queued deliveries. The ' +
    'URL is checked again as on creation.',
  'webhooks.delete':
    'Deletes an endpoint: its queued deliveries are cancelled, and its delivery log stays readable by delivery id.',
  'webhooks.toggle':
    'Flips `active`: a disabled endpoint receives nothing and its queued deliveries are cancelled; enabling it ' +
    'clears `disabled_reason`.',
  'webhooks.rotateSecret':
    'Generates a new secret and answers it once; for 24 hours deliveries carry a signature with the previous ' +
    'secret beside the new one, so receivers can switch without losing a delivery.',
  'webhooks.getDelivery':
    'Answers one delivery with every attempt: the request headers and body sent, and the response status, ' +
    'headers and body (cut at 4 KiB).',
  'webhooks.retryDelivery':
    'Sends a delivery again. A finished one (success, dead or cancelled) is copied into a new delivery linked by ' +
    '`original_delivery_id`; a `retrying` one is sent now and its attempt count goes on.',
  'webhooks.listDeliveries':
    'The delivery log of one endpoint, newest first; filter by `status` (`failed` means retrying or dead), ' +
    '`event_type`, `since` and `until`.',
  'webhooks.recover':
    'Queues again every dead, failed or cancelled delivery of the endpoint created since `since` (24 hours ago ' +
    'when omitted) and answers how many were queued.',
  'webhooks.test':
    'Sends a `webhook.test` event to the endpoint now, signed like any delivery, and answers the attempt’s ' +
    'result; a failure is not retried.',
  'deliveries.list':
    'The delivery log of the whole tenant, newest first, one keyset page at a time (pass `meta.pagination.' +
    'next_cursor` as `cursor`). Filters combine: endpoint, status (`failed` means retrying or dead), event type ' +
    'pattern, event id, HTTP status, time range and text in the request body sent.',
  'deliveries.get': 'Answers one delivery with every attempt, like `GET /api/v1/webhooks/deliveries/{delivery_id}`.',
  'deliveries.retryMatching':
    'Queues again every delivery the filter matches (the filters of `GET /api/v1/deliveries`) and answers how ' +
    'many were queued.',
  'events.publish':
    'Publishes an event: one delivery is queued for every active endpoint whose `events` match its type, and the ' +
    'answer says how many matched. The same `idempotency_key` (or Idempotency-Key header) within 24 hours ' +
    'answers the first event again and creates nothing.',
  'events.get': 'Answers one event with its data, metadata and the deliveries it produced.',
  'events.listTypes':
    'Lists the event types Hookhub knows (with a description) and the ones this tenant published in the last ' +
    '30 days.',
  'events.list':
    'The event log of the whole tenant, newest first, one keyset page at a time (pass `meta.pagination.' +
    'next_cursor` as `cursor`). Filters combine: event type pattern, entity key, source, time range and text in ' +
    'the event data.',
  'sources.create':
    'Registers a source of incoming webhooks and answers its `ingest_url`, where the provider sends. The ' +
    'verification secret is answered once; it is generated when not given.',
  'sources.list': 'Lists the sources of the tenant, newest first; filter by `provider`.',
  'sources.get': 'Answers one source with its verification settings (never its secret) and its `ingest_url`.',
  'sources.update':
    'Changes the fields given and keeps the others; a new verification secret is answered once in `secret`.',
  'sources.delete': 'Deletes a source: its ingest URL answers 404 from then on, and its inbound events stay readable.',
};
