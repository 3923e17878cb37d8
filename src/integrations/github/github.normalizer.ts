import { isValidEventType } from '../../subscriptions/event-pattern';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string, or a finite number as text (GitHub ids and numbers arrive as JSON numbers). */
const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : null;

/** ISO-8601 text, or unix seconds (push payloads give `repository.pushed_at` as a number); null when unreadable. */
function timeOf(value: unknown): Date | null {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** GitHub event and action names: lowercase words joined by `_` (`pull_request_review`, `ready_for_review`). */
const NAME = /^[a-z0-9_]+$/;

/** The timestamps of a GitHub object, most specific first: the latest change it records. */
const TIME_FIELDS = ['updated_at', 'submitted_at', 'completed_at', 'started_at', 'published_at', 'created_at'];

/** Where an event's own object sits when it is not under the event's name, and which field identifies it. */
interface EntityRule {
  type: string;
  /** The payload key of the object. */
  object: string;
  /** `number` for per-repository numbers (issues, pull requests, alerts), else `id`. */
  id: 'number' | 'id';
  /** The payload key of the object whose timestamps order the event, when not `object`. */
  timeFrom?: string;
}

const rule = (type: string, object: string, id: 'number' | 'id', timeFrom?: string): EntityRule => ({
  type,
  object,
  id,
  timeFrom,
});

const ENTITY_RULES: Readonly<Record<string, EntityRule>> = {
  ping: rule('hook', 'hook', 'id'),
  issues: rule('issue', 'issue', 'number'),
  issue_comment: rule('issue_comment', 'comment', 'id'),
  pull_request: rule('pull_request', 'pull_request', 'number'),
  pull_request_review: rule('pull_request_review', 'review', 'id'),
  pull_request_review_comment: rule('pull_request_review_comment', 'comment', 'id'),
  pull_request_review_thread: rule('pull_request', 'pull_request', 'number'),
  discussion: rule('discussion', 'discussion', 'number'),
  discussion_comment: rule('discussion_comment', 'comment', 'id'),
  commit_comment: rule('commit_comment', 'comment', 'id'),
  milestone: rule('milestone', 'milestone', 'number'),
  dependabot_alert: rule('dependabot_alert', 'alert', 'number'),
  code_scanning_alert: rule('code_scanning_alert', 'alert', 'number'),
  secret_scanning_alert: rule('secret_scanning_alert', 'alert', 'number'),
  deployment_status: rule('deployment', 'deployment', 'id', 'deployment_status'),
  repository: rule('repository', 'repository', 'id'),
  installation: rule('installation', 'installation', 'id'),
  installation_repositories: rule('installation', 'installation', 'id'),
  installation_target: rule('installation', 'installation', 'id'),
  branch_protection_rule: rule('branch_protection_rule', 'rule', 'id'),
};

interface Entity {
  type: string;
  id: string;
  occurredAt: Date | null;
}

/**
 * GitHub webhooks (any repository, organization or App hook) through /ingest/{source_id}: the event is
 * `github.<X-GitHub-Event>`, the action `<event>_<action>` in event_subtype, deduplicated on
 * `X-GitHub-Delivery`. Bodies come as JSON or as the form `payload=<JSON>` (the hook's content type).
 */
export class GithubNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    return str(request.headers['x-github-delivery']);
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const event = eventNameOf(request.headers);
    const { body, encoding } = bodyOf(request);
    const action = typeof body.action === 'string' && NAME.test(body.action) ? body.action : null;
    const entity = entityOf(event, body);
    const account = accountOf(body) ?? request.source.id;
    const delivery = str(request.headers['x-github-delivery']);
    const hookId = str(request.headers['x-github-hook-id']) ?? str(body.hook_id);
    return [
      {
        eventType: `github.${event}`,
        eventSubtype: action ? `${event}_${action}` : null,
        entityType: entity?.type ?? null,
        entityId: entity?.id ?? null,
        entityKey: entity ? `github:${account}:${entity.type}:${entity.id}` : null,
        occurredAt: entity?.occurredAt ?? null,
        data: {
          ...body,
          hookhub: {
            event,
            action,
            delivery_id: delivery,
            hook_id: hookId,
            target_type: str(request.headers['x-github-hook-installation-target-type']),
            target_id: str(request.headers['x-github-hook-installation-target-id']),
          },
        },
        context: {
          github_event: event,
          github_action: action,
          github_delivery: delivery,
          github_hook_id: hookId,
          body_encoding: encoding,
          occurred_at: entity?.occurredAt?.toISOString() ?? null,
        },
      },
    ];
  }
}

function eventNameOf(headers: Record<string, string>): string {
  const event = str(headers['x-github-event']);
  if (!event) {
    throw new Error(
      'no X-GitHub-Event header: GitHub names the event only in that header, so this is not a GitHub delivery',
    );
  }
  if (!NAME.test(event) || !isValidEventType(`github.${event}`)) {
    throw new Error(`X-GitHub-Event "${event}" is not a GitHub event name (lowercase letters, digits and _)`);
  }
  return event;
}

/** The JSON object GitHub sent: the body itself, or the JSON in the `payload` field of a form body. */
function bodyOf(request: InboundRequest): { body: Json; encoding: 'json' | 'form' } {
  const payload = request.payload;
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  const form =
    contentType.startsWith('application/x-www-form-urlencoded') ||
    (isObject(payload) && Object.keys(payload).length === 1 && typeof payload.payload === 'string');
  if (!form) {
    if (!isObject(payload)) throw new Error('the GitHub payload is not a JSON object');
    return { body: payload, encoding: 'json' };
  }
  const field = isObject(payload) ? payload.payload : undefined;
  if (typeof field !== 'string') {
    throw new Error('the form body has no payload field: GitHub form deliveries send payload=<url-encoded JSON>');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch {
    throw new Error('the payload form field is not valid JSON');
  }
  if (!isObject(parsed)) throw new Error('the payload form field is not a JSON object');
  return { body: parsed, encoding: 'form' };
}

/** Whose event it is: the repository, else the organization, the App installation's account or the enterprise. */
function accountOf(body: Json): string | null {
  const repository = isObject(body.repository) ? str(body.repository.full_name) : null;
  const organization = isObject(body.organization) ? str(body.organization.login) : null;
  const installation =
    isObject(body.installation) && isObject(body.installation.account) ? body.installation.account : {};
  const enterprise = isObject(body.enterprise) ? str(body.enterprise.slug) : null;
  return repository ?? organization ?? str(installation.login) ?? enterprise;
}

/** The object the event is about, its id and the time of its latest change; null when it has no single object. */
function entityOf(event: string, body: Json): Entity | null {
  if (event === 'push' || event === 'create' || event === 'delete') return refOf(event, body);
  const known = ENTITY_RULES[event];
  const object = body[known?.object ?? event];
  if (!isObject(object)) return null;
  const id = known ? str(object[known.id]) : (str(object.number) ?? str(object.id));
  if (!id) return null;
  const timed = known?.timeFrom && isObject(body[known.timeFrom]) ? (body[known.timeFrom] as Json) : object;
  return { type: known?.type ?? event, id, occurredAt: latestChange(timed) };
}

function latestChange(object: Json): Date | null {
  for (const field of TIME_FIELDS) {
    const time = timeOf(object[field]);
    if (time) return time;
  }
  return null;
}

/** Pushes, branch and tag creation and deletion are about a git ref, named in full (`refs/heads/main`). */
function refOf(event: string, body: Json): Entity | null {
  const ref = str(body.ref);
  if (!ref) return null;
  if (event === 'push') {
    const pushedAt = isObject(body.repository) ? timeOf(body.repository.pushed_at) : null;
    const headCommit = isObject(body.head_commit) ? timeOf(body.head_commit.timestamp) : null;
    return { type: 'ref', id: ref, occurredAt: pushedAt ?? headCommit };
  }
  const prefix = body.ref_type === 'branch' ? 'refs/heads/' : body.ref_type === 'tag' ? 'refs/tags/' : null;
  return prefix ? { type: 'ref', id: `${prefix}${ref}`, occurredAt: null } : null;
}
