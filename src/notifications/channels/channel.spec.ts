import { channelProblems, whatsappRecipient } from './channel';

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const WHATSAPP = { phone_number_id: '106540352242922', access_token: 'EAAJB...TEST' };

describe('channelProblems', () => {
  it('accepts complete telegram, slack and whatsapp rules', () => {
    expect(channelProblems('telegram', { bot_token: TOKEN }, '123456789')).toEqual([]);
    expect(channelProblems('telegram', { bot_token: TOKEN }, '-1001234567890')).toEqual([]);
    expect(channelProblems('telegram', { bot_token: TOKEN }, '@hookhub_news')).toEqual([]);
    expect(channelProblems('slack', {}, 'https://hooks.slack.com/services/T0/B0/XXXX')).toEqual([]);
    expect(channelProblems('whatsapp', WHATSAPP, '+7 916 123-45-67')).toEqual([]);
    expect(channelProblems('whatsapp', WHATSAPP, '79161234567')).toEqual([]);
  });

  it('needs a telegram bot_token shaped like BotFather’s and a chat id target', () => {
    expect(channelProblems('telegram', {}, 'not a chat')).toEqual([
      { field: 'credentials.bot_token', message: 'telegram needs credentials.bot_token (from @BotFather)' },
      {
        field: 'target',
        message: 'target must be a Telegram chat id (e.g. 123456789, -1001234567890) or @channelusername',
      },
    ]);
    expect(channelProblems('telegram', { bot_token: 'secret' }, '1')).toEqual([
      { field: 'credentials.bot_token', message: 'bot_token must look like 123456789:AAE…' },
    ]);
  });

  it('needs an https slack target (http only when allowed)', () => {
    const https = { field: 'target', message: 'target must be an https URL (a Slack incoming webhook)' };
    expect(channelProblems('slack', {}, 'http://hooks.slack.com/services/T0/B0/X')).toEqual([https]);
    expect(channelProblems('slack', {}, 'http://127.0.0.1:9000/hook', { allowHttp: true })).toEqual([]);
    expect(channelProblems('slack', {}, 'hooks.slack.com')).toEqual([
      { field: 'target', message: 'target must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)' },
    ]);
    expect(channelProblems('slack', {}, 'https://user:pw@hooks.slack.com/x')).toEqual([
      { field: 'target', message: 'target must not contain credentials' },
    ]);
  });

  it('needs whatsapp phone_number_id and access_token and an international phone target', () => {
    expect(channelProblems('whatsapp', {}, '0916 123-45-67')).toEqual([
      { field: 'credentials.phone_number_id', message: 'whatsapp needs credentials.phone_number_id' },
      { field: 'credentials.access_token', message: 'whatsapp needs credentials.access_token' },
      { field: 'target', message: 'target must be a phone number in international format, e.g. +79161234567' },
    ]);
    expect(channelProblems('whatsapp', { ...WHATSAPP, phone_number_id: 'abc' }, '79161234567')).toEqual([
      { field: 'credentials.phone_number_id', message: 'phone_number_id must be the numeric id from WhatsApp Manager' },
    ]);
  });

  it('checks only the credentials when the target is resolved per event (null)', () => {
    expect(channelProblems('whatsapp', WHATSAPP, null)).toEqual([]);
    expect(channelProblems('slack', {}, null)).toEqual([]);
    expect(channelProblems('telegram', {}, null)).toEqual([
      { field: 'credentials.bot_token', message: 'telegram needs credentials.bot_token (from @BotFather)' },
    ]);
  });
});

describe('whatsappRecipient', () => {
  it('keeps only the digits the Cloud API wants in "to"', () => {
    expect(whatsappRecipient('+7 (916) 123-45-67')).toBe('79161234567');
    expect(whatsappRecipient('79161234567')).toBe('79161234567');
  });
});
