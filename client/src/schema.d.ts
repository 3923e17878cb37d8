export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: PostgreSQL, Redis and the job counts of every queue answer (200), or which does not (503)
         * @description Checks that PostgreSQL, Redis and every queue answer within a few seconds; a load balancer or orchestrator can use it as the readiness probe. Needs no key and answers without the envelope.
         */
        get: operations["health.check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description The process’s metrics in the Prometheus text format (prefix `hookhub_`): ingest requests, inbound processing, delivery attempts and latency, notifications, queue depth, database pool, failed verifications and Node.js runtime figures. A worker serves the same on its METRICS_PORT. Needs no key.
         */
        get: operations["health.metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling key's tenant
         * @description Answers the tenant the API key belongs to: its id, name, time zone and locale.
         */
        get: operations["tenants.getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the calling key's tenant
         * @description Changes the name, or the time zone and locale used in notifications; fields left out stay.
         */
        patch: operations["tenants.updateMe"];
        trace?: never;
    };
    "/api/v1/tenants/me/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tenant's API keys
         * @description The keys that work (revoked ones are left out), newest first: id, name, first characters and last use. Never the key itself.
         */
        get: operations["tenants.listMyKeys"];
        put?: never;
        /**
         * Create another API key of the tenant
         * @description Issues a new key of the calling tenant, working at once beside the others. The answer holds the key: it is shown this once and stored only as a hash.
         */
        post: operations["tenants.createMyKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/me/api-keys/{api_key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one of the tenant’s API keys
         * @description The key stops working at once. The key making the call cannot revoke itself (409 CONFLICT): use another key of the tenant. An unknown or already revoked key answers 404.
         */
        delete: operations["tenants.revokeMyKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tenants with what each holds (admin key)
         * @description Every tenant, newest first, with counts of its webhooks and sources (deleted ones left out), stored events, deliveries, and API keys that work.
         */
        get: operations["tenants.list"];
        put?: never;
        /**
         * Create a tenant and its first API key (admin key)
         * @description The answer holds the tenant and its first API key, shown this once.
         */
        post: operations["tenants.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a tenant and all of its data (admin key)
         * @description Removes the tenant and every row of it in one transaction: subscriptions, events, deliveries and their attempts, sources, inbound events, entity states, notification rules and notifications, API keys. Its keys stop working at once, and its queued deliveries, processing runs and notifications are never carried out. It cannot be undone.
         */
        delete: operations["tenants.delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant_id}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue another API key for a tenant (admin key)
         * @description The answer holds the new key, shown this once; the tenant can also do this itself.
         */
        post: operations["tenants.createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenant_id}/api-keys/{api_key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a tenant's API key (admin key)
         * @description The key stops working at once. An unknown or already revoked key answers 404.
         */
        delete: operations["tenants.revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ingest/{source_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a webhook for a source: verified over the raw bytes, stored, then answered
         * @description The path names the source. The request is verified over its raw bytes by the source’s scheme (the headers below, or `?token=`), stored, and answered 202 before it is processed; processing turns it into events (see the inbound-events history). A request already stored (same sender id, provider event id or body) answers 200 with status "duplicate" and the first inbound event id. JSON and form bodies are taken.
         */
        post: operations["ingest.receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/incoming/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a generic webhook; the source is named by X-Webhook-ID and `kind` is the event type fallback
         * @description Like `POST /api/v1/ingest/{source_id}`, for senders that put the source id in a header: X-Webhook-ID names the source and `kind` (`message`, `document`, …) is the event type when neither the body nor X-Webhook-Event names one (it comes before the source’s `config.default_event_type`). Verified by the source’s scheme, stored, answered 202 (200 "duplicate" for a request already stored).
         */
        post: operations["ingest.receiveGeneric"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List sources
         * @description The tenant's sources, newest first, deleted ones left out; filter by provider.
         */
        get: operations["sources.list"];
        put?: never;
        /**
         * Register a source of incoming webhooks
         * @description Creates a source and answers its ingest_url and verification secret; the secret is shown this once (and inside ingest_url for the url-token scheme). The verification scheme defaults by provider.
         */
        post: operations["sources.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sources/{source_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One source
         * @description A source with its ingest_url and its last processing error (last_error, last_error_at), never its secret.
         */
        get: operations["sources.get"];
        put?: never;
        post?: never;
        /**
         * Delete a source
         * @description Its ingest URL answers 404 from then on; its inbound-event history stays.
         */
        delete: operations["sources.delete"];
        options?: never;
        head?: never;
        /**
         * Change a source
         * @description Changes the fields given; config is replaced as a whole. A new verification secret, when one is set or generated, is shown this once in the answer. The provider cannot change.
         */
        patch: operations["sources.update"];
        trace?: never;
    };
    "/api/v1/inbound-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The history of received webhooks, newest first; `page` or `offset` pagination
         * @description Lists received webhooks with their processing status and top-level payload keys (`payload_preview`). Filters combine: status, event type and subtype, entity, source, provider and a creation time range. With `page` the answer is page-based (`page`, `total_pages`), otherwise offset-based.
         */
        get: operations["inboundEvents.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbound-events/{inbound_event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One received webhook: payload, headers (secrets redacted) and the events it produced
         * @description Answers one received webhook with its whole payload, its headers (secret-bearing ones redacted), its processing state and error, and the events its processing produced.
         */
        get: operations["inboundEvents.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/inbound-events/{inbound_event_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Process a failed or retrying inbound event again, now
         * @description Queues a `failed` or `retrying` inbound event for processing now; it answers 409 CONFLICT for one that is pending, processing or completed.
         */
        post: operations["inboundEvents.retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/kommo/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a Kommo / amoCRM webhook; the source is found by X-Org-Id, else account[id] / account[subdomain]
         * @description CRM webhooks are PHP form bodies (several entities and items per request) matched to the sources whose config.account_id or config.subdomain names the account; each source's ?token= is checked (url-token, Kommo's default). Chats API hooks (JSON, X-Signature) name no CRM account: post them to /api/v1/ingest/{source_id}, or name the account in X-Org-Id. This URL is shared by every tenant. The request goes to the first source, oldest first, among the active sources of any tenant that match it, whose own verification it passes (each tenant keeps its own token or secret, so several tenants of one account work side by side). Sources with verification `none` are never taken here (they are reachable only at /api/v1/ingest/{source_id}).
         */
        post: operations["kommo.receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/yclients/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a YClients / Altegio notification; the source is found by company_id, then ?token= is checked
         * @description The sources are those whose config.company_id equals the body’s company_id (else data.company_id); each checks its own ?token= (url-token, YClients' default). This URL is shared by every tenant. The request goes to the first source, oldest first, among the active sources of any tenant that match it, whose own verification it passes (each tenant keeps its own token or secret, so several tenants of one account work side by side). Sources with verification `none` are never taken here (they are reachable only at /api/v1/ingest/{source_id}).
         */
        post: operations["yclients.receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/slack/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive Slack Events API requests
         * @description The source is the `source_id` query parameter of its ingest_url, else one of the sources whose `config.api_app_id` or `config.team_id` equals the body’s `api_app_id` / `team_id`. This URL is shared by every tenant. The request goes to the first source, oldest first, among the active sources of any tenant that match it, whose own verification it passes (each tenant keeps its own token or secret, so several tenants of one account work side by side). Sources with verification `none` are never taken here (they are reachable only at /api/v1/ingest/{source_id}). Every request is verified with the signing secret (`X-Slack-Signature`, 5 minutes tolerance). `url_verification` is answered 200 `{"challenge": "…"}` and not stored; Events API deliveries are stored and answered 202 in the usual envelope (200 for a retry of an `event_id` already stored); slash commands and interactions are stored and answered with an empty 200.
         */
        post: operations["slack.receiveEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/telegram/{source_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive Telegram Bot API updates
         * @description Pass the source’s ingest_url as `url` and its secret as `secret_token` to setWebhook. Each update is verified (`X-Telegram-Bot-Api-Secret-Token` equals the secret), stored and answered 202 at once; an `update_id` already stored answers 200 "duplicate". Telegram resends updates answered with anything but 2xx.
         */
        post: operations["telegram.receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/integrations/whatsapp/{source_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Answer Meta’s webhook verification request
         * @description Answers 200 with `hub.challenge` as plain text when `hub.mode` is `subscribe` and `hub.verify_token` equals the source’s `config.verify_token`; 403 FORBIDDEN otherwise.
         */
        get: operations["whatsapp.verify"];
        put?: never;
        /**
         * Receive WhatsApp Cloud API notifications
         * @description Verified with the app secret (`X-Hub-Signature-256`), stored, then answered **200** (Meta treats anything but 200 as a failure and resends) with `{webhook_event_id, status: "accepted"}`, or status "duplicate" for a notification already stored (same message ids, or same status of the same message).
         */
        post: operations["whatsapp.receive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/deliveries/{delivery_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One delivery with every attempt: request headers and body, response (body cut at 4 KiB)
         * @description Answers a delivery of the calling tenant with every attempt made: the request as sent (extra header values masked), the response (body cut at 4 KiB) and how long it took. The same as GET /api/v1/deliveries/{delivery_id}.
         */
        get: operations["webhooks.getDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again: a finished one as a new delivery, a retrying one now
         * @description A dead, cancelled or successful delivery is sent again as a new delivery of the same event, linked by original_delivery_id (attempt 1). A retrying delivery is sent now instead of at its next planned time: the same delivery, its attempt count going on. A queued or sending delivery answers 409, as does one whose webhook is disabled.
         */
        post: operations["webhooks.retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The delivery log of an endpoint, newest first
         * @description Lists the deliveries of one webhook endpoint, newest first, with limit and offset. Filters: status (`failed` is retrying or dead), event_type (exact), since and until. GET /api/v1/deliveries is the tenant-wide log with more filters.
         */
        get: operations["webhooks.listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send again every failed delivery of the endpoint since a time (24 h ago by default)
         * @description Re-queues the dead and cancelled deliveries of the endpoint created since `since` (24 hours ago when omitted) that were not retried already, as new deliveries, and sends its retrying ones now; at most 10,000 a call (call again for the rest). Answers how many were queued; 409 when the webhook is disabled.
         */
        post: operations["webhooks.recover"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event now and answer the attempt result (no retries)
         * @description Publishes a webhook.test event to this endpoint only, makes one attempt at once and answers its result: success, HTTP status, response time, error and response body (cut at 4 KiB). A failure is not retried.
         */
        post: operations["webhooks.test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every delivery of the tenant, newest first, filtered and keyset-paginated
         * @description Lists the deliveries of all webhook endpoints of the calling tenant, newest first. Filters combine: webhook_id, status (`failed` is retrying or dead), event_type (exact, `deal.*` or `*`), event_id, http_status (of the last attempt), since/until (created_at, until exclusive) and q (text in the event data the request body carries). Pages by cursor: pass meta.pagination.next_cursor as `cursor` for the next page; it is null on the last one, and deliveries created meanwhile never shift a later page.
         */
        get: operations["deliveries.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/{delivery_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One delivery with every attempt: request headers and body, response (body cut at 4 KiB)
         * @description Answers a delivery of the calling tenant with every attempt made: the request as sent (extra header values masked), the response (body cut at 4 KiB) and how long it took. Another tenant’s delivery answers 404.
         */
        get: operations["deliveries.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send again every delivery a filter of the log matches
         * @description Takes the filter of GET /api/v1/deliveries (at least one field; an empty filter is refused rather than resending the whole log). Without a status it sends again the dead and cancelled deliveries not retried already, as new deliveries linked by original_delivery_id, and sends retrying ones now; status=success resends successful ones too; queued and sending ones are on their way already (400). Deliveries of disabled or deleted webhooks are skipped. At most 10,000 a call, oldest first: call again while `queued` is 10,000.
         */
        post: operations["deliveries.retryMatching"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints with their stats
         * @description Lists the endpoints of the tenant, newest first, each with its delivery stats; filter by `active` and by an event type it subscribes to (`event`).
         */
        get: operations["webhooks.list"];
        put?: never;
        /**
         * Register a webhook endpoint; the answer holds its secret (shown once)
         * @description Registers an endpoint that receives the events it subscribes to, signed with its secret. The answer holds the secret, once. The URL must be https (http only when ALLOW_HTTP_URLS=true) and may not resolve to a private address (unless ALLOW_PRIVATE_URLS=true); give `payload_template` or `preset`, not both.
         */
        post: operations["webhooks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Alias of POST /webhooks
         * @description The same as `POST /api/v1/webhooks` (webhooks.create), kept for clients written against it.
         */
        post: operations["webhooks.register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook endpoint with its stats
         * @description Answers one endpoint with its settings (header values masked) and its delivery stats.
         */
        get: operations["webhooks.get"];
        put?: never;
        post?: never;
        /**
         * Delete; queued deliveries are cancelled, the log stays readable by delivery id
         * @description Deletes an endpoint: its queued deliveries are cancelled, and its delivery log stays readable by delivery id.
         */
        delete: operations["webhooks.delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields; disabling cancels queued deliveries
         * @description Changes the fields given and keeps the others; setting `active: false` cancels its queued deliveries. The URL is checked again as on creation.
         */
        patch: operations["webhooks.update"];
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/toggle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Flip active; disabling cancels queued deliveries
         * @description Flips `active`: a disabled endpoint receives nothing and its queued deliveries are cancelled; enabling it clears `disabled_reason`.
         */
        post: operations["webhooks.toggle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New secret; the previous one keeps signing beside it for 24 h
         * @description Generates a new secret and answers it once; for 24 hours deliveries carry a signature with the previous secret beside the new one, so receivers can switch without losing a delivery.
         */
        post: operations["webhooks.rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's event log, newest first
         * @description Lists the events of the tenant, newest first, with how many deliveries each has. Filters combine: `event_type` (exact, `deal.*` or `*`), `entity_key`, `source_id` (events produced by that source), `since` (inclusive) and `until` (exclusive), `q` (text in the event data, any case). Pages are keyset-paginated: pass `meta.pagination.next_cursor` as `cursor` for the next page; it is null on the last one.
         */
        get: operations["events.list"];
        put?: never;
        /**
         * Publish an event to every matching webhook endpoint
         * @description Publishes an event: one delivery is queued for every active endpoint whose `events` match its type, and the answer says how many matched. The same `idempotency_key` (or Idempotency-Key header) within 24 hours answers the first event again and creates nothing.
         */
        post: operations["events.publish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One event and its deliveries
         * @description Answers one event with its data, metadata and the deliveries it produced.
         */
        get: operations["events.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/event-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The catalogue of known event types, and those this tenant published lately
         * @description Lists the event types Hookhub knows (with a description) and the ones this tenant published in the last 30 days.
         */
        get: operations["events.listTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notification-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List rules
         * @description Lists the notification rules of the tenant, newest first.
         */
        get: operations["notificationRules.list"];
        put?: never;
        /**
         * Create a rule turning events into Telegram, Slack or WhatsApp messages
         * @description Creates a rule: every event whose type matches `event_types` and which meets all `conditions` is rendered with `template` (or a built-in `template_id`) and sent to `target` on `channel`, at most once per event. Credentials are stored encrypted and never answered; the answer lists which are set.
         */
        post: operations["notificationRules.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notification-rules/{rule_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One rule
         * @description Answers one notification rule; its credentials are named in `credentials_set`, never shown.
         */
        get: operations["notificationRules.get"];
        put?: never;
        post?: never;
        /**
         * Delete a rule; its history stays
         * @description Deletes a notification rule; the notifications it sent stay in the history.
         */
        delete: operations["notificationRules.delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a rule
         * @description Changes the fields given and keeps the others; it applies to events from then on.
         */
        patch: operations["notificationRules.update"];
        trace?: never;
    };
    "/api/v1/notification-rules/{rule_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Render the rule for a sample (or given) event and send it now; nothing is recorded
         * @description Renders the rule for `event` (a sample of its first event type when omitted), sends it to the target now and answers the text and the provider’s answer; nothing is recorded in the history. Rendering is bounded: a message longer than 65536 characters, more than 10000 #each iterations or more than 250 ms of rendering answers 422 UNPROCESSABLE naming the limit (`details[0].limit`: `output` or `work`); a real event through the rule ends its notification `failed` with the same reason.
         */
        post: operations["notificationRules.test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The history of notifications: sent, skipped (with the reason), failed
         * @description Lists notifications newest first, each with its rule, event, status, the reason it was skipped, the rendered text and the provider’s answer; filter by status, rule, event, event type, channel and skip reason.
         */
        get: operations["notifications.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{notification_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One notification with its rendered text and the provider answer
         * @description Answers one notification: its status, rendered text, attempts and the provider’s last answer.
         */
        get: operations["notifications.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorDetailDto: {
            /**
             * @description The field (dotted path), header or query parameter the problem is about.
             * @example url
             */
            field?: string;
            /**
             * @description What is wrong with it, in one sentence.
             * @example url must be a URL address
             */
            message: string;
        } & {
            [key: string]: unknown;
        };
        ErrorBodyDto: {
            /**
             * @description A stable, machine-readable error code; the HTTP status follows from it.
             * @example VALIDATION_FAILED
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "INVALID_JSON" | "BAD_REQUEST" | "UNAUTHORIZED" | "INVALID_SIGNATURE" | "FORBIDDEN" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "UNPROCESSABLE" | "RATE_LIMITED" | "INTERNAL" | "SERVICE_UNAVAILABLE";
            /**
             * @description What went wrong and how to fix it, for people.
             * @example The request is invalid: check url.
             */
            message: string;
            /** @description One entry per problem (every invalid field, say); empty when there is nothing more to say. */
            details: components["schemas"]["ErrorDetailDto"][];
        };
        MetaDto: {
            /**
             * @description The request's X-Request-ID (generated when the request had none); logs carry it too.
             * @example 6f1c2a0e-3b7d-4c55-9d0e-2f6a1b7c8d9e
             */
            trace_id: string;
        };
        ErrorEnvelopeDto: {
            error: components["schemas"]["ErrorBodyDto"];
            meta: components["schemas"]["MetaDto"];
        };
        TenantDto: {
            /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
            tenant_id: string;
            /** @example Acme Salons */
            name: string;
            /**
             * @description IANA time zone of dates in notifications.
             * @example Europe/Moscow
             */
            timezone: string;
            /**
             * @description Locale of notifications and built-in templates.
             * @example ru
             */
            locale: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        UpdateTenantDto: {
            /**
             * @description IANA time zone.
             * @example Europe/Moscow
             */
            timezone?: string;
            /**
             * @description The tenant's display name.
             * @example Acme Salons
             */
            name?: string;
            /**
             * @description `ru`, `en` or another BCP 47 tag.
             * @example ru
             */
            locale?: string;
        };
        CreatedApiKeyDto: {
            /** @example production worker */
            name: string | null;
            /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
            tenant_id: string;
            /** @example key_01jd8x4m2k7q9w3e5r6t8y0u1i */
            api_key_id: string;
            /**
             * @description The new key. Shown once: store it now.
             * @example hh_3mYqK8…
             */
            api_key: string;
            /**
             * @description The key's first 10 characters, as key lists show it.
             * @example hh_3mYqK8w
             */
            prefix: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        CreateApiKeyDto: {
            /**
             * @description A label to recognise the key by.
             * @example production worker
             */
            name?: string;
        };
        ApiKeyDto: {
            /** @example production worker */
            name: string | null;
            /**
             * Format: date-time
             * @description When the key last authenticated a request (kept to the minute); null when never.
             * @example 2025-01-10T08:30:00.000Z
             */
            last_used_at: string | null;
            /** @example key_01jd8x4m2k7q9w3e5r6t8y0u1i */
            api_key_id: string;
            /**
             * @description The key's first 10 characters, to tell keys apart.
             * @example hh_3mYqK8w
             */
            prefix: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        PaginationDto: {
            /**
             * @description Items per page, as asked (default 20, at most 100).
             * @example 20
             */
            limit: number;
            /**
             * @description Items skipped (offset pagination).
             * @example 0
             */
            offset?: number;
            /**
             * @description The page number (page-based inbound-event history only).
             * @example 1
             */
            page?: number;
            /**
             * @description Items matching the filters, over every page.
             * @example 42
             */
            total: number;
            /**
             * @description Pages of `limit` items (page-based inbound-event history only).
             * @example 3
             */
            total_pages?: number;
        };
        ListMetaDto: {
            /**
             * @description The request's X-Request-ID (generated when the request had none); logs carry it too.
             * @example 6f1c2a0e-3b7d-4c55-9d0e-2f6a1b7c8d9e
             */
            trace_id: string;
            pagination: components["schemas"]["PaginationDto"];
        };
        RevokedApiKeyDto: {
            /** @example key_01jd8x4m2k7q9w3e5r6t8y0u1i */
            api_key_id: string;
            /** @example revoked */
            status: string;
        };
        CreatedTenantDto: {
            /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
            tenant_id: string;
            /** @example Acme Salons */
            name: string;
            /**
             * @description IANA time zone of dates in notifications.
             * @example Europe/Moscow
             */
            timezone: string;
            /**
             * @description Locale of notifications and built-in templates.
             * @example ru
             */
            locale: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
            /**
             * @description The tenant's first API key. Shown once: store it now.
             * @example hh_3mYq…
             */
            api_key: string;
            /**
             * @description The id of that key, to revoke it later.
             * @example key_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            api_key_id: string;
        };
        CreateTenantDto: {
            /**
             * @description The tenant's display name.
             * @example Acme Salons
             */
            name: string;
        };
        TenantCountsDto: {
            /**
             * @description Subscriptions (outgoing webhooks), deleted ones left out.
             * @example 3
             */
            webhooks: number;
            /**
             * @description Sources of incoming webhooks, deleted ones left out.
             * @example 2
             */
            sources: number;
            /**
             * @description Stored events (within RETENTION_DAYS).
             * @example 1520
             */
            events: number;
            /**
             * @description Deliveries of every status.
             * @example 4310
             */
            deliveries: number;
            /**
             * @description API keys that work (revoked ones left out).
             * @example 2
             */
            api_keys: number;
        };
        TenantSummaryDto: {
            /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
            tenant_id: string;
            /** @example Acme Salons */
            name: string;
            /**
             * @description IANA time zone of dates in notifications.
             * @example Europe/Moscow
             */
            timezone: string;
            /**
             * @description Locale of notifications and built-in templates.
             * @example ru
             */
            locale: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
            /**
             * @description How many rows the tenant holds, per kind.
             * @example {
             *       "webhooks": 3,
             *       "sources": 2,
             *       "events": 1520,
             *       "deliveries": 4310,
             *       "api_keys": 2
             *     }
             */
            counts: components["schemas"]["TenantCountsDto"];
        };
        DeletedTenantDto: {
            /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
            tenant_id: string;
            /** @example deleted */
            status: string;
        };
        IngestAcceptedDto: {
            /**
             * @example accepted
             * @enum {string}
             */
            status: "accepted" | "duplicate";
            /**
             * @description The stored inbound event (the first one, for a duplicate).
             * @example in_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            webhook_event_id: string;
        };
        SourceVerificationDto: {
            /** @enum {string} */
            scheme: "hmac-sha256" | "hmac-sha256-body" | "standard-webhooks" | "github" | "stripe" | "slack" | "telegram" | "whatsapp" | "kommo-chats" | "shared-token" | "url-token" | "none";
            header: string | null;
            tolerance_s: number;
        };
        SourceWithSecretDto: {
            /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
            source_id: string;
            /** @enum {string} */
            provider: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
            config: {
                [key: string]: unknown;
            };
            /**
             * @description Why the newest failed processing run of one of its inbound events failed (retried or final), null
             *     when none has failed. A later success does not clear it: compare `last_error_at` with the inbound
             *     event history (`GET /inbound-events?source_id=…&status=failed`).
             * @example no event type: send event_type or type in the body, an X-Webhook-Event header, or set config.default_event_type
             */
            last_error: string | null;
            /**
             * Format: date-time
             * @description When that run failed.
             * @example 2025-01-09T12:00:05.123Z
             */
            last_error_at: string | null;
            /** @description The verification secret. Shown in the create answer only (and inside ingest_url for url-token). */
            secret: string | null;
            name: string;
            verification: components["schemas"]["SourceVerificationDto"];
            active: boolean;
            /**
             * @description Where the provider sends; carries `?token=` for the url-token scheme.
             * @example https://hookhub.example.com/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            ingest_url: string;
            created_at: string;
            updated_at: string;
        };
        VerificationDto: {
            /**
             * @description How requests prove they come from the provider; defaults by provider (url-token for Kommo and YClients, the provider's own scheme for the others, hmac-sha256 for generic). `none` must be asked for explicitly.
             * @example hmac-sha256
             * @enum {string}
             */
            scheme: "hmac-sha256" | "hmac-sha256-body" | "standard-webhooks" | "github" | "stripe" | "slack" | "telegram" | "whatsapp" | "kommo-chats" | "shared-token" | "url-token" | "none";
            /** @description The shared secret or token; generated when omitted for schemes where Hookhub may choose it. */
            secret?: string;
            /**
             * @description Header-name override: the token header for shared-token, the signature header for hmac-sha256(-body).
             * @example X-Signature
             */
            header?: string;
            /** @description Accepted clock difference for timestamped schemes. @default 300 */
            tolerance_s?: number;
        };
        CreateSourceDto: {
            /**
             * @example generic
             * @enum {string}
             */
            provider: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
            /**
             * @description Provider settings: `rate_limit_per_second`, `max_retries` (default 3), `default_event_type`, and the integration's own keys.
             * @example {
             *       "rate_limit_per_second": 50,
             *       "max_retries": 3
             *     }
             */
            config?: {
                [key: string]: unknown;
            };
            /** @example Kommo main account */
            name: string;
            /** @description How requests are verified; defaults by provider when omitted. */
            verification?: components["schemas"]["VerificationDto"];
            /** @description @default true */
            active?: boolean;
        };
        SourceDto: {
            /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
            source_id: string;
            /** @enum {string} */
            provider: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
            config: {
                [key: string]: unknown;
            };
            /**
             * @description Why the newest failed processing run of one of its inbound events failed (retried or final), null
             *     when none has failed. A later success does not clear it: compare `last_error_at` with the inbound
             *     event history (`GET /inbound-events?source_id=…&status=failed`).
             * @example no event type: send event_type or type in the body, an X-Webhook-Event header, or set config.default_event_type
             */
            last_error: string | null;
            /**
             * Format: date-time
             * @description When that run failed.
             * @example 2025-01-09T12:00:05.123Z
             */
            last_error_at: string | null;
            name: string;
            verification: components["schemas"]["SourceVerificationDto"];
            active: boolean;
            /**
             * @description Where the provider sends; carries `?token=` for the url-token scheme.
             * @example https://hookhub.example.com/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            ingest_url: string;
            created_at: string;
            updated_at: string;
        };
        UpdateSourceDto: {
            /**
             * @example generic
             * @enum {string}
             */
            provider?: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
            /**
             * @description Provider settings: `rate_limit_per_second`, `max_retries` (default 3), `default_event_type`, and the integration's own keys.
             * @example {
             *       "rate_limit_per_second": 50,
             *       "max_retries": 3
             *     }
             */
            config?: {
                [key: string]: unknown;
            };
            /** @example Kommo main account */
            name?: string;
            /** @description How requests are verified; defaults by provider when omitted. */
            verification?: components["schemas"]["VerificationDto"];
            /** @description @default true */
            active?: boolean;
        };
        DeletedSourceDto: {
            /** @example deleted */
            status: string;
            source_id: string;
        };
        InboundEventDto: {
            /** @example in_01jd8x4m2k7q9w3e5r6t8y0u1i */
            id: string;
            /** @enum {string} */
            status: "pending" | "processing" | "completed" | "retrying" | "failed";
            execution_context: {
                [key: string]: unknown;
            };
            source_id: string;
            provider: string;
            event_type: string | null;
            event_subtype: string | null;
            entity_type: string | null;
            entity_id: string | null;
            entity_key: string | null;
            dedup_key: string;
            retry_count: number;
            max_retries: number;
            error: string | null;
            /**
             * @description The payload's top-level keys.
             * @example [
             *       "event_type",
             *       "order"
             *     ]
             */
            payload_preview: string[];
            created_at: string;
            processing_started_at: string | null;
            processed_at: string | null;
            next_retry_at: string | null;
        };
        ProducedEventDto: {
            event_id: string;
            event_type: string;
            entity_key: string | null;
            created_at: string;
        };
        InboundEventDetailDto: {
            /** @example in_01jd8x4m2k7q9w3e5r6t8y0u1i */
            id: string;
            /** @enum {string} */
            status: "pending" | "processing" | "completed" | "retrying" | "failed";
            execution_context: {
                [key: string]: unknown;
            };
            payload: {
                [key: string]: unknown;
            };
            /** @description Request headers as received; credentials and verification tokens redacted. */
            headers: {
                [key: string]: string;
            };
            events: components["schemas"]["ProducedEventDto"][];
            source_id: string;
            provider: string;
            event_type: string | null;
            event_subtype: string | null;
            entity_type: string | null;
            entity_id: string | null;
            entity_key: string | null;
            dedup_key: string;
            retry_count: number;
            max_retries: number;
            error: string | null;
            /**
             * @description The payload's top-level keys.
             * @example [
             *       "event_type",
             *       "order"
             *     ]
             */
            payload_preview: string[];
            created_at: string;
            processing_started_at: string | null;
            processed_at: string | null;
            next_retry_at: string | null;
        };
        RetriedInboundEventDto: {
            /** @example pending */
            status: string;
            id: string;
        };
        AttemptRequestDto: {
            /** @example https://example.com/hooks/hookhub */
            url: string;
            /**
             * @description The request headers as sent; extra headers of the webhook show as "••••".
             * @example {
             *       "Content-Type": "application/json",
             *       "X-Delivery-Attempt": "1"
             *     }
             */
            headers: {
                [key: string]: string;
            };
            /**
             * @description The body as sent (the bytes that were signed).
             * @example {\webhook_id\:\wh_01jd8x4m2k7q9w3e5r6t8y0u1i\,\event_type\:\deal.won\}
             */
            body: string;
        };
        AttemptResponseDto: {
            /** @example 200 */
            status: number | null;
            /**
             * @example {
             *       "content-type": "text/plain"
             *     }
             */
            headers: {
                [key: string]: string;
            };
            /**
             * @description Cut at 4 KiB.
             * @example ok
             */
            body: string | null;
        };
        AttemptDto: {
            /**
             * @example null
             * @enum {string|null}
             */
            error_kind: "timeout" | "connection" | "refused_address" | "redirect" | "http_status" | "invalid_url" | "body_too_large" | "render_failed" | null;
            /** @example 1 */
            attempt: number;
            /** @example true */
            success: boolean;
            /** @example 200 */
            http_status: number | null;
            /** @example 182 */
            response_time_ms: number;
            error: string | null;
            request: components["schemas"]["AttemptRequestDto"];
            response: components["schemas"]["AttemptResponseDto"];
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        DeliveryDetailDto: {
            /**
             * @description queued → sending → success | retrying → … → dead; cancelled when its webhook is disabled or deleted.
             * @example success
             * @enum {string}
             */
            status: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled";
            /** @description The latest attempt's request, as sent. */
            request: components["schemas"]["AttemptRequestDto"] | null;
            /** @description The latest attempt's response. */
            response: components["schemas"]["AttemptResponseDto"] | null;
            /** @description Every attempt, first to last. */
            attempts: components["schemas"]["AttemptDto"][];
            /**
             * @description How long the last attempt took; null before the first one.
             * @example 182
             */
            response_time_ms: number | null;
            /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
            delivery_id: string;
            /**
             * @description The webhook endpoint it goes to.
             * @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            webhook_id: string;
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            /** @example deal.won */
            event_type: string;
            /**
             * @description Attempts made so far.
             * @example 1
             */
            attempt: number;
            /**
             * @description The HTTP status of the last attempt; null before it or when no answer came.
             * @example 200
             */
            http_status: number | null;
            /** @description Why the last attempt failed. */
            error: string | null;
            /** @description When the next attempt is due (queued and retrying deliveries). */
            next_attempt_at: string | null;
            /** @example 2025-01-09T12:00:05.123Z */
            last_attempt_at: string | null;
            /** @description The delivery this one sends again, when it is a retry. */
            original_delivery_id: string | null;
            /**
             * @description The batch this delivery was sent in (its members share status and attempts); null when sent alone or not sent yet.
             * @example bat_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            batch_id: string | null;
            /**
             * @description How many deliveries that batch carries (`X-Webhook-Batch-Size`).
             * @example 100
             */
            batch_size: number | null;
            /** @example 2025-01-09T12:00:05.001Z */
            created_at: string;
            /**
             * @description When it ended (success, dead or cancelled).
             * @example 2025-01-09T12:00:05.311Z
             */
            completed_at: string | null;
        };
        RetriedDeliveryDto: {
            /**
             * @example queued
             * @enum {string}
             */
            status: "queued";
            /**
             * @description The delivery that will be sent: a new one for a finished delivery, the same one for a
             *     `retrying` delivery (sent now).
             * @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1j
             */
            delivery_id: string;
            /**
             * @description The delivery asked to be retried.
             * @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            original_delivery_id: string;
            /**
             * @description The number of the attempt about to be made (1 for a new delivery).
             * @example 1
             */
            attempt: number;
            /**
             * @description When it is sent: now.
             * @example 2025-01-09T12:00:05.123Z
             */
            scheduled_for: string;
        };
        DeliveryDto: {
            /**
             * @description queued → sending → success | retrying → … → dead; cancelled when its webhook is disabled or deleted.
             * @example success
             * @enum {string}
             */
            status: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled";
            /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
            delivery_id: string;
            /**
             * @description The webhook endpoint it goes to.
             * @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            webhook_id: string;
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            /** @example deal.won */
            event_type: string;
            /**
             * @description Attempts made so far.
             * @example 1
             */
            attempt: number;
            /**
             * @description The HTTP status of the last attempt; null before it or when no answer came.
             * @example 200
             */
            http_status: number | null;
            /** @description Why the last attempt failed. */
            error: string | null;
            /** @description When the next attempt is due (queued and retrying deliveries). */
            next_attempt_at: string | null;
            /** @example 2025-01-09T12:00:05.123Z */
            last_attempt_at: string | null;
            /** @description The delivery this one sends again, when it is a retry. */
            original_delivery_id: string | null;
            /**
             * @description The batch this delivery was sent in (its members share status and attempts); null when sent alone or not sent yet.
             * @example bat_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            batch_id: string | null;
            /**
             * @description How many deliveries that batch carries (`X-Webhook-Batch-Size`).
             * @example 100
             */
            batch_size: number | null;
            /** @example 2025-01-09T12:00:05.001Z */
            created_at: string;
            /**
             * @description When it ended (success, dead or cancelled).
             * @example 2025-01-09T12:00:05.311Z
             */
            completed_at: string | null;
        };
        RecoveredDto: {
            /**
             * @description Deliveries queued again.
             * @example 3
             */
            queued: number;
        };
        RecoverDto: {
            /**
             * @description Re-queue the dead, cancelled and retrying deliveries created since then (ISO-8601); 24 hours ago
             *     when omitted.
             * @example 2025-01-09T00:00:00Z
             */
            since?: string;
        };
        TestResultDto: {
            /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
            delivery_id: string;
            /**
             * @description The webhook.test event sent.
             * @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            event_id: string;
            /** @example true */
            success: boolean;
            /** @example 200 */
            http_status: number | null;
            /** @example 182 */
            response_time_ms: number;
            error: string | null;
            /**
             * @description Cut at 4 KiB.
             * @example ok
             */
            response_body: string | null;
        };
        DeliveryLogItemDto: {
            /**
             * @description queued → sending → success | retrying → … → dead; cancelled when its webhook is disabled or deleted.
             * @example success
             * @enum {string}
             */
            status: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled";
            /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
            delivery_id: string;
            /**
             * @description The webhook endpoint it goes to.
             * @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            webhook_id: string;
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            /** @example deal.won */
            event_type: string;
            /**
             * @description Attempts made so far.
             * @example 1
             */
            attempt: number;
            /**
             * @description The HTTP status of the last attempt; null before it or when no answer came.
             * @example 200
             */
            http_status: number | null;
            /** @description Why the last attempt failed. */
            error: string | null;
            /** @description When the next attempt is due (queued and retrying deliveries). */
            next_attempt_at: string | null;
            /** @example 2025-01-09T12:00:05.123Z */
            last_attempt_at: string | null;
            /** @description The delivery this one sends again, when it is a retry. */
            original_delivery_id: string | null;
            /**
             * @description The batch this delivery was sent in (its members share status and attempts); null when sent alone or not sent yet.
             * @example bat_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            batch_id: string | null;
            /**
             * @description How many deliveries that batch carries (`X-Webhook-Batch-Size`).
             * @example 100
             */
            batch_size: number | null;
            /** @example 2025-01-09T12:00:05.001Z */
            created_at: string;
            /**
             * @description When it ended (success, dead or cancelled).
             * @example 2025-01-09T12:00:05.311Z
             */
            completed_at: string | null;
            /**
             * @description How long the last attempt took; null before the first one.
             * @example 182
             */
            response_time_ms: number | null;
        };
        CursorPaginationDto: {
            /**
             * @description Items per page, as asked (default 20, at most 100).
             * @example 20
             */
            limit: number;
            /**
             * @description The `cursor` of the next (older) page; null on the last page.
             * @example eyJ0IjoiMjAyNS0wMS0wOVQxMjowMDowMC4wMDBaIiwiaWQiOiJkbHZfMDEifQ
             */
            next_cursor: string | null;
        };
        CursorListMetaDto: {
            /**
             * @description The request's X-Request-ID (generated when the request had none); logs carry it too.
             * @example 6f1c2a0e-3b7d-4c55-9d0e-2f6a1b7c8d9e
             */
            trace_id: string;
            pagination: components["schemas"]["CursorPaginationDto"];
        };
        DeliveryLogFilterDto: {
            /**
             * @description Only deliveries in this status; `failed` is `retrying` or `dead`.
             * @example failed
             * @enum {string}
             */
            status?: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled" | "failed";
            /** @description Only deliveries whose last attempt got this HTTP status. */
            http_status?: number;
            /**
             * @description Text in the request body: found, case-insensitively, anywhere in the event's `data` as published (the JSON every delivery of the event carries); at most 200 characters, 3 or more to use the index.
             * @example jane@example.com
             */
            q?: string;
            /**
             * @description Only deliveries to this webhook endpoint (deleted ones included).
             * @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            webhook_id?: string;
            /**
             * @description An exact event type (`deal.won`), a prefix wildcard (`deal.*`, any depth) or `*`.
             * @example deal.*
             */
            event_type?: string;
            /**
             * @description Only the deliveries of this event.
             * @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i
             */
            event_id?: string;
            /**
             * @description Created at or after this time (ISO-8601).
             * @example 2025-01-09T00:00:00Z
             */
            since?: string;
            /**
             * @description Created before this time (ISO-8601), not earlier than `since`.
             * @example 2025-01-10T00:00:00Z
             */
            until?: string;
        };
        RetryMatchingDto: {
            /** @description The deliveries to send again, as the log's filter selects them; at least one field. */
            filter: components["schemas"]["DeliveryLogFilterDto"];
        };
        BatchDto: {
            /**
             * @description A batch leaves as soon as it holds this many events.
             * @example 100
             */
            max_events: number;
            /**
             * @description A batch leaves when its oldest event has waited this long (milliseconds), full or not.
             * @example 5000
             */
            max_wait_ms: number;
        };
        LastDeliveryDto: {
            /** @example 2025-01-09T12:00:05.123Z */
            at: string;
            /** @example success */
            status: string;
            /** @example 200 */
            http_status: number | null;
        };
        SubscriptionWithSecretDto: {
            /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
            webhook_id: string;
            /**
             * @description The extra headers by name; values are write-only and always answered as "••••".
             * @example {
             *       "Authorization": "••••"
             *     }
             */
            headers: {
                [key: string]: "••••";
            };
            payload_template: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            preset: "slack" | "telegram" | "discord" | null;
            /**
             * @description What `X-Webhook-Signature` signs: `"<timestamp>.<body>"` (timestamped) or the body alone (body).
             * @example timestamped
             * @enum {string}
             */
            signature_format: "timestamped" | "body";
            /** @description Batch delivery settings; null: one event per request. */
            batch: components["schemas"]["BatchDto"] | null;
            last_delivery: components["schemas"]["LastDeliveryDto"] | null;
            /**
             * @description The signing secret. Shown in the create and rotate answers only.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
            name: string;
            url: string;
            events: string[];
            active: boolean;
            description: string | null;
            metadata: {
                [key: string]: unknown;
            };
            /** @description Whether any extra header is set. */
            has_headers: boolean;
            timeout_ms: number;
            rate_limit_per_second: number | null;
            ordered: boolean;
            /** @description Why the subscription was disabled automatically, if it was. */
            disabled_reason: string | null;
            created_at: string;
            updated_at: string;
            /** @description Attempts made. */
            deliveries_count: number;
            /** @description Attempts that failed. */
            failures_count: number;
            /**
             * @description Successful attempts in percent, 2 decimals; null before the first attempt.
             * @example 99.5
             */
            success_rate: number | null;
        };
        CreateSubscriptionDto: {
            /**
             * @description Extra request headers sent with every delivery, at most 50. Names are RFC 9110 tokens and may not be one of Hookhub's own (Content-*, Host, User-Agent, Connection, Transfer-Encoding, X-Webhook-*, X-Delivery-*, X-Event-ID, X-Request-ID, webhook-*); values are visible US-ASCII with inner spaces or tabs, at most 2000 characters. Write-only: values are stored encrypted and answered as "••••".
             * @example {
             *       "Authorization": "Bearer sk_live_…",
             *       "X-Tenant": "acme"
             *     }
             */
            headers?: {
                [key: string]: string;
            };
            /**
             * @description A JSON template whose strings may hold `{{path}}` placeholders into the event; its rendering replaces the envelope.
             * @example {
             *       "text": "New event {{event_type}}: {{data.title}}"
             *     }
             */
            payload_template?: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            preset?: "slack" | "telegram" | "discord" | null;
            /**
             * @description What `X-Webhook-Signature` signs: `timestamped`, `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<body>")>`,
             *     or `body`, `sha256=<hex HMAC-SHA256(secret, body)>` (what `hash_hmac('sha256', $body, $secret)` checks).
             *     The Standard Webhooks headers are the same either way.
             * @default timestamped
             * @example body
             * @enum {string}
             */
            signature_format?: "timestamped" | "body";
            /**
             * @description Send events in batches: one signed POST whose body is a JSON array of the usual envelopes, with
             *     `X-Webhook-Batch-Size`. A batch leaves when it holds `max_events` events or its oldest event has
             *     waited `max_wait_ms`. Null (the default) sends one event per request. Not with `payload_template` or `preset`.
             */
            batch?: components["schemas"]["BatchDto"] | null;
            /** @example CRM sync */
            name: string;
            /**
             * @description Where deliveries are POSTed: https (http only with ALLOW_HTTP_URLS=true); private addresses are refused.
             * @example https://example.com/hooks/hookhub
             */
            url: string;
            /**
             * @description Event types to receive: exact (`deal.won`), prefix wildcard (`task.*`) or `*`.
             * @example [
             *       "deal.won",
             *       "lead.*"
             *     ]
             */
            events: string[];
            /** @description Signing secret, at least 16 characters; generated as `whsec_…` when omitted. */
            secret?: string;
            /** @description @default true */
            active?: boolean;
            description?: string | null;
            /** @description Free-form JSON object kept with the subscription (`chat_id` here feeds the telegram preset). */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description @minimum 1000 @maximum 30000 @default 10000 */
            timeout_ms?: number;
            /** @description At most this many deliveries per second to this URL; unlimited when null. */
            rate_limit_per_second?: number | null;
            /** @description Deliveries of one entity_key leave in the order their events were produced. @default false */
            ordered?: boolean;
        };
        SubscriptionDto: {
            /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
            webhook_id: string;
            /**
             * @description The extra headers by name; values are write-only and always answered as "••••".
             * @example {
             *       "Authorization": "••••"
             *     }
             */
            headers: {
                [key: string]: "••••";
            };
            payload_template: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            preset: "slack" | "telegram" | "discord" | null;
            /**
             * @description What `X-Webhook-Signature` signs: `"<timestamp>.<body>"` (timestamped) or the body alone (body).
             * @example timestamped
             * @enum {string}
             */
            signature_format: "timestamped" | "body";
            /** @description Batch delivery settings; null: one event per request. */
            batch: components["schemas"]["BatchDto"] | null;
            last_delivery: components["schemas"]["LastDeliveryDto"] | null;
            name: string;
            url: string;
            events: string[];
            active: boolean;
            description: string | null;
            metadata: {
                [key: string]: unknown;
            };
            /** @description Whether any extra header is set. */
            has_headers: boolean;
            timeout_ms: number;
            rate_limit_per_second: number | null;
            ordered: boolean;
            /** @description Why the subscription was disabled automatically, if it was. */
            disabled_reason: string | null;
            created_at: string;
            updated_at: string;
            /** @description Attempts made. */
            deliveries_count: number;
            /** @description Attempts that failed. */
            failures_count: number;
            /**
             * @description Successful attempts in percent, 2 decimals; null before the first attempt.
             * @example 99.5
             */
            success_rate: number | null;
        };
        UpdateSubscriptionDto: {
            /**
             * @description A JSON template whose strings may hold `{{path}}` placeholders into the event; its rendering replaces the envelope.
             * @example {
             *       "text": "New event {{event_type}}: {{data.title}}"
             *     }
             */
            payload_template?: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            preset?: "slack" | "telegram" | "discord" | null;
            /**
             * @description What `X-Webhook-Signature` signs: `timestamped`, `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<body>")>`,
             *     or `body`, `sha256=<hex HMAC-SHA256(secret, body)>` (what `hash_hmac('sha256', $body, $secret)` checks).
             *     The Standard Webhooks headers are the same either way.
             * @default timestamped
             * @example body
             * @enum {string}
             */
            signature_format?: "timestamped" | "body";
            /**
             * @description Send events in batches: one signed POST whose body is a JSON array of the usual envelopes, with
             *     `X-Webhook-Batch-Size`. A batch leaves when it holds `max_events` events or its oldest event has
             *     waited `max_wait_ms`. Null (the default) sends one event per request. Not with `payload_template` or `preset`.
             */
            batch?: components["schemas"]["BatchDto"] | null;
            /** @example CRM sync */
            name?: string;
            /**
             * @description Where deliveries are POSTed: https (http only with ALLOW_HTTP_URLS=true); private addresses are refused.
             * @example https://example.com/hooks/hookhub
             */
            url?: string;
            /**
             * @description Event types to receive: exact (`deal.won`), prefix wildcard (`task.*`) or `*`.
             * @example [
             *       "deal.won",
             *       "lead.*"
             *     ]
             */
            events?: string[];
            /** @description Signing secret, at least 16 characters; generated as `whsec_…` when omitted. */
            secret?: string;
            /** @description @default true */
            active?: boolean;
            description?: string | null;
            /** @description Free-form JSON object kept with the subscription (`chat_id` here feeds the telegram preset). */
            metadata?: {
                [key: string]: unknown;
            };
            /** @description @minimum 1000 @maximum 30000 @default 10000 */
            timeout_ms?: number;
            /** @description At most this many deliveries per second to this URL; unlimited when null. */
            rate_limit_per_second?: number | null;
            /** @description Deliveries of one entity_key leave in the order their events were produced. @default false */
            ordered?: boolean;
            /**
             * @description Changes the named headers only: a string sets or replaces one, null removes it, "••••" keeps its stored value; headers not named are kept.
             * @example {
             *       "Authorization": "Bearer sk_live_new…",
             *       "X-Tenant": "••••",
             *       "X-Old": null
             *     }
             */
            headers?: {
                [key: string]: string | null;
            };
        };
        DeletedSubscriptionDto: {
            /** @example deleted */
            status: string;
            webhook_id: string;
        };
        RotatedSecretDto: {
            /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
            webhook_id: string;
            /**
             * @description The extra headers by name; values are write-only and always answered as "••••".
             * @example {
             *       "Authorization": "••••"
             *     }
             */
            headers: {
                [key: string]: "••••";
            };
            payload_template: {
                [key: string]: unknown;
            } | null;
            /** @enum {string|null} */
            preset: "slack" | "telegram" | "discord" | null;
            /**
             * @description What `X-Webhook-Signature` signs: `"<timestamp>.<body>"` (timestamped) or the body alone (body).
             * @example timestamped
             * @enum {string}
             */
            signature_format: "timestamped" | "body";
            /** @description Batch delivery settings; null: one event per request. */
            batch: components["schemas"]["BatchDto"] | null;
            last_delivery: components["schemas"]["LastDeliveryDto"] | null;
            /**
             * @description The signing secret. Shown in the create and rotate answers only.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
            name: string;
            url: string;
            events: string[];
            active: boolean;
            description: string | null;
            metadata: {
                [key: string]: unknown;
            };
            /** @description Whether any extra header is set. */
            has_headers: boolean;
            timeout_ms: number;
            rate_limit_per_second: number | null;
            ordered: boolean;
            /** @description Why the subscription was disabled automatically, if it was. */
            disabled_reason: string | null;
            created_at: string;
            updated_at: string;
            /** @description Attempts made. */
            deliveries_count: number;
            /** @description Attempts that failed. */
            failures_count: number;
            /**
             * @description Successful attempts in percent, 2 decimals; null before the first attempt.
             * @example 99.5
             */
            success_rate: number | null;
            /** @description Until then the previous secret signs beside the new one. */
            previous_secret_expires_at: string;
        };
        PublishedEventDto: {
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            event_type: string;
            /** @description Subscriptions that will receive it. */
            matched_webhooks: number;
        };
        PublishEventDto: {
            /**
             * @example {
             *       "deal_id": 42,
             *       "amount": "1500.00"
             *     }
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * @example {
             *       "source": "crm"
             *     }
             */
            metadata?: {
                [key: string]: unknown;
            };
            /** @example deal.won */
            event_type: string;
            /**
             * @description The entity the event is about (`<provider>:<account>:<entity>:<id>`); endpoints with `ordered: true` receive one entity's events in order.
             * @example crm:acme:deal:42
             */
            entity_key?: string;
            /** @description The same key within 24 h answers the first event again and creates nothing (the Idempotency-Key header works too). */
            idempotency_key?: string;
        };
        EventLogItemDto: {
            /**
             * @example {
             *       "deal_id": 42,
             *       "amount": "1500.00"
             *     }
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * @example {
             *       "source": "crm"
             *     }
             */
            metadata: {
                [key: string]: unknown;
            };
            /**
             * @description Who published it: the API, an inbound webhook or Hookhub itself.
             * @example api
             * @enum {string}
             */
            source: "api" | "inbound" | "system";
            /**
             * @description The source whose inbound webhook produced the event; null for other events.
             * @example null
             */
            source_id: string | null;
            /**
             * @description The inbound event it was normalised from; null for other events.
             * @example null
             */
            inbound_event_id: string | null;
            /** @example deal-42-won */
            idempotency_key: string | null;
            /** @example crm:acme:deal:42 */
            entity_key: string | null;
            /**
             * @description Deliveries of the event (retries made by hand included).
             * @example 2
             */
            deliveries_count: number;
            /**
             * @description Those of its deliveries that are retrying or dead.
             * @example 0
             */
            failed_deliveries_count: number;
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            /** @example deal.won */
            event_type: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        EventDeliveryDto: {
            /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
            delivery_id: string;
            /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
            webhook_id: string;
            /** @example success */
            status: string;
            /**
             * @description Attempts made so far.
             * @example 1
             */
            attempt: number;
            /**
             * @description The status code of the last attempt's answer; null before one or when none came.
             * @example 200
             */
            http_status: number | null;
            /** @description When the next attempt is due; null when none is. */
            next_attempt_at: string | null;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        EventDto: {
            /**
             * @example {
             *       "deal_id": 42,
             *       "amount": "1500.00"
             *     }
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * @example {
             *       "source": "crm"
             *     }
             */
            metadata: {
                [key: string]: unknown;
            };
            /**
             * @description Who published it: the API, an inbound webhook or Hookhub itself.
             * @example api
             * @enum {string}
             */
            source: "api" | "inbound" | "system";
            /**
             * @description The source whose inbound webhook produced the event; null for other events.
             * @example null
             */
            source_id: string | null;
            /**
             * @description The inbound event it was normalised from; null for other events.
             * @example null
             */
            inbound_event_id: string | null;
            /** @example deal-42-won */
            idempotency_key: string | null;
            /** @example crm:acme:deal:42 */
            entity_key: string | null;
            /** @description Every delivery of the event, oldest first. */
            deliveries: components["schemas"]["EventDeliveryDto"][];
            /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
            event_id: string;
            /** @example deal.won */
            event_type: string;
            /** @example 2025-01-09T12:00:05.123Z */
            created_at: string;
        };
        EventTypeDto: {
            /** @example deal.won */
            event_type: string;
            description: string | null;
            /** @description Whether this tenant has published it in the last 30 days. */
            seen: boolean;
        };
        ConditionDto: {
            /**
             * @example eq
             * @enum {string}
             */
            op: "eq" | "neq" | "in" | "exists" | "contains";
            /**
             * @description The value to compare with (an array for `in`; true/false or nothing for `exists`).
             * @example 142
             */
            value?: string | number | boolean | unknown[];
            /**
             * @description A dotted path into the event.
             * @example data.status_id
             */
            path: string;
        };
        SuppressionDto: {
            /** @description Booking suppression on booking events (default true). */
            enabled?: boolean;
            /**
             * @description A booking whose comment holds this text was made by our own bot: no notice.
             * @example #bot
             */
            bot_marker?: string;
            /** @description A client who wrote to us within this many minutes gets no notice. @default 5 */
            active_client_minutes?: number;
        };
        WhatsAppTemplateDto: {
            name: string;
            language: string;
            /** @description Body parameters, each a template (Handlebars) rendered from the event. */
            parameters: string[];
        };
        NotificationRuleDto: {
            /** @example rule_01jd8x4m2k7q9w3e5r6t8y0u1i */
            rule_id: string;
            /** @enum {string} */
            channel: "telegram" | "slack" | "whatsapp";
            name: string;
            event_types: string[];
            conditions: components["schemas"]["ConditionDto"][];
            target: string;
            template: string | null;
            template_id: string | null;
            parse_mode: string | null;
            locale: string | null;
            timezone: string | null;
            /**
             * @description Which credentials are set (values are never shown).
             * @example [
             *       "bot_token"
             *     ]
             */
            credentials_set: string[];
            suppression: components["schemas"]["SuppressionDto"];
            whatsapp_template: components["schemas"]["WhatsAppTemplateDto"] | null;
            active: boolean;
            created_at: string;
            updated_at: string;
        };
        CredentialsDto: {
            /** @description Telegram bot token. */
            bot_token?: string;
            /** @description WhatsApp Cloud API phone number id. */
            phone_number_id?: string;
            /** @description WhatsApp Cloud API access token. */
            access_token?: string;
        };
        CreateNotificationRuleDto: {
            /**
             * @example telegram
             * @enum {string}
             */
            channel: "telegram" | "slack" | "whatsapp";
            /**
             * @description A built-in template.
             * @enum {string}
             */
            template_id?: "booking_created" | "booking_changed" | "booking_cancelled" | "lead_status_changed" | "deal_won";
            /**
             * @description Telegram parse mode of the text. @default "MarkdownV2"
             * @enum {string}
             */
            parse_mode?: "MarkdownV2" | "HTML";
            /** @example Booking confirmations */
            name: string;
            /**
             * @description Event type patterns: exact, `prefix.*` or `*`.
             * @example [
             *       "record.created"
             *     ]
             */
            event_types: string[];
            conditions?: components["schemas"]["ConditionDto"][];
            /**
             * @description A fixed chat id, Slack incoming-webhook URL or phone, or a path into the event.
             * @example data.client.phone
             */
            target: string;
            /** @description A Handlebars template (helpers: date, time, datetime, money, phone, join, default…). Give this or template_id. */
            template?: string;
            /**
             * @description Overrides the tenant's locale for this rule.
             * @example ru
             */
            locale?: string;
            /**
             * @description Overrides the tenant's time zone for this rule.
             * @example Asia/Almaty
             */
            timezone?: string;
            /** @description Channel credentials; stored encrypted, never shown again. */
            credentials?: components["schemas"]["CredentialsDto"];
            suppression?: components["schemas"]["SuppressionDto"];
            /** @description Send a WhatsApp template message instead of text (needed outside the 24 h window). */
            whatsapp_template?: components["schemas"]["WhatsAppTemplateDto"];
            /** @description @default true */
            active?: boolean;
        };
        UpdateNotificationRuleDto: {
            /**
             * @example telegram
             * @enum {string}
             */
            channel?: "telegram" | "slack" | "whatsapp";
            /**
             * @description A built-in template.
             * @enum {string}
             */
            template_id?: "booking_created" | "booking_changed" | "booking_cancelled" | "lead_status_changed" | "deal_won";
            /**
             * @description Telegram parse mode of the text. @default "MarkdownV2"
             * @enum {string}
             */
            parse_mode?: "MarkdownV2" | "HTML";
            /** @example Booking confirmations */
            name?: string;
            /**
             * @description Event type patterns: exact, `prefix.*` or `*`.
             * @example [
             *       "record.created"
             *     ]
             */
            event_types?: string[];
            conditions?: components["schemas"]["ConditionDto"][];
            /**
             * @description A fixed chat id, Slack incoming-webhook URL or phone, or a path into the event.
             * @example data.client.phone
             */
            target?: string;
            /** @description A Handlebars template (helpers: date, time, datetime, money, phone, join, default…). Give this or template_id. */
            template?: string;
            /**
             * @description Overrides the tenant's locale for this rule.
             * @example ru
             */
            locale?: string;
            /**
             * @description Overrides the tenant's time zone for this rule.
             * @example Asia/Almaty
             */
            timezone?: string;
            /** @description Channel credentials; stored encrypted, never shown again. */
            credentials?: components["schemas"]["CredentialsDto"];
            suppression?: components["schemas"]["SuppressionDto"];
            /** @description Send a WhatsApp template message instead of text (needed outside the 24 h window). */
            whatsapp_template?: components["schemas"]["WhatsAppTemplateDto"];
            /** @description @default true */
            active?: boolean;
        };
        DeletedRuleDto: {
            /** @example deleted */
            status: string;
            rule_id: string;
        };
        TestRuleResultDto: {
            provider_response: {
                [key: string]: unknown;
            } | null;
            sent: boolean;
            rendered_text: string | null;
            target: string | null;
            provider_status: number | null;
            error: string | null;
        };
        TestRuleDto: {
            /** @description The event to render and send; a sample of the rule's first event type when omitted. */
            event?: {
                [key: string]: unknown;
            };
        };
        NotificationDto: {
            /** @example ntf_01jd8x4m2k7q9w3e5r6t8y0u1i */
            notification_id: string;
            /** @enum {string} */
            status: "queued" | "sending" | "sent" | "skipped" | "failed";
            provider_response: {
                [key: string]: unknown;
            } | null;
            rule_id: string;
            event_id: string;
            event_type: string;
            channel: string;
            target: string | null;
            /** @description Why it was not sent: made_by_bot, client_active, no_phone, stale, rule_inactive, no_target. */
            skip_reason: string | null;
            rendered_text: string | null;
            provider_status: number | null;
            error: string | null;
            attempts: number;
            next_attempt_at: string | null;
            sent_at: string | null;
            created_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "health.check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `{status: "ok", info: {database, redis, queues: {<queue>: {status, waiting, active, delayed, failed}}}}` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `{status: "error", error: {...}}` naming what is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "health.metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "tenants.getMe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TenantDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.updateMe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Acme Ltd",
                 *       "timezone": "Europe/Berlin",
                 *       "locale": "en"
                 *     }
                 */
                "application/json": components["schemas"]["UpdateTenantDto"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TenantDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.listMyKeys": {
        parameters: {
            query?: {
                /** @description Items per answer. */
                limit?: number;
                /** @description Items to skip, newest first. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKeyDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.createMyKey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "CI deploys"
                 *     }
                 */
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["CreatedApiKeyDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.revokeMyKey": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example key_01jd8x4m2k7q9w3e5r6t8y0u1i */
                api_key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RevokedApiKeyDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /**
                 * @description Items to skip, newest first.
                 * @example 0
                 */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TenantSummaryDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid admin key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN: ADMIN_API_KEY is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Acme Ltd"
                 *     }
                 */
                "application/json": components["schemas"]["CreateTenantDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["CreatedTenantDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid admin key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN: ADMIN_API_KEY is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeletedTenantDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid admin key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN: ADMIN_API_KEY is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.createKey": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
                tenant_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Billing service"
                 *     }
                 */
                "application/json": components["schemas"]["CreateApiKeyDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["CreatedApiKeyDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid admin key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN: ADMIN_API_KEY is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "tenants.revokeKey": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example ten_01jd8x4m2k7q9w3e5r6t8y0u1i */
                tenant_id: string;
                /** @example key_01jd8x4m2k7q9w3e5r6t8y0u1i */
                api_key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RevokedApiKeyDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid admin key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN: ADMIN_API_KEY is not set */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "ingest.receive": {
        parameters: {
            query?: {
                /** @description url-token: equals the secret (the `ingest_url` of such a source carries it). */
                token?: unknown;
            };
            header?: {
                /**
                 * @description hmac-sha256: `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<raw body>")>`; hmac-sha256-body: `sha256=<hex HMAC-SHA256(secret, raw body)>`. The source’s `verification.header` may name another header.
                 * @example sha256=4d0b5c1f0f1a7e2c9b7e5d3a1c2b4f6e8d0a9c7b5e3f1d2c4b6a8e0f9d7c5b3a
                 */
                "X-Webhook-Signature"?: string;
                /**
                 * @description hmac-sha256: Unix seconds of the signature, within the source’s `tolerance_s` (default 300).
                 * @example 1736424005
                 */
                "X-Webhook-Timestamp"?: string;
                /** @description standard-webhooks: the message id, signed with the timestamp and body. */
                "webhook-id"?: string;
                /** @description standard-webhooks: Unix seconds, within `tolerance_s`. */
                "webhook-timestamp"?: string;
                /** @description standard-webhooks: `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>`. */
                "webhook-signature"?: string;
                /** @description github: `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
                "X-Hub-Signature-256"?: string;
                /** @description stripe: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
                "Stripe-Signature"?: string;
                /** @description slack: `v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`. */
                "X-Slack-Signature"?: string;
                /** @description slack: Unix seconds, within 5 minutes. */
                "X-Slack-Request-Timestamp"?: string;
                /** @description telegram: equals the secret (setWebhook’s secret_token). */
                "X-Telegram-Bot-Api-Secret-Token"?: string;
                /** @description kommo-chats: `<hex HMAC-SHA1(channel secret, raw body)>`. */
                "X-Signature"?: string;
                /** @description shared-token: equals the secret. The source’s `verification.header` may name another header. */
                "X-Webhook-Token"?: string;
                /** @description The event type when the body has no `event_type` or `type` (generic sources). */
                "X-Webhook-Event"?: string;
                /** @description The sender’s id of this webhook: a second request with the same id is a duplicate (generic sources). */
                "X-Webhook-Event-ID"?: string;
                /** @description Used like X-Webhook-Event-ID when that header is absent (generic sources). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "event_type": "order.created",
                 *       "event_id": "ord-42-created",
                 *       "order": {
                 *         "id": 42,
                 *         "total": "99.90"
                 *       }
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description A duplicate: the first inbound event id, status "duplicate" */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED | INVALID_SIGNATURE */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "ingest.receiveGeneric": {
        parameters: {
            query?: {
                /** @description url-token: equals the secret (the `ingest_url` of such a source carries it). */
                token?: unknown;
            };
            header: {
                /**
                 * @description hmac-sha256: `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<raw body>")>`; hmac-sha256-body: `sha256=<hex HMAC-SHA256(secret, raw body)>`. The source’s `verification.header` may name another header.
                 * @example sha256=9a1f3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a
                 */
                "X-Webhook-Signature"?: string;
                /**
                 * @description hmac-sha256: Unix seconds of the signature, within the source’s `tolerance_s` (default 300).
                 * @example 1736424005
                 */
                "X-Webhook-Timestamp"?: string;
                /** @description standard-webhooks: the message id, signed with the timestamp and body. */
                "webhook-id"?: string;
                /** @description standard-webhooks: Unix seconds, within `tolerance_s`. */
                "webhook-timestamp"?: string;
                /** @description standard-webhooks: `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>`. */
                "webhook-signature"?: string;
                /** @description github: `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
                "X-Hub-Signature-256"?: string;
                /** @description stripe: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
                "Stripe-Signature"?: string;
                /** @description slack: `v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`. */
                "X-Slack-Signature"?: string;
                /** @description slack: Unix seconds, within 5 minutes. */
                "X-Slack-Request-Timestamp"?: string;
                /** @description telegram: equals the secret (setWebhook’s secret_token). */
                "X-Telegram-Bot-Api-Secret-Token"?: string;
                /** @description kommo-chats: `<hex HMAC-SHA1(channel secret, raw body)>`. */
                "X-Signature"?: string;
                /** @description shared-token: equals the secret. The source’s `verification.header` may name another header. */
                "X-Webhook-Token"?: string;
                /** @description The event type when the body has no `event_type` or `type` (generic sources). */
                "X-Webhook-Event"?: string;
                /** @description The sender’s id of this webhook: a second request with the same id is a duplicate (generic sources). */
                "X-Webhook-Event-ID"?: string;
                /** @description Used like X-Webhook-Event-ID when that header is absent (generic sources). */
                "Idempotency-Key"?: string;
                /**
                 * @description The source id (src_…)
                 * @example src_01jd8x4m2k7q9w3e5r6t8y0u1i
                 */
                "X-Webhook-ID": string;
            };
            path: {
                /** @example message */
                kind: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "event_id": "msg-7781",
                 *       "chat_id": "c-19",
                 *       "text": "Is my order on its way?"
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description A duplicate: the first inbound event id, status "duplicate" */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED | INVALID_SIGNATURE */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "sources.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /**
                 * @description Items to skip, newest first.
                 * @example 0
                 */
                offset?: number;
                /** @example generic */
                provider?: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SourceDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "sources.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Order system",
                 *       "provider": "generic",
                 *       "verification": {
                 *         "scheme": "hmac-sha256",
                 *         "secret": "whsec_orders_7Hq2xLkP9mWv4Rt8",
                 *         "tolerance_s": 300
                 *       },
                 *       "config": {
                 *         "default_event_type": "order.updated",
                 *         "max_retries": 3,
                 *         "rate_limit_per_second": 50
                 *       },
                 *       "active": true
                 *     }
                 */
                "application/json": components["schemas"]["CreateSourceDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SourceWithSecretDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "sources.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SourceDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "sources.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeletedSourceDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "sources.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Order system (EU)",
                 *       "config": {
                 *         "default_event_type": "order.updated",
                 *         "max_retries": 5
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["UpdateSourceDto"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SourceWithSecretDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "inboundEvents.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /** @description Items to skip, newest first. */
                offset?: number;
                /** @description 1-based page; when given, pagination is `{page, limit, total, total_pages}` and `offset` is ignored. */
                page?: number;
                /** @example completed */
                status?: "pending" | "processing" | "completed" | "retrying" | "failed";
                /** @example generic */
                provider?: "generic" | "kommo" | "yclients" | "slack" | "telegram" | "whatsapp" | "github" | "stripe";
                /** @example order.created */
                event_type?: string;
                event_subtype?: string;
                entity_type?: string;
                entity_id?: string;
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id?: string;
                /** @description Received at or after (ISO-8601). */
                start_date?: string;
                /** @description Received before (ISO-8601). */
                end_date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InboundEventDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "inboundEvents.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example in_01jd8x4m2k7q9w3e5r6t8y0u1i */
                inbound_event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["InboundEventDetailDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "inboundEvents.retry": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example in_01jd8x4m2k7q9w3e5r6t8y0u1i */
                inbound_event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RetriedInboundEventDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "kommo.receive": {
        parameters: {
            query?: {
                /**
                 * @description The source's secret (url-token scheme).
                 * @example kommo_url_token_5d8a1c
                 */
                token?: unknown;
            };
            header?: {
                /** @description The Kommo account id or subdomain; when given, it alone picks the source (the body's account block is not read). */
                "X-Org-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /** @example leads%5Bstatus%5D%5B0%5D%5Bid%5D=23802129&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=7719570&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=61523958&leads%5Bstatus%5D%5B0%5D%5Bupdated_at%5D=1726139530&account%5Bsubdomain%5D=examplecorp&account%5Bid%5D=29013640 */
                "application/x-www-form-urlencoded": string;
                "application/json": string;
            };
        };
        responses: {
            /** @description A duplicate (a Kommo retry): the first inbound event id, status "duplicate" */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description INVALID_SIGNATURE: no matching source verified the token or signature; nothing is stored */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED, with Retry-After: over the source’s rate_limit_per_second, or the matching sources took VERIFY_FAILURE_LIMIT failed verifications this minute (then every request, even a correctly signed one, is refused until the minute is over) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "yclients.receive": {
        parameters: {
            query?: {
                /**
                 * @description The source's secret (url-token, the YClients default)
                 * @example yclients_url_token_9f2e4b
                 */
                token?: unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "company_id": 307626,
                 *       "resource": "record",
                 *       "resource_id": 596792980,
                 *       "status": "create",
                 *       "data": {
                 *         "id": 596792980,
                 *         "datetime": "2025-07-13T12:10:00+05:00",
                 *         "services": [
                 *           {
                 *             "title": "Haircut",
                 *             "cost": 4000
                 *           }
                 *         ]
                 *       }
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description A duplicate: the first inbound event id, status "duplicate" */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description INVALID_SIGNATURE: no matching source verified the token or signature; nothing is stored */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED, with Retry-After: over the source’s rate_limit_per_second, or the matching sources took VERIFY_FAILURE_LIMIT failed verifications this minute (then every request, even a correctly signed one, is refused until the minute is over) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "slack.receiveEvents": {
        parameters: {
            query?: {
                /**
                 * @description The source (src_…), as in the ingest_url
                 * @example src_01jd8x4m2k7q9w3e5r6t8y0u1i
                 */
                source_id?: unknown;
            };
            header: {
                /**
                 * @description Unix seconds, within 5 minutes
                 * @example 1726139999
                 */
                "X-Slack-Request-Timestamp": string;
                /**
                 * @description `v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<raw body>")>`
                 * @example v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503
                 */
                "X-Slack-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "type": "event_callback",
                 *       "team_id": "T0123ABCD",
                 *       "api_app_id": "A0456EFGH",
                 *       "event_id": "Ev07M3PQRSTU",
                 *       "event_time": 1726139999,
                 *       "event": {
                 *         "type": "app_mention",
                 *         "user": "U0789IJKL",
                 *         "text": "<@U0BOT1234> hi",
                 *         "channel": "C0ABCDEF1",
                 *         "ts": "1726139999.000100"
                 *       }
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description `{"challenge": "…"}` (not enveloped) for url_verification; the first inbound event id with status "duplicate" for a retried event; an empty body for slash commands and interactions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description INVALID_SIGNATURE: no matching source verified the token or signature; nothing is stored */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED, with Retry-After: over the source’s rate_limit_per_second, or the matching sources took VERIFY_FAILURE_LIMIT failed verifications this minute (then every request, even a correctly signed one, is refused until the minute is over) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "telegram.receive": {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description setWebhook’s secret_token
                 * @example tg_secret_3b9f1e7c5a
                 */
                "X-Telegram-Bot-Api-Secret-Token": string;
            };
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "update_id": 872356104,
                 *       "message": {
                 *         "message_id": 4021,
                 *         "from": {
                 *           "id": 123456789,
                 *           "is_bot": false,
                 *           "first_name": "Ivan",
                 *           "username": "ivan_p"
                 *         },
                 *         "chat": {
                 *           "id": 123456789,
                 *           "type": "private"
                 *         },
                 *         "date": 1726140200,
                 *         "text": "/start promo_42"
                 *       }
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description A duplicate: the first inbound event id, status "duplicate" */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Stored; processed asynchronously */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED | INVALID_SIGNATURE */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "whatsapp.verify": {
        parameters: {
            query: {
                /** @example 1158201444 */
                "hub.challenge": unknown;
                /** @example meatyhamhock */
                "hub.verify_token": unknown;
                /** @example subscribe */
                "hub.mode": unknown;
            };
            header?: never;
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The hub.challenge, as text/plain */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": unknown;
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "whatsapp.receive": {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description sha256=<hex HMAC-SHA256(app secret, body)>
                 * @example sha256=7d38cdd689735b008b3c702edd92eea23791c5f6a2b7c4c4f0f2c2b1e3d5a7c9
                 */
                "X-Hub-Signature-256": string;
            };
            path: {
                /** @example src_01jd8x4m2k7q9w3e5r6t8y0u1i */
                source_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "object": "whatsapp_business_account",
                 *       "entry": [
                 *         {
                 *           "id": "102290129340398",
                 *           "changes": [
                 *             {
                 *               "field": "messages",
                 *               "value": {
                 *                 "messaging_product": "whatsapp",
                 *                 "metadata": {
                 *                   "display_phone_number": "15550783881",
                 *                   "phone_number_id": "106540352242922"
                 *                 },
                 *                 "contacts": [
                 *                   {
                 *                     "profile": {
                 *                       "name": "Anna"
                 *                     },
                 *                     "wa_id": "79161234567"
                 *                   }
                 *                 ],
                 *                 "messages": [
                 *                   {
                 *                     "from": "79161234567",
                 *                     "id": "wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQTdCRkFFRjk1QjIwQzA0N0Y5MwA=",
                 *                     "timestamp": "1726140300",
                 *                     "type": "text",
                 *                     "text": {
                 *                       "body": "Hi"
                 *                     }
                 *                   }
                 *                 ]
                 *               }
                 *             }
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Stored (status "accepted") or a duplicate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["IngestAcceptedDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED | INVALID_SIGNATURE */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description RATE_LIMITED */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description SERVICE_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.getDelivery": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryDetailDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.retryDelivery": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RetriedDeliveryDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.listDeliveries": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /**
                 * @description Items to skip, newest first.
                 * @example 0
                 */
                offset?: number;
                /**
                 * @description Only deliveries in this status; `failed` is `retrying` or `dead`.
                 * @example success
                 */
                status?: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled" | "failed";
                /**
                 * @description Only deliveries of this event type (exact).
                 * @example deal.*
                 */
                event_type?: string;
                /**
                 * @description Created at or after (ISO-8601).
                 * @example 2025-01-09T00:00:00.000Z
                 */
                since?: string;
                /** @description Created before (ISO-8601), not earlier than `since`. */
                until?: string;
            };
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.recover": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "since": "2025-01-09T00:00:00.000Z"
                 *     }
                 */
                "application/json": components["schemas"]["RecoverDto"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RecoveredDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TestResultDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "deliveries.list": {
        parameters: {
            query?: {
                /**
                 * @description Only deliveries in this status; `failed` is `retrying` or `dead`.
                 * @example success
                 */
                status?: "queued" | "sending" | "success" | "retrying" | "dead" | "cancelled" | "failed";
                /**
                 * @description Only deliveries whose last attempt got this HTTP status.
                 * @example 200
                 */
                http_status?: number;
                /**
                 * @description Text in the request body: found, case-insensitively, anywhere in the event's `data` as published (the JSON every delivery of the event carries); at most 200 characters, 3 or more to use the index.
                 * @example 42
                 */
                q?: string;
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /** @description Where the page starts: meta.pagination.next_cursor of the previous answer; the first page when omitted. Rows created after the first page never appear on later pages. */
                cursor?: string;
                /**
                 * @description Only deliveries to this webhook endpoint (deleted ones included).
                 * @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i
                 */
                webhook_id?: string;
                /**
                 * @description An exact event type (`deal.won`), a prefix wildcard (`deal.*`, any depth) or `*`.
                 * @example deal.*
                 */
                event_type?: string;
                /**
                 * @description Only the deliveries of this event.
                 * @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i
                 */
                event_id?: string;
                /**
                 * @description Created at or after this time (ISO-8601).
                 * @example 2025-01-09T00:00:00.000Z
                 */
                since?: string;
                /** @description Created before this time (ISO-8601), not earlier than `since`. */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryLogItemDto"][];
                        meta: components["schemas"]["CursorListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "deliveries.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example dlv_01jd8x4m2k7q9w3e5r6t8y0u1i */
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryDetailDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "deliveries.retryMatching": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "filter": {
                 *         "webhook_id": "wh_01jd8x4m2k7q9w3e5r6t8y0u1i",
                 *         "status": "failed",
                 *         "event_type": "deal.*",
                 *         "since": "2025-01-09T00:00:00.000Z"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["RetryMatchingDto"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RecoveredDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /**
                 * @description Items to skip, newest first.
                 * @example 0
                 */
                offset?: number;
                /**
                 * @description Only active (true) or inactive (false) subscriptions.
                 * @example true
                 */
                active?: "true" | "false";
                /**
                 * @description Only subscriptions that would receive this event type.
                 * @example deal.won
                 */
                event?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "CRM sync",
                 *       "url": "https://example.com/hooks/hookhub",
                 *       "events": [
                 *         "deal.won",
                 *         "lead.*"
                 *       ],
                 *       "description": "Won deals and lead changes for the CRM",
                 *       "metadata": {
                 *         "team": "sales"
                 *       },
                 *       "headers": {
                 *         "Authorization": "Bearer 3f9c2a7e1b5d4c6a"
                 *       },
                 *       "timeout_ms": 10000,
                 *       "rate_limit_per_second": 50,
                 *       "ordered": true,
                 *       "signature_format": "timestamped"
                 *     }
                 */
                "application/json": components["schemas"]["CreateSubscriptionDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionWithSecretDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "CRM sync (register)",
                 *       "url": "https://example.com/hooks/hookhub",
                 *       "events": [
                 *         "deal.won",
                 *         "lead.*"
                 *       ],
                 *       "description": "Won deals and lead changes for the CRM",
                 *       "metadata": {
                 *         "team": "sales"
                 *       },
                 *       "headers": {
                 *         "Authorization": "Bearer 3f9c2a7e1b5d4c6a"
                 *       },
                 *       "timeout_ms": 10000,
                 *       "rate_limit_per_second": 50,
                 *       "ordered": true,
                 *       "signature_format": "timestamped"
                 *     }
                 */
                "application/json": components["schemas"]["CreateSubscriptionDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionWithSecretDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeletedSubscriptionDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "CRM sync (EU)",
                 *       "events": [
                 *         "deal.won",
                 *         "lead.*"
                 *       ],
                 *       "timeout_ms": 15000
                 *     }
                 */
                "application/json": components["schemas"]["UpdateSubscriptionDto"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.toggle": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["SubscriptionDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "webhooks.rotateSecret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example wh_01jd8x4m2k7q9w3e5r6t8y0u1i */
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["RotatedSecretDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "events.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /** @description Where the page starts: meta.pagination.next_cursor of the previous answer; the first page when omitted. Rows created after the first page never appear on later pages. */
                cursor?: string;
                /**
                 * @description An exact type (`deal.won`), a prefix wildcard (`deal.*`: every type starting with `deal.`) or `*`.
                 * @example deal.*
                 */
                event_type?: string;
                /**
                 * @description Events about this entity only.
                 * @example crm:acme:deal:42
                 */
                entity_key?: string;
                /** @description Events produced by this source's inbound webhooks only. */
                source_id?: string;
                /**
                 * @description Created at or after this time (ISO-8601).
                 * @example 2025-01-09T00:00:00.000Z
                 */
                since?: string;
                /**
                 * @description Created before this time (ISO-8601); not before `since`.
                 * @example 2025-01-10T00:00:00.000Z
                 */
                until?: string;
                /**
                 * @description Text the event data contains (keys or values, any case), at most 200 characters.
                 * @example 1500
                 */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventLogItemDto"][];
                        meta: components["schemas"]["CursorListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "events.publish": {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Same as idempotency_key in the body
                 * @example deal-42-won
                 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "event_type": "deal.won",
                 *       "data": {
                 *         "deal_id": 42,
                 *         "amount": "1500.00",
                 *         "currency": "EUR"
                 *       },
                 *       "metadata": {
                 *         "source": "crm"
                 *       },
                 *       "entity_key": "crm:acme:deal:42"
                 *     }
                 */
                "application/json": components["schemas"]["PublishEventDto"];
            };
        };
        responses: {
            /** @description OK */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["PublishedEventDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "events.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example evt_01jd8x4m2k7q9w3e5r6t8y0u1i */
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "events.listTypes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventTypeDto"][];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /**
                 * @description Items to skip, newest first.
                 * @example 0
                 */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationRuleDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Won deals to the sales chat",
                 *       "event_types": [
                 *         "deal.won"
                 *       ],
                 *       "conditions": [
                 *         {
                 *           "path": "data.amount",
                 *           "op": "exists"
                 *         }
                 *       ],
                 *       "channel": "telegram",
                 *       "target": "-1001234567890",
                 *       "template": "Deal {{data.deal_id}} won: {{data.amount}}",
                 *       "parse_mode": "HTML",
                 *       "locale": "en",
                 *       "timezone": "Europe/Berlin",
                 *       "credentials": {
                 *         "bot_token": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
                 *       },
                 *       "active": true
                 *     }
                 */
                "application/json": components["schemas"]["CreateNotificationRuleDto"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationRuleDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example rule_01jd8x4m2k7q9w3e5r6t8y0u1i */
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationRuleDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example rule_01jd8x4m2k7q9w3e5r6t8y0u1i */
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeletedRuleDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example rule_01jd8x4m2k7q9w3e5r6t8y0u1i */
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "template": "Deal {{data.deal_id}} won: {{data.amount}} {{data.currency}}",
                 *       "active": true
                 *     }
                 */
                "application/json": components["schemas"]["UpdateNotificationRuleDto"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationRuleDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notificationRules.test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example rule_01jd8x4m2k7q9w3e5r6t8y0u1i */
                rule_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "event": {
                 *         "event_type": "deal.won",
                 *         "data": {
                 *           "deal_id": 42,
                 *           "amount": "1500.00",
                 *           "currency": "EUR"
                 *         }
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["TestRuleDto"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TestRuleResultDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNPROCESSABLE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notifications.list": {
        parameters: {
            query?: {
                /**
                 * @description Items per answer.
                 * @example 20
                 */
                limit?: number;
                /** @description Items to skip, newest first. */
                offset?: number;
                /** @example sent */
                status?: "queued" | "sending" | "sent" | "skipped" | "failed";
                /** @example telegram */
                channel?: "telegram" | "slack" | "whatsapp";
                rule_id?: string;
                event_id?: string;
                /** @example deal.won */
                event_type?: string;
                skip_reason?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationDto"][];
                        meta: components["schemas"]["ListMetaDto"];
                    };
                };
            };
            /** @description VALIDATION_FAILED | INVALID_JSON | BAD_REQUEST */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
    "notifications.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example ntf_01jd8x4m2k7q9w3e5r6t8y0u1i */
                notification_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationDto"];
                        meta: components["schemas"]["MetaDto"];
                    };
                };
            };
            /** @description UNAUTHORIZED: missing or invalid API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
            /** @description NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDto"];
                };
            };
        };
    };
}
