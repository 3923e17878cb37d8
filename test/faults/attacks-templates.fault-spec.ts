import {
  call,
  createTenant,
  eventually,
  HttpAnswer,
  Json,
  mustPost,
  Receiver,
  Stack,
  startStack,
  Tenant,
} from './helpers';

/**
 * Costly notification templates (issue #17): triple-nested `#each` over a large array is n³ turns of a
 * synchronous render — a billion for 1000 items, minutes of a blocked event loop were rendering not
 * bounded. Against real API and worker processes: the test route answers 422 and the API keeps serving
 * meanwhile; a real event through such a rule fails its notification and the worker keeps sending others.
 */

const V1 = '/api/v1';
const BOT = '123456:ATTACK-token';
const CUBIC =
  '{{#each event.data.items}}{{#each @root.event.data.items}}{{#each @root.event.data.items}}.{{/each}}{{/each}}{{/each}}';
const ITEMS = Array.from({ length: 1000 }, (_, i) => i);
/** Long enough for a loaded machine, far shorter than an unbounded render of ITEMS³. */
const ANSWER_WITHIN_MS = 10_000;

let stack: Stack;
const telegram = new Receiver();

async function rule(tenant: Tenant, template: string): Promise<string> {
  const data = await mustPost(
    stack.baseUrl,
    tenant,
    `${V1}/notification-rules`,
    {
      name: 'costly',
      event_types: ['deal.won'],
      channel: 'telegram',
      target: '1',
      template,
      credentials: { bot_token: BOT },
    },
    201,
  );
  return data.rule_id as string;
}

describe('Attacks: costly notification templates (fault)', () => {
  beforeAll(async () => {
    await telegram.start();
    telegram.reply = () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"result":{"message_id":1}}',
    });
    stack = await startStack({ name: 'attacks-templates', workers: 1, env: { TELEGRAM_API_URL: telegram.url('') } });
  });

  afterAll(async () => {
    await stack?.stop();
    await telegram.stop();
  });

  it('answers 422 to POST /notification-rules/{id}/test with an n³ template, and keeps serving other requests meanwhile', async () => {
    const tenant = await createTenant(stack.baseUrl, 'costly-test');
    const ruleId = await rule(tenant, CUBIC);
    const attacks = Array.from({ length: 4 }, () =>
      call(stack.baseUrl, 'POST', `${V1}/notification-rules/${ruleId}/test`, {
        headers: tenant.auth,
        json: { event: { event_type: 'deal.won', data: { items: ITEMS } } },
        timeoutMs: ANSWER_WITHIN_MS,
      }),
    );
    let attacking = true;
    const all = Promise.all(attacks).finally(() => (attacking = false));
    const health: HttpAnswer[] = [];
    do {
      health.push(await call(stack.baseUrl, 'GET', '/health', { timeoutMs: ANSWER_WITHIN_MS }));
    } while (attacking);
    const answers = await all;

    for (const answer of answers) {
      expect({ status: answer.status, code: answer.json?.error?.code }).toEqual({ status: 422, code: 'UNPROCESSABLE' });
      expect(answer.json.error.details).toEqual([
        { field: 'template', message: expect.stringMatching(/too much work/), limit: 'work' },
      ]);
    }
    expect(health.map((h) => h.status)).toEqual(health.map(() => 200));
    const other = await call(stack.baseUrl, 'GET', `${V1}/notification-rules/${ruleId}`, { headers: tenant.auth });
    expect(other.status).toBe(200);
    expect(telegram.requests).toHaveLength(0);
  });

  it('fails the notification of a real event through an n³ template with the reason, and keeps sending others', async () => {
    const tenant = await createTenant(stack.baseUrl, 'costly-event');
    const costly = await rule(tenant, CUBIC);
    const plain = await rule(tenant, 'won');
    const event = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/events`,
      { event_type: 'deal.won', data: { items: ITEMS } },
      202,
    );
    const settled = await eventually(
      async () => {
        const res = await call(stack.baseUrl, 'GET', `${V1}/notifications?event_id=${event.event_id}`, {
          headers: tenant.auth,
        });
        const rows = (res.json?.data ?? []) as Json[];
        return rows.length === 2 && rows.every((n) => ['sent', 'failed'].includes(n.status)) ? rows : undefined;
      },
      30_000,
      'both notifications settled',
    );
    const byRule = Object.fromEntries(settled.map((n: Json) => [n.rule_id, n]));
    expect(byRule[costly]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: expect.stringMatching(/^template failed: the template does too much work/),
    });
    expect(byRule[plain]).toMatchObject({ status: 'sent', rendered_text: 'won' });
    expect(telegram.requests.map((r) => JSON.parse(r.body).text)).toEqual(['won']);
  });
});
