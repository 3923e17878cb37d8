import { formatTraceparent, parseTraceparent, requestSpanIdOf, traceIdOf } from './trace-ids';

describe('trace ids derived from the request id', () => {
  it('uses the hex digits of a UUID request id, so the request id finds the trace', () => {
    expect(traceIdOf('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe('0f8fad5bd9cb469fa16570867728950e');
  });

  it('hashes any other request id into 32 hex digits, the same each time', () => {
    const id = traceIdOf('order-42/retry');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdOf('order-42/retry')).toBe(id);
    expect(traceIdOf('order-43/retry')).not.toBe(id);
  });

  it('never gives the all-zero trace id that W3C Trace Context forbids', () => {
    expect(traceIdOf('00000000-0000-0000-0000-000000000000')).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
  });

  it('derives a 16-hex-digit span id for the request span, the same in every process', () => {
    const span = requestSpanIdOf('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(span).toMatch(/^[0-9a-f]{16}$/);
    expect(requestSpanIdOf('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(span);
    expect(requestSpanIdOf('another')).not.toBe(span);
  });
});

describe('traceparent', () => {
  const example = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('reads the W3C Trace Context example', () => {
    expect(parseTraceparent(example)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
  });

  it('writes what it reads', () => {
    expect(formatTraceparent('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', true)).toBe(example);
  });

  it('accepts a later version with more fields, as the specification asks', () => {
    expect(parseTraceparent(`cc${example.slice(2)}-what-comes-next`)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['missing', undefined],
    ['version ff', `ff${example.slice(2)}`],
    ['version 00 with more fields', `${example}-extra`],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['an all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['upper-case hex', example.toUpperCase()],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
  ])('refuses %s', (_what, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});
