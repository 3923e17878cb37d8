import { createHmac } from 'node:crypto';
import { bodyKindOf, parsePayload } from '../../webhooks/payload';
import type { Source } from '../../webhooks/source.entity';
import { verifierFor } from '../../webhooks/verification';
import { atUnix, verificationInput } from '../../webhooks/verification/testing/provider-fixtures';
import type { InboundRequest } from '../provider';
import { decimalAmounts, stripeExponent, toDecimalString } from './stripe.amounts';
import { StripeNormalizer } from './stripe.normalizer';

// The test endpoint secret and timestamp of the stripe/payment-intent-succeeded sample (fixtures/SECRETS.md).
const SECRET = 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';
const T = 1726140100;
const SOURCE = { id: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i', provider: 'stripe', config: {} } as unknown as Source;
const normalizer = new StripeNormalizer();

/** Stripe pretty-prints event bodies with a 2-space indent. */
const pretty = (event: object): string => JSON.stringify(event, null, 2);

function inbound(body: string, headers: Record<string, string> = {}): InboundRequest {
  const lower = { 'content-type': 'application/json; charset=utf-8', ...headers };
  return {
    source: SOURCE,
    payload: parsePayload(Buffer.from(body), bodyKindOf(lower['content-type'])!),
    headers: lower,
    kind: null,
  };
}

const PAYMENT_INTENT_SUCCEEDED = {
  id: 'evt_3PyTest0000000000000000',
  object: 'event',
  api_version: '2024-06-20',
  created: 1726140099,
  data: {
    object: {
      id: 'pi_3PyTest0000000000000000',
      object: 'payment_intent',
      amount: 2000,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 2000,
      application_fee_amount: null,
      currency: 'usd',
      customer: 'cus_QpTest00000000',
      latest_charge: 'ch_3PyTest0000000000000000',
      livemode: false,
      metadata: { order_id: '6735' },
      status: 'succeeded',
    },
  },
  livemode: false,
  pending_webhooks: 1,
  request: { id: 'req_8Hs9Test00000', idempotency_key: '5c1a3d6e-2f7b-4c1e-9a0d-0b8f3e2d1c4a' },
  type: 'payment_intent.succeeded',
};

/** A snapshot event of `type` about `object`. */
function snapshot(type: string, object: object, extra: object = {}): InboundRequest {
  return inbound(
    pretty({
      id: 'evt_1PzTest00000000000000001',
      object: 'event',
      api_version: '2024-06-20',
      created: 1726140200,
      data: { object },
      livemode: true,
      pending_webhooks: 2,
      request: { id: null, idempotency_key: null },
      type,
      ...extra,
    }),
  );
}

describe('StripeNormalizer: payment_intent.succeeded, signed as Stripe signs it', () => {
  const body = pretty(PAYMENT_INTENT_SUCCEEDED);
  const v1 = createHmac('sha256', SECRET).update(`${T}.${body}`).digest('hex');
  const request = inbound(body, {
    'stripe-signature': `t=${T},v1=${v1}`,
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  });

  it('is a body the stripe scheme accepts at its timestamp', () => {
    const input = verificationInput({
      rawBody: Buffer.from(body),
      headers: request.headers,
      secret: SECRET,
      now: atUnix(T),
    });
    expect(verifierFor('stripe').verify(input)).toEqual({ ok: true });
  });

  it('dedups on the event id', () => {
    expect(normalizer.dedupKey(request)).toBe('evt_3PyTest0000000000000000');
  });

  it('is stripe.payment_intent.succeeded about the payment intent, at created, amounts kept and added as decimals', () => {
    const [event, ...more] = normalizer.normalize(request);
    expect(more).toEqual([]);
    expect(event).toEqual({
      eventType: 'stripe.payment_intent.succeeded',
      eventSubtype: null,
      entityType: 'payment_intent',
      entityId: 'pi_3PyTest0000000000000000',
      entityKey: 'stripe:platform:payment_intent:pi_3PyTest0000000000000000',
      occurredAt: new Date('2024-09-12T11:21:39Z'),
      data: {
        ...PAYMENT_INTENT_SUCCEEDED,
        hookhub: {
          account: 'platform',
          currency: 'usd',
          currency_exponent: 2,
          amounts: { amount: '20.00', amount_capturable: '0.00', amount_received: '20.00' },
        },
      },
      context: {
        stripe_event_id: 'evt_3PyTest0000000000000000',
        stripe_account: 'platform',
        livemode: false,
        api_version: '2024-06-20',
        occurred_at: '2024-09-12T11:21:39.000Z',
      },
    });
    expect((event.data.data as { object: { amount: unknown } }).object.amount).toBe(2000);
  });
});

describe('StripeNormalizer: other events', () => {
  it('a Connect event is keyed by the connected account', () => {
    const [event] = normalizer.normalize(
      snapshot(
        'charge.refunded',
        {
          id: 'ch_3PzTest',
          object: 'charge',
          amount: 5000,
          amount_captured: 5000,
          amount_refunded: 1250,
          currency: 'eur',
          refunded: false,
        },
        { account: 'acct_1PzConnected0001' },
      ),
    );
    expect(event).toMatchObject({
      eventType: 'stripe.charge.refunded',
      entityType: 'charge',
      entityId: 'ch_3PzTest',
      entityKey: 'stripe:acct_1PzConnected0001:charge:ch_3PzTest',
      occurredAt: new Date(1726140200 * 1000),
      data: {
        account: 'acct_1PzConnected0001',
        hookhub: {
          account: 'acct_1PzConnected0001',
          currency: 'eur',
          amounts: { amount: '50.00', amount_captured: '50.00', amount_refunded: '12.50' },
        },
      },
      context: { stripe_account: 'acct_1PzConnected0001', livemode: true },
    });
  });

  it('checkout.session.completed: a dotted object type stays whole in the key', () => {
    const [event] = normalizer.normalize(
      snapshot('checkout.session.completed', {
        id: 'cs_test_a1b2c3',
        object: 'checkout.session',
        amount_subtotal: 1999,
        amount_total: 2199,
        currency: 'gbp',
        payment_status: 'paid',
      }),
    );
    expect(event).toMatchObject({
      eventType: 'stripe.checkout.session.completed',
      entityType: 'checkout.session',
      entityKey: 'stripe:platform:checkout.session:cs_test_a1b2c3',
      data: { hookhub: { amounts: { amount_subtotal: '19.99', amount_total: '21.99' } } },
    });
  });

  it('customer.updated: a negative balance stays exact and previous_attributes name the changed fields', () => {
    const [event] = normalizer.normalize(
      snapshot(
        'customer.updated',
        { id: 'cus_QpTest00000000', object: 'customer', balance: -505, currency: 'usd', email: 'jenny@example.com' },
        {
          data: {
            object: { id: 'cus_QpTest00000000', object: 'customer', balance: -505, currency: 'usd' },
            previous_attributes: { balance: 0, email: null },
          },
        },
      ),
    );
    expect(event).toMatchObject({
      entityKey: 'stripe:platform:customer:cus_QpTest00000000',
      data: { hookhub: { amounts: { balance: '-5.05' } } },
      context: { changed_fields: ['balance', 'email'] },
    });
  });

  it('invoice.paid: top-level totals converted; nested lines and Stripe`s own *_decimal strings left as they are', () => {
    const [event] = normalizer.normalize(
      snapshot('invoice.paid', {
        id: 'in_1PzTest',
        object: 'invoice',
        amount_due: 1500,
        amount_paid: 1500,
        amount_remaining: 0,
        subtotal: 1500,
        total: 1500,
        attempt_count: 1,
        currency: 'usd',
        lines: { data: [{ id: 'il_1', amount: 1500, price: { unit_amount: 1500, unit_amount_decimal: '1500' } }] },
      }),
    );
    expect(event.data.hookhub).toEqual({
      account: 'platform',
      currency: 'usd',
      currency_exponent: 2,
      amounts: {
        amount_due: '15.00',
        amount_paid: '15.00',
        amount_remaining: '0.00',
        subtotal: '15.00',
        total: '15.00',
      },
    });
    expect(event.data.data).toMatchObject({
      object: { lines: { data: [{ price: { unit_amount_decimal: '1500' } }] } },
    });
  });

  it.each([
    ['jpy', 5000, '5000', 0],
    ['kwd', 5120, '5.120', 3],
    ['isk', 50000, '500.00', 2],
    ['huf', 1000, '10.00', 2],
  ])('amounts in %s use Stripe`s exponent (%d → %s)', (currency, amount, decimal, exponent) => {
    const [event] = normalizer.normalize(
      snapshot('payment_intent.created', { id: 'pi_x', object: 'payment_intent', amount, currency }),
    );
    expect(event.data.hookhub).toEqual({
      account: 'platform',
      currency,
      currency_exponent: exponent,
      amounts: { amount: decimal },
    });
  });

  it.each([['ugx'], ['xyz']])('amounts in %s are not converted: its Stripe exponent is not certain', (currency) => {
    const [event] = normalizer.normalize(
      snapshot('payment_intent.created', { id: 'pi_x', object: 'payment_intent', amount: 10000, currency }),
    );
    expect(event.data.hookhub).toEqual({ account: 'platform' });
    expect(event.context).toMatchObject({
      amounts_not_converted: `no known Stripe exponent for currency "${currency}"`,
    });
  });

  it('balance.available: an object without an id has a type but no entity key', () => {
    const [event] = normalizer.normalize(
      snapshot('balance.available', {
        object: 'balance',
        available: [{ amount: 93522, currency: 'usd' }],
        pending: [{ amount: 0, currency: 'usd' }],
        livemode: true,
      }),
    );
    expect(event).toMatchObject({
      eventType: 'stripe.balance.available',
      entityType: 'balance',
      entityId: null,
      entityKey: null,
      data: { hookhub: { account: 'platform' } },
    });
  });

  it('a v2 thin event is about its related_object, created as ISO-8601', () => {
    const [event] = normalizer.normalize(
      inbound(
        pretty({
          id: 'evt_test_65R9Ijk8rRzWOBnBjZm16RF4gm8DSQj7b4hbLFlnuBtXSQ',
          object: 'v2.core.event',
          type: 'v1.billing.meter.error_report_triggered',
          livemode: false,
          created: '2024-09-17T06:20:52.246Z',
          related_object: {
            id: 'mtr_test_61R9IeFoJYbq4ZlWp41IeFoJYfGk',
            type: 'billing.meter',
            url: '/v1/billing/meters/mtr_test_61R9IeFoJYbq4ZlWp41IeFoJYfGk',
          },
          context: 'acct_1PzConnected0001',
        }),
      ),
    );
    expect(event).toMatchObject({
      eventType: 'stripe.v1.billing.meter.error_report_triggered',
      entityType: 'billing.meter',
      entityId: 'mtr_test_61R9IeFoJYbq4ZlWp41IeFoJYfGk',
      entityKey: 'stripe:acct_1PzConnected0001:billing.meter:mtr_test_61R9IeFoJYbq4ZlWp41IeFoJYfGk',
      occurredAt: new Date('2024-09-17T06:20:52.246Z'),
      data: { hookhub: { account: 'acct_1PzConnected0001' } },
    });
  });
});

describe('StripeNormalizer: refusals', () => {
  it('leaves a body without id to the generic dedup rule', () => {
    expect(normalizer.dedupKey(inbound('{"type":"charge.succeeded"}'))).toBeNull();
    expect(normalizer.dedupKey(inbound('[]'))).toBeNull();
  });

  it.each([
    ['a JSON array', '[{"id":"evt_1"}]', /not a JSON object/],
    [
      'no type',
      '{"id":"evt_1","object":"event","data":{"object":{"id":"pi_1"}}}',
      /no type: a Stripe event names what happened/,
    ],
    [
      'a type that is no event type',
      '{"id":"evt_1","type":"Payment Intent!","data":{"object":{}}}',
      /"Payment Intent!" is not a Stripe event type/,
    ],
    [
      'no id',
      '{"object":"event","type":"charge.succeeded","data":{"object":{"id":"ch_1"}}}',
      /no id: a Stripe event carries its id/,
    ],
    ['no data.object', '{"id":"evt_1","object":"event","type":"charge.succeeded","data":{}}', /no data\.object/],
  ])('throws a readable error for %s', (_case, body, message) => {
    expect(() => normalizer.normalize(inbound(body))).toThrow(message);
  });
});

describe('stripe amounts', () => {
  it.each([
    [0, 2, '0.00'],
    [5, 2, '0.05'],
    [-5, 2, '-0.05'],
    [123456789, 3, '123456.789'],
    [9007199254740991, 2, '90071992547409.91'],
    [700, 0, '700'],
    [-700, 0, '-700'],
  ])('%d with %d decimals is "%s"', (minor, exponent, text) => {
    expect(toDecimalString(minor, exponent)).toBe(text);
  });

  it('knows Stripe`s exponents, case-insensitively, and no others', () => {
    expect([stripeExponent('USD'), stripeExponent('jpy'), stripeExponent('BHD'), stripeExponent('isk')]).toEqual([
      2, 0, 3, 2,
    ]);
    expect(stripeExponent('ugx')).toBeNull();
    expect(stripeExponent('btc')).toBeNull();
  });

  it('ignores objects without a currency or without integer amounts', () => {
    expect(decimalAmounts({ amount: 100 })).toBeNull();
    expect(decimalAmounts({ currency: 'usd', amount_details: {}, amount: null, amount_decimal: '100.5' })).toBeNull();
  });
});
