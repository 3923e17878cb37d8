import { ConfigError, loadConfig } from '../config/env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('metrics and tracing configuration', () => {
  it('serves worker metrics on 9464 and starts no tracing by default', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: 9464, tracing: null });
  });

  it('reads METRICS_PORT, 0 included', () => {
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(loadConfig({ METRICS_PORT: '9100' }).metricsPort).toBe(9100);
    expect(problemsOf({ METRICS_PORT: '70000' })).toEqual([
      'METRICS_PORT must be an integer from 0 to 65535 (got "70000")',
    ]);
  });

  it('sends traces to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'hookhub',
      sampleRatio: 1,
    });
  });

  it('prefers OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as the full URL', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp/v1/traces',
      OTEL_SERVICE_NAME: 'hookhub-eu',
    });
    expect(config.tracing).toMatchObject({
      tracesUrl: 'https://traces.example.com/otlp/v1/traces',
      serviceName: 'hookhub-eu',
    });
  });

  it('reads the sampler as a share of traces', () => {
    const ratio = (env: Record<string, string>) =>
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', ...env }).tracing?.sampleRatio;
    expect(ratio({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toBe(0.25);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '.5' })).toBe(0.5);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'always_off' })).toBe(0);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0.1' })).toBe(1);
    expect(ratio({ OTEL_TRACES_SAMPLER: 'traceidratio' })).toBe(1);
  });

  it('starts no tracing when OTEL_SDK_DISABLED is true', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
  });

  it('names each bad tracing variable', () => {
    expect(
      problemsOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_SERVICE_NAME: 'hook hub',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL with scheme http or https (got "collector:4318")',
      'OTEL_SERVICE_NAME must be a name without spaces, commas or = (1 to 255 characters) (got "hook hub")',
      expect.stringMatching(/^OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio/),
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 such as 0.25 (got "1.5")',
    ]);
  });
});
