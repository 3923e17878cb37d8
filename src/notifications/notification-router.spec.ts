import { matchingRules, notificationRows } from './notification-router';
import type { RoutingRule } from './notification-rules.service';

describe('notification routing', () => {
  const event = {
    id: 'evt_1',
    tenantId: 'ten_1',
    eventType: 'lead.status_changed',
    data: { status: 'won', phone: '+1' },
    metadata: {},
    entityKey: null,
  };
  const rules: RoutingRule[] = [
    { id: 'rule_any', eventTypes: ['lead.*'], conditions: [], channel: 'telegram' },
    {
      id: 'rule_won',
      eventTypes: ['lead.status_changed'],
      conditions: [{ path: 'data.status', op: 'eq', value: 'won' }],
      channel: 'slack',
    },
    {
      id: 'rule_lost',
      eventTypes: ['lead.status_changed'],
      conditions: [{ path: 'data.status', op: 'eq', value: 'lost' }],
      channel: 'slack',
    },
    { id: 'rule_deal', eventTypes: ['deal.*'], conditions: [], channel: 'whatsapp' },
  ];

  it('keeps the rules whose event types and conditions select the event', () => {
    expect(matchingRules(rules, event).map((r) => r.id)).toEqual(['rule_any', 'rule_won']);
  });

  it('queues one notification per rule, due now', () => {
    const now = new Date('2025-01-09T12:00:00Z');
    const rows = notificationRows(rules.slice(0, 2), event, now);
    expect(rows).toEqual([
      expect.objectContaining({
        tenantId: 'ten_1',
        ruleId: 'rule_any',
        eventId: 'evt_1',
        eventType: 'lead.status_changed',
        channel: 'telegram',
        status: 'queued',
        skipReason: null,
        nextAttemptAt: now,
      }),
      expect.objectContaining({ ruleId: 'rule_won', channel: 'slack', status: 'queued' }),
    ]);
    expect(rows[0].id).toMatch(/^ntf_[0-9a-z]{26}$/);
    expect(rows[0].id).not.toBe(rows[1].id);
  });

  it('records a stale event as skipped at once, never due', () => {
    const rows = notificationRows(rules.slice(0, 1), { ...event, metadata: { stale: true } }, new Date());
    expect(rows[0]).toMatchObject({ status: 'skipped', skipReason: 'stale', nextAttemptAt: null });
  });
});
