/**
 * Baseline "raw send": COUNT signed POSTs with undici to the same local receiver, at the same
 * concurrency as a Hookhub worker (DELIVERY_CONCURRENCY, default 50), through an Agent with the
 * same 32 keep-alive connections per origin as Hookhub's sender. Each body is a delivery envelope
 * (CONTRACT §4.2) signed with Hookhub's own signing code (both signature schemes).
 *
 * Env: URL, COUNT, CONCURRENCY, SECRET. Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { signatureHeaders } from '../../src/common/signing';

async function main(): Promise<void> {
  const url = process.env.URL ?? 'http://127.0.0.1:4000/raw';
  const count = Number(process.env.COUNT ?? 20_000);
  const concurrency = Number(process.env.CONCURRENCY ?? 50);
  const secret = process.env.SECRET ?? `whsec_${randomBytes(32).toString('base64')}`;
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
  let next = 0;
  let errors = 0;
  const send = async (i: number): Promise<void> => {
    const eventId = `evt_raw${i}`;
    const body = JSON.stringify({
      webhook_id: 'wh_raw',
      event_id: eventId,
      event_type: 'drain.item',
      timestamp: new Date().toISOString(),
      delivery_attempt: 1,
      data: { seq: i, amount: '1500.00' },
      metadata: {},
    });
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Hookhub-bench',
      'X-Webhook-ID': 'wh_raw',
      'X-Webhook-Event': 'drain.item',
      'X-Event-ID': eventId,
      'X-Delivery-ID': `dlv_raw${i}`,
      'X-Delivery-Attempt': '1',
      ...signatureHeaders({ secrets: [secret], eventId, timestamp: Math.floor(Date.now() / 1000), body }),
    };
    const res = await request(url, { method: 'POST', headers, body, dispatcher: agent, headersTimeout: 10_000 });
    await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) errors += 1;
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        try {
          await send(i);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  await agent.close();
  process.stdout.write(
    `${JSON.stringify({ count, concurrency, errors, elapsedMs, perSecond: (count / elapsedMs) * 1000 })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`raw-send: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
