import type { HttpSender, SendResult } from '../../common/http-sender';
import { ChannelCredentials, ChannelMessage, ChannelProvider, ChannelResult } from './channel';
import {
  DEFAULT_CHANNEL_TIMEOUT_MS,
  isRetryableStatus,
  JSON_HEADERS,
  notSent,
  parseResponse,
  retryAfterHeaderMs,
  transportFailure,
} from './provider-response';

/** Incoming-webhook error strings (answered as plain text) and what they mean for the rule's owner. */
const SLACK_ERRORS: Record<string, string> = {
  invalid_payload: 'Slack could not read the message',
  no_text: 'the message has no text',
  user_not_found: 'the user was not found',
  channel_not_found: 'the channel was not found',
  channel_is_archived: 'the channel is archived',
  action_prohibited: 'the workspace does not allow posting there',
  posting_to_general_channel_denied: 'posting to #general is restricted',
  too_many_attachments: 'too many attachments',
  no_service: 'the webhook was removed',
  no_service_id: 'the webhook URL is incomplete',
  no_team: 'the workspace was not found',
  team_disabled: 'the workspace is disabled',
  invalid_token: 'the webhook URL is no longer valid',
  no_active_hooks: 'the webhook is disabled',
  rollup_error: 'Slack failed on its side',
};

function slackError(result: SendResult, httpStatus: number): string {
  const code = result.responseBody.trim();
  if (Object.hasOwn(SLACK_ERRORS, code)) return `${code}: ${SLACK_ERRORS[code]}`;
  if (httpStatus === 429) return 'rate limited by Slack (HTTP 429)';
  return /^[a-z_]{1,64}$/.test(code) ? `${code} (HTTP ${httpStatus})` : `HTTP ${httpStatus}`;
}

/** What an incoming-webhook answer means: "ok", worth retrying (429 with Retry-After, 5xx), or refused for good. */
function slackResult(result: SendResult): ChannelResult {
  const failed = transportFailure(result);
  if (failed) return failed;
  const httpStatus = result.httpStatus!;
  const response = parseResponse(result);
  if (result.ok) return { ok: true, retryable: false, httpStatus, response, error: null };
  const retryable = isRetryableStatus(httpStatus);
  const retryAfterMs = retryable ? retryAfterHeaderMs(result.retryAfter) : undefined;
  const error = slackError(result, httpStatus);
  return { ok: false, retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), httpStatus, response, error };
}

/** Slack incoming webhooks: POST the target URL with JSON {text}; Slack answers the text "ok" or an error string. */
export class SlackChannel implements ChannelProvider {
  readonly channel = 'slack' as const;

  constructor(
    private readonly sender: HttpSender,
    private readonly timeoutMs = DEFAULT_CHANNEL_TIMEOUT_MS,
  ) {}

  async send(_credentials: ChannelCredentials, message: ChannelMessage): Promise<ChannelResult> {
    const url = message.target.trim();
    if (url === '') return notSent('no Slack webhook URL to send to');
    const body = JSON.stringify({ text: message.text });
    const result = await this.sender.send({ url, headers: { ...JSON_HEADERS }, body, timeoutMs: this.timeoutMs });
    return slackResult(result);
  }
}
