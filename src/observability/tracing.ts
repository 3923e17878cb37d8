import {
  Attributes,
  Context,
  context,
  Link,
  propagation,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  trace,
  TraceFlags,
  Tracer,
} from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-node';
import type { AppRole, TracingConfig } from '../config/env';
import { HOOKHUB_VERSION } from '../common/version';
import { requestSpanIdOf, traceIdOf } from './trace-ids';

/**
 * OpenTelemetry tracing (docs/observability.md). Off unless TracingConfig is given: then nothing of the
 * SDK is loaded, no tracer provider is registered, and every helper here returns at once.
 *
 * One webhook makes one trace across processes without carrying anything new: its request span takes
 * ids derived from the request id (trace-ids.ts), and each later stage (the processing run, each
 * delivery attempt) is a child of that span, found again from the `trace_id` of the row it works on.
 */

/**
 * Random ids, except for the one span started through {@link DerivedIds.startWith}: the request span,
 * whose ids derive from the request id so that later stages can name it as their parent.
 */
class DerivedIds implements IdGenerator {
  private next: { traceId: string; spanId: string } | null = null;

  constructor(private readonly random: IdGenerator) {}

  generateTraceId(): string {
    return this.next?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.next?.spanId ?? this.random.generateSpanId();
  }

  /** Runs `start` (which starts one root span, synchronously) with these ids. */
  startWith<T>(ids: { traceId: string; spanId: string }, start: () => T): T {
    this.next = ids;
    try {
      return start();
    } finally {
      this.next = null;
    }
  }
}

interface Running {
  tracer: Tracer;
  ids: DerivedIds;
  shutdown(): Promise<void>;
  users: number;
}

let running: Promise<Running> | null = null;
/** Set once the provider is registered: what the hot paths look at. */
let active: Running | null = null;

const TRACER_NAME = 'hookhub';

async function start(config: TracingConfig, role: AppRole): Promise<Running> {
  const { NodeTracerProvider, BatchSpanProcessor, RandomIdGenerator, TraceIdRatioBasedSampler } =
    await import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } = await import('@opentelemetry/semantic-conventions');
  const ids = new DerivedIds(new RandomIdGenerator());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: HOOKHUB_VERSION,
      'hookhub.role': role,
    }),
    // by trace id alone, not by the parent's flag: every process keeps or drops the same webhooks
    sampler: new TraceIdRatioBasedSampler(config.sampleRatio),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  provider.register();
  return {
    tracer: provider.getTracer(TRACER_NAME, HOOKHUB_VERSION),
    ids,
    shutdown: () => provider.shutdown(),
    users: 0,
  };
}

/**
 * Starts the SDK and registers it for the process (once: applications of one test process share it),
 * exporting over OTLP/HTTP (JSON) with a batch processor.
 */
export async function startTracing(config: TracingConfig, role: AppRole): Promise<void> {
  running ??= start(config, role);
  const tracing = await running;
  tracing.users += 1;
  active = tracing;
}

/** Flushes the spans not yet exported and unregisters the SDK once its last application stops. */
export async function stopTracing(): Promise<void> {
  const tracing = active;
  if (!tracing) return;
  tracing.users -= 1;
  if (tracing.users > 0) return;
  active = null;
  running = null;
  await tracing.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** True while spans are recorded in this process. */
export function tracingOn(): boolean {
  return active !== null;
}

/**
 * The root span of an HTTP request, with the ids derived from its request id; a valid `traceparent` the
 * caller sent is kept as a link (the trace stays Hookhub's, so later stages can find it from the row).
 */
export function startRequestSpan(requestId: string, name: string, attributes: Attributes, links: Link[]): Span | null {
  const tracing = active;
  if (!tracing) return null;
  const ids = { traceId: traceIdOf(requestId), spanId: requestSpanIdOf(requestId) };
  return tracing.ids.startWith(ids, () =>
    tracing.tracer.startSpan(name, { kind: SpanKind.SERVER, root: true, attributes, links }, ROOT_CONTEXT),
  );
}

/**
 * The context a later stage of the trace of `hookhubTraceId` starts its span in: the request span as a
 * remote parent. A row without a trace id starts a trace of its own.
 */
export function stageContext(hookhubTraceId: string | null): Context {
  if (!hookhubTraceId) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: traceIdOf(hookhubTraceId),
    spanId: requestSpanIdOf(hookhubTraceId),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

/** A link to the request span of another trace (a batch member's), for a span that serves several. */
export function linkTo(hookhubTraceId: string): Link {
  return { context: trace.getSpanContext(stageContext(hookhubTraceId))! };
}

/** Starts a span of a later stage; null when tracing is off. */
export function startStageSpan(
  name: string,
  hookhubTraceId: string | null,
  options: { kind: SpanKind; attributes?: Attributes; links?: Link[]; startTime?: number },
): Span | null {
  return active?.tracer.startSpan(name, options, stageContext(hookhubTraceId)) ?? null;
}

/** Runs `fn` with `span` as the active span (so `injectTraceparent` sees it); as is when there is none. */
export function withSpan<T>(span: Span | null, fn: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing `headers`; nothing when tracing is off. */
export function injectTraceparent(headers: Record<string, string>): void {
  if (active) propagation.inject(context.active(), headers);
}

/** Sets attributes on the active span (the request span of an ingest call); nothing when tracing is off. */
export function annotateActiveSpan(attributes: Attributes): void {
  if (active) trace.getActiveSpan()?.setAttributes(attributes);
}
