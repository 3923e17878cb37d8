import { Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { countDeliveryAttempt, countIngest, countNotification, observeInboundRun } from './metrics';
import { ingestOutcomeOf, StatusClass, statusClassOf } from './outcomes';
import { annotateActiveSpan, injectTraceparent, linkTo, startStageSpan, tracingOn, withSpan } from './tracing';

/**
 * Method decorators that record Hookhub's series and spans around the methods that do the work, so that
 * a feature carries one line per instrumented method. Each is typed by the shape it reads: a method
 * whose arguments or result no longer have it fails to compile instead of measuring nothing.
 */

type AsyncMethod<A extends unknown[], T> = (...args: A) => Promise<T>;

/** Replaces `descriptor.value` by `wrap(original)`, keeping `this`. */
function around<A extends unknown[], R>(
  descriptor: { value?: (...args: A) => R },
  wrap: (call: () => R, args: A) => R,
): void {
  const original = descriptor.value!;
  descriptor.value = function (this: unknown, ...args: A): R {
    return wrap(() => original.apply(this, args), args);
  };
}

/**
 * On the ingest service's `accept(to, request)`: counts each call in `hookhub_ingest_requests_total` by
 * the provider of `to` and its outcome, and names both on the request span.
 */
export function CountIngest() {
  return <A extends [{ provider: string }, ...unknown[]], T extends { duplicate: boolean; inboundEventId: string }>(
    _target: object,
    _key: string | symbol,
    descriptor: { value?: AsyncMethod<A, T> },
  ): void =>
    around(descriptor, async (call, [to]) => {
      try {
        const result = await call();
        const outcome = result.duplicate ? 'duplicate' : 'accepted';
        countIngest(to.provider, outcome);
        annotateActiveSpan({
          'hookhub.provider': to.provider,
          'hookhub.ingest.outcome': outcome,
          'hookhub.inbound_event_id': result.inboundEventId,
        });
        return result;
      } catch (error) {
        const outcome = ingestOutcomeOf(error);
        countIngest(to.provider, outcome);
        annotateActiveSpan({ 'hookhub.provider': to.provider, 'hookhub.ingest.outcome': outcome });
        throw error;
      }
    });
}

/**
 * On the look-ups an ingest route makes before `accept` (the source a route names, a shared route's
 * candidates): counts the requests they refuse (`not_found`, `forbidden`), by the provider of a shared
 * route's look-up, `unknown` when the route names only a source id.
 */
export function CountIngestRefusals() {
  return <A extends unknown[], T>(_target: object, _key: string | symbol, descriptor: { value?: AsyncMethod<A, T> }) =>
    around(descriptor, async (call, [lookup]) => {
      try {
        return await call();
      } catch (error) {
        const provider = (lookup as { provider?: unknown } | undefined)?.provider;
        countIngest(provider ?? 'unknown', ingestOutcomeOf(error));
        throw error;
      }
    });
}

interface InboundRunResult {
  id: string;
  status: string;
  provider: string;
  sourceId: string;
  traceId: string | null;
}

/**
 * On the inbound processor's `run(id)`: records each run that ended with a result (completed, retrying or
 * failed) in `hookhub_inbound_processing_duration_seconds`, and as the span `hookhub.inbound.process`
 * of the webhook's trace (made once the run is over, from the row: its trace id is known only then).
 */
export function ObserveInboundRun() {
  return <A extends unknown[], T extends InboundRunResult | null>(
    _target: object,
    _key: string | symbol,
    descriptor: { value?: AsyncMethod<A, T> },
  ): void =>
    around(descriptor, async (call) => {
      const startedAt = Date.now();
      const started = performance.now();
      const result = await call();
      if (result) {
        observeInboundRun(result.provider, result.status, (performance.now() - started) / 1000);
        if (tracingOn()) recordRunSpan(result, startedAt);
      }
      return result;
    });
}

/** The span of a processing run, made once it is over: its trace id is known only from the row it claimed. */
function recordRunSpan(result: InboundRunResult, startedAt: number): void {
  const span = startStageSpan('hookhub.inbound.process', result.traceId, {
    kind: SpanKind.CONSUMER,
    startTime: startedAt,
    attributes: {
      'hookhub.inbound_event_id': result.id,
      'hookhub.source_id': result.sourceId,
      'hookhub.provider': result.provider,
      'hookhub.outcome': result.status,
    },
  });
  if (result.status === 'failed') span?.setStatus({ code: SpanStatusCode.ERROR });
  span?.end();
}

interface AttemptUnit {
  deliveries: { id: string; status: string; traceId: string | null; eventId: string; attemptCount: number }[];
  events: { createdAt: Date }[];
  subscription: { id: string };
}

interface AttemptResult {
  result: { httpStatus: number | null; errorKind: string | null };
}

/** The span of one attempt: the (first) delivery's trace, linked to the traces of a batch's other members. */
function startAttemptSpan(unit: AttemptUnit): Span | null {
  const [lead, ...others] = unit.deliveries;
  return startStageSpan('hookhub.delivery.attempt', lead.traceId, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'POST',
      'hookhub.delivery_id': lead.id,
      'hookhub.event_id': lead.eventId,
      'hookhub.webhook_id': unit.subscription.id,
      'hookhub.attempt': lead.attemptCount + 1,
      'hookhub.batch_size': unit.deliveries.length,
    },
    links: others.flatMap((d) => (d.traceId && d.traceId !== lead.traceId ? [linkTo(d.traceId)] : [])),
  });
}

/** Ends an attempt span with what the attempt came to; an error status unless it succeeded. */
function endAttemptSpan(span: Span, status: string, statusClass: StatusClass, httpStatus: number | null): void {
  span.setAttributes({ 'hookhub.outcome': status, 'hookhub.status_class': statusClass });
  if (httpStatus !== null) span.setAttribute('http.response.status_code', httpStatus);
  if (status !== 'success') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * On the dispatcher's `send(unit, …)` (one attempt of one delivery or of a batch): the span
 * `hookhub.delivery.attempt` of the (first) delivery's trace, active while the request is built and
 * sent (see {@link CarryTraceparent}); then each delivery's attempt in `hookhub_delivery_attempts_total`,
 * and the latency of each success in `hookhub_delivery_latency_seconds`.
 */
export function ObserveDeliveryAttempt() {
  return <A extends [AttemptUnit, ...unknown[]], T extends AttemptResult>(
    _target: object,
    _key: string | symbol,
    descriptor: { value?: AsyncMethod<A, T> },
  ): void =>
    around(descriptor, async (call, [unit]) => {
      const span = tracingOn() ? startAttemptSpan(unit) : null;
      let outcome: T;
      try {
        outcome = await withSpan(span, call);
      } catch (error) {
        span?.recordException(error as Error);
        span?.setStatus({ code: SpanStatusCode.ERROR });
        span?.end();
        throw error;
      }
      const statusClass = statusClassOf(outcome.result);
      unit.deliveries.forEach((d, i) => countDeliveryAttempt(d.status, statusClass, unit.events[i]?.createdAt ?? null));
      if (span) endAttemptSpan(span, unit.deliveries[0].status, statusClass, outcome.result.httpStatus);
      return outcome;
    });
}

/**
 * On the method that builds a delivery request (`{headers, …}`): adds `traceparent` naming the active
 * attempt span to the headers sent (and so to the attempt's logged request headers), when tracing is on.
 */
export function CarryTraceparent() {
  return <A extends unknown[], T extends { headers: Record<string, string> }>(
    _target: object,
    _key: string | symbol,
    descriptor: { value?: (...args: A) => T },
  ): void =>
    around(descriptor, (call) => {
      const request = call();
      injectTraceparent(request.headers);
      return request;
    });
}

/** On the notifier's `run(id)`: counts each send that ended with a result in `hookhub_notifications_total`. */
export function CountNotification() {
  return <A extends unknown[], T extends { channel: string; status: string } | null>(
    _target: object,
    _key: string | symbol,
    descriptor: { value?: AsyncMethod<A, T> },
  ): void =>
    around(descriptor, async (call) => {
      const result = await call();
      if (result) countNotification(result.channel, result.status);
      return result;
    });
}
