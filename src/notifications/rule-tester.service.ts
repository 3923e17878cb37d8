import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Event } from '../events/event.entity';
import { isValidEventType } from '../subscriptions/event-pattern';
import type { TestRuleResultDto } from './dto/notification-rule.dto';
import { NotificationRule } from './notification-rule.entity';
import { Notifier } from './notifier.service';

/** A realistic booking, for testing booking rules without waiting for YClients. */
const SAMPLE_BOOKING = {
  id: 596792980,
  datetime: '2025-08-15T14:00:00+03:00',
  services: [{ title: 'Мужская стрижка', cost: 1500 }],
  staff: { name: 'Александр' },
  client: { name: 'Вячеслав', phone: '+79990000000' },
  comment: '',
};

const SAMPLE_LEAD = { id: 42, name: 'Website redesign', status_id: 142, status_name: 'Won', price: '150000.00' };

function sampleData(eventType: string): Record<string, unknown> {
  if (eventType.startsWith('record.')) return { ...SAMPLE_BOOKING };
  if (/^(lead|deal)\./.test(eventType)) return { lead: SAMPLE_LEAD };
  return { sample: true };
}

/**
 * POST /notification-rules/{id}/test: render a sample (or the given) event and send it now, unrecorded. A template
 * over a render limit (too long a message, too much work) answers 422 UNPROCESSABLE naming the limit, after
 * bounded work (see RENDER_LIMITS): the test never holds the API.
 */
@Injectable()
export class RuleTester {
  constructor(private readonly notifier: Notifier) {}

  async test(
    rule: NotificationRule,
    given?: { event_type?: string; data?: Record<string, unknown> },
  ): Promise<TestRuleResultDto> {
    const eventType = given?.event_type ?? rule.eventTypes.find((t) => isValidEventType(t)) ?? 'sample.event';
    if (!isValidEventType(eventType)) {
      throw ApiError.validation('The test event type is invalid.', [
        { field: 'event.event_type', message: 'event_type must be an event type such as record.created' },
      ]);
    }
    const event = Object.assign(new Event(), {
      id: 'evt_sample',
      tenantId: rule.tenantId,
      eventType,
      data: given?.data ?? sampleData(eventType),
      metadata: { sample: true },
      entityKey: null,
      createdAt: new Date(),
    });
    const outcome = await this.notifier.trySend(rule, event);
    if (outcome.status === 'failed' && outcome.limit) {
      const { kind, message } = outcome.limit;
      throw new ApiError('UNPROCESSABLE', `The template cannot be rendered within its limits: ${message}.`, [
        { field: 'template', message, limit: kind },
      ]);
    }
    const result = 'result' in outcome ? outcome.result : undefined;
    return {
      sent: outcome.status === 'sent',
      rendered_text: 'text' in outcome ? (outcome.text ?? null) : null,
      target: 'target' in outcome ? (outcome.target ?? null) : null,
      provider_status: result?.httpStatus ?? null,
      provider_response: result?.response ?? null,
      error:
        outcome.status === 'skipped'
          ? `skipped: ${outcome.reason}`
          : outcome.status === 'sent'
            ? null
            : (('error' in outcome ? outcome.error : result?.error) ?? null),
    };
  }
}
