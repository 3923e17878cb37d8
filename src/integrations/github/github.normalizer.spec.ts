import { createHmac } from 'node:crypto';
import { bodyKindOf, parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import { verifierFor } from '../../webhooks/verification';
import { fixtureInput, loadFixture } from '../../webhooks/verification/testing/provider-fixtures';
import type { InboundRequest } from '../provider';
import { GithubNormalizer } from './github.normalizer';

const SECRET = 'test_github_webhook_secret';
const SOURCE = { id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i', provider: 'github', config: {} } as unknown as Source;
const normalizer = new GithubNormalizer();

/** What the processor hands the normaliser: the body parsed as ingest stores it, lower-case headers. */
function inbound(body: Buffer | string, headers: Record<string, string>): InboundRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const kind = bodyKindOf(lower['content-type']);
  if (!kind) throw new Error(`test body has no ingestible content type: ${lower['content-type']}`);
  return { source: SOURCE, payload: parsePayload(Buffer.from(body), kind), headers: lower, kind: null };
}

/** A JSON delivery of `event` as GitHub sends it. */
function delivery(event: string, body: object, delivery = 'd3b07384-d9a0-11ef-8b5a-0c1e4a7d5b21'): InboundRequest {
  return inbound(JSON.stringify(body), {
    'Content-Type': 'application/json',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': delivery,
    'X-GitHub-Hook-ID': '294937131',
  });
}

const REPO = {
  id: 363207517,
  name: 'webhook-test',
  full_name: 'octo-org/webhook-test',
  private: false,
  pushed_at: '2024-09-12T10:59:00Z',
};
const SENDER = { login: 'octocat', id: 1, type: 'User' };

describe('GithubNormalizer: the fixtures', () => {
  it('ping-json: github.ping about the hook, ordered by hook.updated_at, headers kept under data.hookhub', () => {
    const fixture = loadFixture('github', 'ping-json');
    expect(verifierFor('github').verify(fixtureInput(fixture, SECRET))).toEqual({ ok: true });
    const request = inbound(fixture.body, fixture.headers);

    expect(normalizer.dedupKey(request)).toBe('4ae55e0e-a9d6-11eb-87d7-8f44c61441ec');
    const [event, ...more] = normalizer.normalize(request);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      eventType: 'github.ping',
      eventSubtype: null,
      entityType: 'hook',
      entityId: '294937131',
      entityKey: 'github:octo-org/webhook-test:hook:294937131',
      occurredAt: new Date('2024-09-12T11:00:00Z'),
      context: {
        github_event: 'ping',
        github_action: null,
        github_delivery: '4ae55e0e-a9d6-11eb-87d7-8f44c61441ec',
        github_hook_id: '294937131',
        body_encoding: 'json',
        occurred_at: '2024-09-12T11:00:00.000Z',
      },
    });
    expect(event.data).toEqual({
      ...(JSON.parse(fixture.body.toString('utf8')) as object),
      hookhub: {
        event: 'ping',
        action: null,
        delivery_id: '4ae55e0e-a9d6-11eb-87d7-8f44c61441ec',
        hook_id: '294937131',
        target_type: 'repository',
        target_id: '363207517',
      },
    });
    expect(event.data).toMatchObject({ zen: 'Keep it logically awesome.', hook_id: 294937131 });
  });

  it('ping sent form-encoded (payload=<JSON>, spaces as +) gives the same event as the JSON one', () => {
    const fixture = loadFixture('github', 'ping-json');
    const form = new URLSearchParams({ payload: fixture.body.toString('utf8') }).toString();
    expect(form).toMatch(/^payload=%7B%22zen%22%3A%22Keep\+it\+logically\+awesome\./);
    const headers = {
      ...fixture.headers,
      'content-type': 'application/x-www-form-urlencoded',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(form).digest('hex')}`,
    };
    const request = inbound(form, headers);
    expect(request.payload).toEqual({ payload: fixture.body.toString('utf8') });

    const [fromForm] = normalizer.normalize(request);
    const [fromJson] = normalizer.normalize(inbound(fixture.body, fixture.headers));
    expect(fromForm).toEqual({ ...fromJson, context: { ...fromJson.context, body_encoding: 'form' } });
    expect(normalizer.dedupKey(request)).toBe('4ae55e0e-a9d6-11eb-87d7-8f44c61441ec');
  });

  it('official-test-vector: verifies, but its text/plain body never reaches the normaliser (ingest answers 415)', () => {
    const fixture = loadFixture('github', 'official-test-vector');
    expect(verifierFor('github').verify(fixtureInput(fixture, "It's a Secret to Everybody"))).toEqual({ ok: true });
    expect(bodyKindOf(fixture.headers['content-type'])).toBeNull();
  });
});

describe('GithubNormalizer: events and their entities', () => {
  it('issues opened: github.issues / issues_opened about the issue number in its repository', () => {
    const [event] = normalizer.normalize(
      delivery('issues', {
        action: 'opened',
        issue: {
          id: 2514468093,
          number: 42,
          title: 'Webhooks time out',
          state: 'open',
          updated_at: '2024-09-12T11:05:00Z',
        },
        repository: REPO,
        sender: SENDER,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'github.issues',
      eventSubtype: 'issues_opened',
      entityType: 'issue',
      entityId: '42',
      entityKey: 'github:octo-org/webhook-test:issue:42',
      occurredAt: new Date('2024-09-12T11:05:00Z'),
      data: { action: 'opened', issue: { number: 42, title: 'Webhooks time out' }, hookhub: { action: 'opened' } },
      context: { github_event: 'issues', github_action: 'opened' },
    });
  });

  it('pull_request closed: keyed by the pull request number, ordered by its updated_at', () => {
    const [event] = normalizer.normalize(
      delivery('pull_request', {
        action: 'closed',
        number: 7,
        pull_request: { id: 2077186453, number: 7, merged: true, updated_at: '2024-09-13T08:00:01Z' },
        repository: { ...REPO, full_name: 'Octo-Org/Webhook-Test' },
        organization: { login: 'Octo-Org', id: 9 },
        sender: SENDER,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'github.pull_request',
      eventSubtype: 'pull_request_closed',
      entityType: 'pull_request',
      entityId: '7',
      entityKey: 'github:Octo-Org/Webhook-Test:pull_request:7',
      occurredAt: new Date('2024-09-13T08:00:01Z'),
    });
  });

  it('pull_request_review submitted: the review (by id) at submitted_at', () => {
    const [event] = normalizer.normalize(
      delivery('pull_request_review', {
        action: 'submitted',
        review: { id: 2287091923, state: 'approved', submitted_at: '2024-09-13T07:59:00Z' },
        pull_request: { number: 7, updated_at: '2024-09-13T07:59:01Z' },
        repository: REPO,
      }),
    );
    expect(event).toMatchObject({
      eventSubtype: 'pull_request_review_submitted',
      entityType: 'pull_request_review',
      entityId: '2287091923',
      entityKey: 'github:octo-org/webhook-test:pull_request_review:2287091923',
      occurredAt: new Date('2024-09-13T07:59:00Z'),
    });
  });

  it('issue_comment edited: the comment (by id), not the issue', () => {
    const [event] = normalizer.normalize(
      delivery('issue_comment', {
        action: 'edited',
        comment: {
          id: 2345678901,
          body: 'fixed',
          updated_at: '2024-09-12T12:00:00Z',
          created_at: '2024-09-12T11:30:00Z',
        },
        issue: { number: 42, updated_at: '2024-09-12T12:00:00Z' },
        changes: { body: { from: 'broken' } },
        repository: REPO,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'github.issue_comment',
      eventSubtype: 'issue_comment_edited',
      entityType: 'issue_comment',
      entityId: '2345678901',
      entityKey: 'github:octo-org/webhook-test:issue_comment:2345678901',
      occurredAt: new Date('2024-09-12T12:00:00Z'),
    });
  });

  it('push: the full ref, ordered by repository.pushed_at (unix seconds in push payloads)', () => {
    const [event] = normalizer.normalize(
      delivery('push', {
        ref: 'refs/heads/main',
        before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        after: '59b20b8d5c6ff8d09518216e7b7e6cd6dd1f5ab8',
        repository: { ...REPO, pushed_at: 1726142400, created_at: 1619900000 },
        head_commit: { id: '59b20b8d', timestamp: '2024-09-12T13:59:00+02:00' },
        sender: SENDER,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'github.push',
      eventSubtype: null,
      entityType: 'ref',
      entityId: 'refs/heads/main',
      entityKey: 'github:octo-org/webhook-test:ref:refs/heads/main',
      occurredAt: new Date('2024-09-12T12:00:00Z'),
    });
  });

  it('create and delete: branches and tags become full refs, without a time (GitHub sends none)', () => {
    const [branch] = normalizer.normalize(
      delivery('create', { ref: 'feature/x', ref_type: 'branch', master_branch: 'main', repository: REPO }),
    );
    expect(branch).toMatchObject({
      eventType: 'github.create',
      entityType: 'ref',
      entityId: 'refs/heads/feature/x',
      entityKey: 'github:octo-org/webhook-test:ref:refs/heads/feature/x',
      occurredAt: null,
    });
    const [tag] = normalizer.normalize(delivery('delete', { ref: 'v1.2.0', ref_type: 'tag', repository: REPO }));
    expect(tag).toMatchObject({ eventType: 'github.delete', entityId: 'refs/tags/v1.2.0', occurredAt: null });
  });

  it('workflow_job completed: found under the event name, ordered by completed_at', () => {
    const [event] = normalizer.normalize(
      delivery('workflow_job', {
        action: 'completed',
        workflow_job: {
          id: 29679449,
          run_id: 10848779018,
          status: 'completed',
          created_at: '2024-09-12T11:00:00Z',
          started_at: '2024-09-12T11:00:05Z',
          completed_at: '2024-09-12T11:02:10Z',
        },
        repository: REPO,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'github.workflow_job',
      eventSubtype: 'workflow_job_completed',
      entityType: 'workflow_job',
      entityId: '29679449',
      entityKey: 'github:octo-org/webhook-test:workflow_job:29679449',
      occurredAt: new Date('2024-09-12T11:02:10Z'),
    });
  });

  it('deployment_status: keyed by the deployment, ordered by the status time', () => {
    const [event] = normalizer.normalize(
      delivery('deployment_status', {
        action: 'created',
        deployment_status: { id: 1111, state: 'success', updated_at: '2024-09-12T11:10:00Z' },
        deployment: { id: 555, updated_at: '2024-09-12T11:00:00Z' },
        repository: REPO,
      }),
    );
    expect(event).toMatchObject({
      entityType: 'deployment',
      entityId: '555',
      entityKey: 'github:octo-org/webhook-test:deployment:555',
      occurredAt: new Date('2024-09-12T11:10:00Z'),
    });
  });

  it('installation (App): the account is the installation account, the entity the installation', () => {
    const [event] = normalizer.normalize(
      delivery('installation', {
        action: 'created',
        installation: { id: 55110000, account: { login: 'octo-org', id: 9 }, updated_at: '2024-09-12T09:00:00Z' },
        repositories: [{ id: 1, full_name: 'octo-org/a' }],
        sender: SENDER,
      }),
    );
    expect(event).toMatchObject({
      eventSubtype: 'installation_created',
      entityKey: 'github:octo-org:installation:55110000',
      occurredAt: new Date('2024-09-12T09:00:00Z'),
    });
  });

  it('an App hook ping (no repository nor organization) falls back to the source id as account', () => {
    const [event] = normalizer.normalize(
      delivery('ping', {
        zen: 'Design for failure.',
        hook_id: 4242,
        hook: { type: 'App', id: 4242, app_id: 99, updated_at: '2024-09-01T00:00:00Z' },
      }),
    );
    expect(event.entityKey).toBe(`github:${SOURCE.id}:hook:4242`);
  });

  it('star and other events without an object of their own have no entity', () => {
    const [event] = normalizer.normalize(
      delivery('star', { action: 'created', starred_at: '2024-09-12T11:00:00Z', repository: REPO, sender: SENDER }),
    );
    expect(event).toMatchObject({
      eventType: 'github.star',
      eventSubtype: 'star_created',
      entityType: null,
      entityId: null,
      entityKey: null,
      occurredAt: null,
    });
  });

  it('an action that is not a GitHub name is kept in the data but gives no subtype', () => {
    const [event] = normalizer.normalize(
      delivery('issues', { action: 'Opened Now', issue: { number: 1 }, repository: REPO }),
    );
    expect(event.eventSubtype).toBeNull();
    expect(event.data.action).toBe('Opened Now');
  });
});

describe('GithubNormalizer: dedup and refusals', () => {
  it('dedups on X-GitHub-Delivery, and leaves requests without it to the generic rule', () => {
    expect(normalizer.dedupKey(delivery('ping', { zen: 'x' }, 'abc-123'))).toBe('abc-123');
    const anonymous = inbound('{"zen":"x"}', { 'content-type': 'application/json', 'x-github-event': 'ping' });
    expect(normalizer.dedupKey(anonymous)).toBeNull();
  });

  it.each([
    [
      'no X-GitHub-Event header',
      inbound('{"zen":"x"}', { 'content-type': 'application/json' }),
      /no X-GitHub-Event header/,
    ],
    [
      'an X-GitHub-Event that is not a GitHub name',
      inbound('{"zen":"x"}', { 'content-type': 'application/json', 'x-github-event': 'Pull Request' }),
      /X-GitHub-Event "Pull Request" is not a GitHub event name/,
    ],
    [
      'a JSON array',
      inbound('[{"zen":"x"}]', { 'content-type': 'application/json', 'x-github-event': 'ping' }),
      /not a JSON object/,
    ],
    [
      'a form without payload',
      inbound('zen=x', { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping' }),
      /form body has no payload field/,
    ],
    [
      'a form payload that is not JSON',
      inbound('payload=%7Bzen', { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping' }),
      /payload form field is not valid JSON/,
    ],
    [
      'a form payload that is JSON but not an object',
      inbound('payload=42', { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping' }),
      /payload form field is not a JSON object/,
    ],
  ])('throws a readable error for %s', (_case, request, message) => {
    expect(() => normalizer.normalize(request)).toThrow(message);
  });
});
