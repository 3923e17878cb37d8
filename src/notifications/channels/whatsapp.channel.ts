import type { HttpSender, SendResult } from '../../common/http-sender';
import {
  ChannelCredentials,
  ChannelMessage,
  ChannelProvider,
  ChannelResult,
  WHATSAPP_PHONE_NUMBER_ID,
  whatsappRecipient,
} from './channel';
import {
  DEFAULT_CHANNEL_TIMEOUT_MS,
  isRetryableStatus,
  JSON_HEADERS,
  notSent,
  parseResponse,
  retryAfterHeaderMs,
  transportFailure,
} from './provider-response';

/** When Meta says "too many" without a Retry-After header, wait this long. */
export const WHATSAPP_THROTTLE_RETRY_MS = 60_000;

/** Cloud API error codes that mean "slow down / try later" rather than "this message will never go". */
const THROTTLE_CODES = new Set([4, 80007, 130429, 131056]);
const TEMPORARY_CODES = new Set([2, 131000, 131016, 133004]);

/** Cloud API error codes in words; others are described by Meta's own details. */
const WHATSAPP_ERRORS: Record<number, string> = {
  4: 'too many API calls',
  190: 'access token expired or invalid',
  80007: 'WhatsApp Business account rate limit hit',
  130429: 'rate limit hit',
  131026: 'message undeliverable (the number may not use WhatsApp)',
  131030: 'recipient is not in the allowed list',
  131047: 'outside the 24 h customer-service window',
  131051: 'unsupported message type',
  131056: 'too many messages to this recipient',
  132000: 'template parameter count does not match',
  132001: 'template does not exist in this language',
  133010: 'the sending phone number is not registered',
};

interface GraphError {
  message?: string;
  code?: number;
  error_data?: { details?: string };
}

function graphError(response: unknown): GraphError {
  const error = typeof response === 'object' && response !== null ? (response as { error?: unknown }).error : null;
  return typeof error === 'object' && error !== null ? error : {};
}

function describe(error: GraphError, httpStatus: number): string {
  const { code } = error;
  if (code === undefined) return error.message ?? `HTTP ${httpStatus}`;
  const words = WHATSAPP_ERRORS[code] ?? error.error_data?.details ?? error.message?.replace(/^\(#\d+\)\s*/, '');
  return `${words ?? 'error'} (${code})`;
}

/** What a Cloud API answer means: accepted, worth retrying (throughput codes, 429, 5xx), or refused for good. */
function whatsappResult(result: SendResult): ChannelResult {
  const failed = transportFailure(result);
  if (failed) return failed;
  const httpStatus = result.httpStatus!;
  const response = parseResponse(result);
  if (result.ok) return { ok: true, retryable: false, httpStatus, response, error: null };
  const error = graphError(response);
  const throttled = (error.code !== undefined && THROTTLE_CODES.has(error.code)) || httpStatus === 429;
  const temporary = error.code !== undefined && TEMPORARY_CODES.has(error.code);
  const retryable = throttled || temporary || isRetryableStatus(httpStatus);
  let retryAfterMs = retryable ? retryAfterHeaderMs(result.retryAfter) : undefined;
  if (throttled && retryAfterMs === undefined) retryAfterMs = WHATSAPP_THROTTLE_RETRY_MS;
  const base = { ok: false, retryable, httpStatus, response, error: describe(error, httpStatus) };
  return retryAfterMs === undefined ? base : { ...base, retryAfterMs };
}

/** The Cloud API body: a text message, or an approved template with its body parameters. */
function messageBody(to: string, message: ChannelMessage): Record<string, unknown> {
  const template = message.whatsappTemplate;
  if (!template) {
    const text = { preview_url: false, body: message.text };
    return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text };
  }
  const parameters = template.parameters.map((text) => ({ type: 'text', text }));
  return {
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}),
    },
  };
}

/** WhatsApp Cloud API: POST {baseUrl}/{phone_number_id}/messages with `Authorization: Bearer <access_token>`. */
export class WhatsAppChannel implements ChannelProvider {
  readonly channel = 'whatsapp' as const;
  private readonly baseUrl: string;

  constructor(
    /** WHATSAPP_API_URL, e.g. https://graph.facebook.com/v21.0 */
    baseUrl: string,
    private readonly sender: HttpSender,
    private readonly timeoutMs = DEFAULT_CHANNEL_TIMEOUT_MS,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async send(credentials: ChannelCredentials, message: ChannelMessage): Promise<ChannelResult> {
    const phoneNumberId = credentials.phone_number_id?.trim();
    const accessToken = credentials.access_token?.trim();
    if (!phoneNumberId) return notSent('whatsapp credentials.phone_number_id is missing');
    if (!WHATSAPP_PHONE_NUMBER_ID.test(phoneNumberId))
      return notSent('whatsapp credentials.phone_number_id is malformed');
    if (!accessToken) return notSent('whatsapp credentials.access_token is missing');
    const to = whatsappRecipient(message.target.trim());
    if (!/^[1-9]\d{6,14}$/.test(to))
      return notSent(`"${message.target}" is not a phone number in international format`);
    const result = await this.sender.send({
      url: `${this.baseUrl}/${phoneNumberId}/messages`,
      headers: { ...JSON_HEADERS, authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(messageBody(to, message)),
      timeoutMs: this.timeoutMs,
    });
    return whatsappResult(result);
  }
}
