import { HttpSender } from '../../common/http-sender';
import { TelegramChannel } from './telegram.channel';
import { FakeProvider, fixtureRequestLine, fixtureResponse, fixtureText } from './testing/fake-provider';

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const CREDENTIALS = { bot_token: TOKEN };
/** The text of test/fixtures/providers/telegram/outbound-sendMessage.body, already MarkdownV2-escaped. */
const FIXTURE_TEXT = 'Запись подтверждена: *12\\.09\\.2024* в 10:00 \\(пн\\)\\. Адрес: ул\\. Ленина, 1';
const SENT = {
  ok: true,
  result: { message_id: 42, chat: { id: 123456789, type: 'private' }, date: 1726140000, text: 'Запись подтверждена' },
};

describe('TelegramChannel', () => {
  let telegram: FakeProvider;
  let sender: HttpSender;
  let channel: TelegramChannel;

  beforeEach(async () => {
    telegram = await FakeProvider.start();
    sender = new HttpSender({ allowPrivate: true });
    channel = new TelegramChannel(`${telegram.url}/`, sender, 1000);
  });

  afterEach(async () => {
    await sender.close();
    await telegram.close();
  });

  it('posts sendMessage to {baseUrl}/bot{token}/sendMessage exactly as the Bot API sample', async () => {
    telegram.answer({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(SENT) });

    const result = await channel.send(CREDENTIALS, {
      target: '123456789',
      text: FIXTURE_TEXT,
      parseMode: 'MarkdownV2',
    });

    expect(telegram.requests).toHaveLength(1);
    const [request] = telegram.requests;
    expect({ method: request.method, path: request.path }).toEqual(
      fixtureRequestLine('telegram/outbound-sendMessage.request'),
    );
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toMatch(/^Hookhub\//);
    expect(request.body).toBe(fixtureText('telegram/outbound-sendMessage.body'));
    expect(result).toEqual({ ok: true, retryable: false, httpStatus: 200, response: SENT, error: null });
  });

  it('defaults parse_mode to MarkdownV2, passes HTML through, and keeps @channelusername and -100… ids', async () => {
    telegram.answer({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(SENT) });

    await channel.send(CREDENTIALS, { target: '-1001234567890', text: 'a' });
    await channel.send(CREDENTIALS, { target: '@hookhub_news', text: '<b>b</b>', parseMode: 'HTML' });

    expect(telegram.requests.map((r) => JSON.parse(r.body))).toEqual([
      { chat_id: -1001234567890, text: 'a', parse_mode: 'MarkdownV2' },
      { chat_id: '@hookhub_news', text: '<b>b</b>', parse_mode: 'HTML' },
    ]);
  });

  it('answers 429 as retryable after parameters.retry_after seconds', async () => {
    telegram.answer(fixtureResponse('telegram', 'sendMessage-429'));

    const result = await channel.send(CREDENTIALS, { target: '123456789', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 35_000,
      httpStatus: 429,
      response: JSON.parse(fixtureText('telegram/responses/sendMessage-429.body')),
      error: 'Too Many Requests: retry after 35',
    });
  });

  it('answers 5xx as retryable, honouring a Retry-After header', async () => {
    telegram.answer({ status: 502, headers: { 'Content-Type': 'text/html', 'Retry-After': '7' }, body: 'Bad Gateway' });

    const result = await channel.send(CREDENTIALS, { target: '123456789', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
      httpStatus: 502,
      response: 'Bad Gateway',
      error: 'HTTP 502',
    });
  });

  it('answers a blocked bot (403) as permanent with the provider description', async () => {
    telegram.answer(fixtureResponse('telegram', 'sendMessage-403-blocked'));

    const result = await channel.send(CREDENTIALS, { target: '123456789', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: false,
      httpStatus: 403,
      response: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      error: 'Forbidden: bot was blocked by the user',
    });
  });

  it('answers a MarkdownV2 parse error (400) as permanent', async () => {
    telegram.answer(fixtureResponse('telegram', 'sendMessage-400-parse-entities'));

    const result = await channel.send(CREDENTIALS, { target: '123456789', text: 'unescaped.' });

    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 400 });
    expect(result.error).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('names the new chat id when a group was upgraded to a supergroup', async () => {
    const body = {
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001234567890 },
    };
    telegram.answer({ status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const result = await channel.send(CREDENTIALS, { target: '-4001', text: 'hi' });

    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 400 });
    expect(result.error).toBe(
      "Bad Request: group chat was upgraded to a supergroup chat (the group is now chat -1001234567890: update the rule's target)",
    );
  });

  it('treats a timeout as retryable with no HTTP status', async () => {
    telegram.answer({ status: 200, hang: true });
    const impatient = new TelegramChannel(telegram.url, sender, 200);

    const result = await impatient.send(CREDENTIALS, { target: '123456789', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      httpStatus: null,
      response: null,
      error: 'timed out after 200 ms',
    });
  });

  it('treats a refused connection as retryable', async () => {
    const closed = await FakeProvider.start();
    const url = closed.url;
    await closed.close();

    const result = await new TelegramChannel(url, sender).send(CREDENTIALS, { target: '1', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      httpStatus: null,
      response: null,
      error: 'connection refused',
    });
  });

  it('sends nothing without a usable bot token', async () => {
    expect(await channel.send({}, { target: '1', text: 'hi' })).toEqual({
      ok: false,
      retryable: false,
      httpStatus: null,
      response: null,
      error: 'telegram credentials.bot_token is missing',
    });
    expect((await channel.send({ bot_token: '123/../x' }, { target: '1', text: 'hi' })).error).toBe(
      'telegram credentials.bot_token is malformed',
    );
    expect(telegram.requests).toHaveLength(0);
  });
});
