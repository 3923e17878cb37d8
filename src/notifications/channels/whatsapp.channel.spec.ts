import { HttpSender } from '../../common/http-sender';
import { FakeProvider, fixtureRequestLine, fixtureResponse, fixtureText } from './testing/fake-provider';
import { WhatsAppChannel } from './whatsapp.channel';

const CREDENTIALS = { phone_number_id: '106540352242922', access_token: 'EAAJB...TEST' };

describe('WhatsAppChannel', () => {
  let whatsapp: FakeProvider;
  let sender: HttpSender;
  let channel: WhatsAppChannel;

  beforeEach(async () => {
    whatsapp = await FakeProvider.start();
    sender = new HttpSender({ allowPrivate: true });
    channel = new WhatsAppChannel(`${whatsapp.url}/v21.0`, sender, 1000);
  });

  afterEach(async () => {
    await sender.close();
    await whatsapp.close();
  });

  it('posts a text message to {baseUrl}/{phone_number_id}/messages with the bearer token, as the Cloud API sample', async () => {
    whatsapp.answer(fixtureResponse('whatsapp', 'send-ok'));

    const result = await channel.send(CREDENTIALS, {
      target: '+7 916 123-45-67',
      text: 'Да, завтра в 10:00 свободно.',
    });

    expect(whatsapp.requests).toHaveLength(1);
    const [request] = whatsapp.requests;
    expect({ method: request.method, path: request.path }).toEqual(
      fixtureRequestLine('whatsapp/outbound-send-text.request'),
    );
    expect(request.headers.authorization).toBe('Bearer EAAJB...TEST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toBe(fixtureText('whatsapp/outbound-send-text.body'));
    expect(result).toEqual({
      ok: true,
      retryable: false,
      httpStatus: 200,
      response: JSON.parse(fixtureText('whatsapp/responses/send-ok.body')),
      error: null,
    });
  });

  it('sends a template message with its body parameters instead of the text', async () => {
    whatsapp.answer(fixtureResponse('whatsapp', 'send-ok'));

    const result = await channel.send(CREDENTIALS, {
      target: '79161234567',
      text: 'ignored',
      whatsappTemplate: { name: 'appointment_reminder', language: 'ru', parameters: ['Анна', '12.09 10:00'] },
    });

    const [request] = whatsapp.requests;
    expect({ method: request.method, path: request.path }).toEqual(
      fixtureRequestLine('whatsapp/outbound-send-template.request'),
    );
    expect(request.headers.authorization).toBe('Bearer EAAJB...TEST');
    expect(request.body).toBe(fixtureText('whatsapp/outbound-send-template.body'));
    expect(result.ok).toBe(true);
  });

  it('leaves out components for a template without parameters', async () => {
    whatsapp.answer(fixtureResponse('whatsapp', 'send-ok'));

    await channel.send(CREDENTIALS, {
      target: '79161234567',
      text: '',
      whatsappTemplate: { name: 'hello_world', language: 'en_US', parameters: [] },
    });

    expect(JSON.parse(whatsapp.requests[0].body)).toEqual({
      messaging_product: 'whatsapp',
      to: '79161234567',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
  });

  it('answers 131047 (outside the 24 h window) as permanent', async () => {
    whatsapp.answer(fixtureResponse('whatsapp', 'send-error-131047'));

    const result = await channel.send(CREDENTIALS, { target: '79161234567', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: false,
      httpStatus: 400,
      response: JSON.parse(fixtureText('whatsapp/responses/send-error-131047.body')),
      error: 'outside the 24 h customer-service window (131047)',
    });
  });

  it('answers 130429 (rate limit, HTTP 400) as retryable after 60 s by default', async () => {
    whatsapp.answer(fixtureResponse('whatsapp', 'send-error-130429-rate-limit'));

    const result = await channel.send(CREDENTIALS, { target: '79161234567', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 60_000,
      httpStatus: 400,
      response: JSON.parse(fixtureText('whatsapp/responses/send-error-130429-rate-limit.body')),
      error: 'rate limit hit (130429)',
    });
  });

  it('prefers a Retry-After header over the 60 s default on 429', async () => {
    whatsapp.answer({ status: 429, headers: { 'Content-Type': 'application/json', 'Retry-After': '12' }, body: '{}' });

    const result = await channel.send(CREDENTIALS, { target: '79161234567', text: 'hi' });

    expect(result).toMatchObject({ ok: false, retryable: true, retryAfterMs: 12_000, httpStatus: 429 });
  });

  it('answers 5xx as retryable', async () => {
    const body = { error: { message: '(#131000) Something went wrong', type: 'OAuthException', code: 131000 } };
    whatsapp.answer({ status: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const result = await channel.send(CREDENTIALS, { target: '79161234567', text: 'hi' });

    expect(result).toEqual({
      ok: false,
      retryable: true,
      httpStatus: 500,
      response: body,
      error: 'Something went wrong (131000)',
    });
  });

  it('answers an expired token (190) as permanent', async () => {
    const body = { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } };
    whatsapp.answer({ status: 401, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const result = await channel.send(CREDENTIALS, { target: '79161234567', text: 'hi' });

    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 401 });
    expect(result.error).toBe('access token expired or invalid (190)');
  });

  it('sends nothing without credentials or with a target that is not a phone number', async () => {
    const missing = await channel.send({ access_token: 'x' }, { target: '79161234567', text: 'hi' });
    const noToken = await channel.send({ phone_number_id: '106540352242922' }, { target: '79161234567', text: 'hi' });
    const badTarget = await channel.send(CREDENTIALS, { target: 'client', text: 'hi' });

    expect(missing).toEqual({
      ok: false,
      retryable: false,
      httpStatus: null,
      response: null,
      error: 'whatsapp credentials.phone_number_id is missing',
    });
    expect(noToken.error).toBe('whatsapp credentials.access_token is missing');
    expect(badTarget.error).toBe('"client" is not a phone number in international format');
    expect(whatsapp.requests).toHaveLength(0);
  });
});
