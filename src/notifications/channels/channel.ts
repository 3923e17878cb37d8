import type { Channel, TelegramParseMode } from '../templates/template-engine';

export interface ChannelMessage {
  /** Telegram chat id (or @channelusername), Slack incoming-webhook URL, WhatsApp phone (E.164 digits with or without +). */
  target: string;
  text: string;
  /** Telegram only; default MarkdownV2. */
  parseMode?: TelegramParseMode;
  /** WhatsApp only: send this approved template (its body parameters) instead of `text`. */
  whatsappTemplate?: { name: string; language: string; parameters: string[] };
}

export interface ChannelCredentials {
  bot_token?: string;
  phone_number_id?: string;
  access_token?: string;
}

export interface ChannelResult {
  ok: boolean;
  /** 429, 5xx, timeouts and connection errors (and WhatsApp's throughput errors such as 130429). */
  retryable: boolean;
  /** Telegram parameters.retry_after (s), a Retry-After header, WhatsApp 130429 default 60 s. */
  retryAfterMs?: number;
  /** null when no response arrived. */
  httpStatus: number | null;
  /** The provider's parsed JSON answer, or its text; null when there was none. */
  response: unknown;
  /** Human: "Forbidden: bot was blocked by the user", "outside the 24 h customer-service window (131047)"… */
  error: string | null;
}

/** One class per messenger we send to, picked by {@link Channel}. `send` never throws. */
export interface ChannelProvider {
  readonly channel: Channel;
  send(credentials: ChannelCredentials, message: ChannelMessage): Promise<ChannelResult>;
}

export interface ChannelProblem {
  field: string;
  message: string;
}

/** `123456:ABC-DEF…`: the bot id, a colon, the secret. */
export const TELEGRAM_BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;
/** A numeric chat id (groups and channels are negative) or a public @channelusername. */
const TELEGRAM_CHAT = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;
export const WHATSAPP_PHONE_NUMBER_ID = /^\d{5,30}$/;
/** E.164: up to 15 digits, no leading zero; separators people type are tolerated. */
const E164 = /^\+?[1-9]\d{6,14}$/;

/** The digits of a WhatsApp recipient as the Cloud API wants them in `to` ("+7 916 123-45-67" → "79161234567"). */
export function whatsappRecipient(target: string): string {
  return target.replace(/[\s().-]/g, '').replace(/^\+/, '');
}

function isBlank(value: string | undefined | null): boolean {
  return value === undefined || value === null || value.trim() === '';
}

function telegramProblems(credentials: ChannelCredentials, target: string | null): ChannelProblem[] {
  const problems: ChannelProblem[] = [];
  if (isBlank(credentials.bot_token)) {
    problems.push({
      field: 'credentials.bot_token',
      message: 'telegram needs credentials.bot_token (from @BotFather)',
    });
  } else if (!TELEGRAM_BOT_TOKEN.test(credentials.bot_token!.trim())) {
    problems.push({ field: 'credentials.bot_token', message: 'bot_token must look like 123456789:AAE…' });
  }
  if (target !== null && !TELEGRAM_CHAT.test(target.trim())) {
    problems.push({
      field: 'target',
      message: 'target must be a Telegram chat id (e.g. 123456789, -1001234567890) or @channelusername',
    });
  }
  return problems;
}

function slackProblems(target: string | null, allowHttp: boolean): ChannelProblem[] {
  if (target === null) return [];
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    return [
      { field: 'target', message: 'target must be a Slack incoming-webhook URL (https://hooks.slack.com/services/…)' },
    ];
  }
  const schemeOk = url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
  if (!schemeOk) return [{ field: 'target', message: 'target must be an https URL (a Slack incoming webhook)' }];
  if (url.username !== '' || url.password !== '')
    return [{ field: 'target', message: 'target must not contain credentials' }];
  return [];
}

function whatsappProblems(credentials: ChannelCredentials, target: string | null): ChannelProblem[] {
  const problems: ChannelProblem[] = [];
  if (isBlank(credentials.phone_number_id)) {
    problems.push({ field: 'credentials.phone_number_id', message: 'whatsapp needs credentials.phone_number_id' });
  } else if (!WHATSAPP_PHONE_NUMBER_ID.test(credentials.phone_number_id!.trim())) {
    problems.push({
      field: 'credentials.phone_number_id',
      message: 'phone_number_id must be the numeric id from WhatsApp Manager',
    });
  }
  if (isBlank(credentials.access_token)) {
    problems.push({ field: 'credentials.access_token', message: 'whatsapp needs credentials.access_token' });
  }
  if (target !== null && !E164.test(whatsappRecipient(target.trim()))) {
    problems.push({
      field: 'target',
      message: 'target must be a phone number in international format, e.g. +79161234567',
    });
  }
  return problems;
}

/**
 * Checks credentials/target shapes at rule creation: returns problems as { field, message } (e.g. telegram needs
 * credentials.bot_token; whatsapp needs phone_number_id and access_token; slack target must be an https URL).
 * A null target means it is resolved per event (e.g. the client's phone), so only the credentials are checked.
 * `options.allowHttp` (ALLOW_HTTP_URLS) also accepts http Slack URLs, for local fakes.
 */
export function channelProblems(
  channel: Channel,
  credentials: ChannelCredentials,
  target: string | null,
  options: { allowHttp?: boolean } = {},
): ChannelProblem[] {
  const given = credentials ?? {};
  switch (channel) {
    case 'telegram':
      return telegramProblems(given, target);
    case 'slack':
      return slackProblems(target, options.allowHttp ?? false);
    case 'whatsapp':
      return whatsappProblems(given, target);
    default:
      return [{ field: 'channel', message: `unknown channel "${String(channel)}" (telegram, slack or whatsapp)` }];
  }
}
