import type { HttpSender, SendResult } from '../../common/http-sender';
import { ChannelCredentials, ChannelMessage, ChannelProvider, ChannelResult, TELEGRAM_BOT_TOKEN } from './channel';
import {
  DEFAULT_CHANNEL_TIMEOUT_MS,
  isRetryableStatus,
  JSON_HEADERS,
  notSent,
  parseResponse,
  retryAfterHeaderMs,
  transportFailure,
} from './provider-response';

/** Bot API answer: `{ok, result}` or `{ok:false, error_code, description, parameters}`. */
interface TelegramAnswer {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

function asAnswer(response: unknown): TelegramAnswer {
  return typeof response === 'object' && response !== null ? response : {};
}

/** Numeric chat ids go out as JSON numbers (as the Bot API documents them); @channelusername stays a string. */
function chatId(target: string): number | string {
  const trimmed = target.trim();
  return /^-?\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** What a sendMessage answer means: sent, worth retrying (429 with its retry_after, 5xx), or refused for good. */
function telegramResult(result: SendResult): ChannelResult {
  const failed = transportFailure(result);
  if (failed) return failed;
  const httpStatus = result.httpStatus!;
  const response = parseResponse(result);
  const answer = asAnswer(response);
  if (result.ok && answer.ok !== false) return { ok: true, retryable: false, httpStatus, response, error: null };
  let error = answer.description ?? result.error ?? `HTTP ${httpStatus}`;
  const migratedTo = answer.parameters?.migrate_to_chat_id;
  if (migratedTo !== undefined) error += ` (the group is now chat ${migratedTo}: update the rule's target)`;
  const retryable = isRetryableStatus(httpStatus);
  const retryAfter = answer.parameters?.retry_after;
  const retryAfterMs =
    typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : retryAfterHeaderMs(result.retryAfter);
  return {
    ok: false,
    retryable,
    ...(retryable && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    httpStatus,
    response,
    error,
  };
}

/** Telegram Bot API sendMessage: POST {baseUrl}/bot{token}/sendMessage with JSON {chat_id, text, parse_mode}. */
export class TelegramChannel implements ChannelProvider {
  readonly channel = 'telegram' as const;
  private readonly baseUrl: string;

  constructor(
    /** TELEGRAM_API_URL, e.g. https://api.telegram.org */
    baseUrl: string,
    private readonly sender: HttpSender,
    private readonly timeoutMs = DEFAULT_CHANNEL_TIMEOUT_MS,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async send(credentials: ChannelCredentials, message: ChannelMessage): Promise<ChannelResult> {
    const token = credentials.bot_token?.trim();
    if (!token) return notSent('telegram credentials.bot_token is missing');
    if (!TELEGRAM_BOT_TOKEN.test(token)) return notSent('telegram credentials.bot_token is malformed');
    if (message.target.trim() === '') return notSent('no Telegram chat id to send to');
    const body = JSON.stringify({
      chat_id: chatId(message.target),
      text: message.text,
      parse_mode: message.parseMode ?? 'MarkdownV2',
    });
    const url = `${this.baseUrl}/bot${token}/sendMessage`;
    const result = await this.sender.send({ url, headers: { ...JSON_HEADERS }, body, timeoutMs: this.timeoutMs });
    return telegramResult(result);
  }
}
