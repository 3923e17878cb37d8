import { HttpSender } from '../../common/http-sender';
import { SlackChannel } from './slack.channel';
import { FakeProvider, fixtureRequestLine, fixtureResponse } from './testing/fake-provider';

describe('SlackChannel', () => {
  let slack: FakeProvider;
  let sender: HttpSender;
  let channel: SlackChannel;
  let webhookUrl: string;

  beforeEach(async () => {
    slack = await FakeProvider.start();
    sender = new HttpSender({ allowPrivate: true });
    channel = new SlackChannel(sender, 1000);
    webhookUrl = slack.url + fixtureRequestLine('slack/outbound-incoming-webhook-post.request').path;
  });

  afterEach(async () => {
    await sender.close();
    await slack.close();
  });

  it('posts {text} as JSON to the incoming-webhook URL and reads "ok" as sent', async () => {
    slack.answer(fixtureResponse('slack', 'incoming-webhook-ok'));
    const text = '*Новая заявка* #1548: Иван Петров, +7 916 123-45-67 &lt;VIP&gt;';

    const result = await channel.send({}, { target: webhookUrl, text });

    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toBe(JSON.stringify({ text }));
    expect(result).toEqual({ ok: true, retryable: false, httpStatus: 200, response: 'ok', error: null });
  });

  it('answers 429 as retryable after its Retry-After header', async () => {
    slack.answer(fixtureResponse('slack', 'incoming-webhook-rate-limited'));

    const result = await channel.send({}, { target: webhookUrl, text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 30_000,
      httpStatus: 429,
      response: null,
      error: 'rate limited by Slack (HTTP 429)',
    });
  });

  it('answers a 500 rollup_error as retryable', async () => {
    slack.answer({ status: 500, headers: { 'Content-Type': 'text/html' }, body: 'rollup_error' });

    const result = await channel.send({}, { target: webhookUrl, text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      httpStatus: 500,
      response: 'rollup_error',
      error: 'rollup_error: Slack failed on its side',
    });
  });

  it.each([
    ['incoming-webhook-invalid-payload', 400, 'invalid_payload', 'invalid_payload: Slack could not read the message'],
    ['incoming-webhook-no-text', 400, 'no_text', 'no_text: the message has no text'],
    [
      'incoming-webhook-channel-is-archived',
      410,
      'channel_is_archived',
      'channel_is_archived: the channel is archived',
    ],
  ])('answers %s as permanent with Slack’s error string', async (fixture, status, body, error) => {
    slack.answer(fixtureResponse('slack', fixture));

    const result = await channel.send({}, { target: webhookUrl, text: 'hi' });

    expect(result).toEqual({ ok: false, retryable: false, httpStatus: status, response: body, error });
  });

  it('describes an unknown 4xx by its status and does not retry it', async () => {
    slack.answer({ status: 404, headers: { 'Content-Type': 'text/html' }, body: '<html>Not Found</html>' });

    const result = await channel.send({}, { target: webhookUrl, text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: false,
      httpStatus: 404,
      response: '<html>Not Found</html>',
      error: 'HTTP 404',
    });
  });

  it('treats a timeout as retryable', async () => {
    slack.answer({ status: 200, hang: true });

    const result = await new SlackChannel(sender, 200).send({}, { target: webhookUrl, text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      httpStatus: null,
      response: null,
      error: 'timed out after 200 ms',
    });
  });

  it('does not retry a URL the SSRF guard refuses', async () => {
    const guarded = new HttpSender({ allowPrivate: false });
    try {
      const result = await new SlackChannel(guarded).send({}, { target: webhookUrl, text: 'hi' });

      expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: null });
      expect(result.error).toMatch(/refused address 127\.0\.0\.1/);
      expect(slack.requests).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});
