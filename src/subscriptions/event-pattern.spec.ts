import {
  EVENT_TYPE_PATTERN,
  isValidEventPattern,
  isValidEventType,
  matchesAnyPattern,
  matchesEventPattern,
  selectedBy,
} from './event-pattern';

describe('isValidEventType', () => {
  it.each(['deal.won', 'lead.status_changed', 'webhook.test', 'record-v2.created', 'ping', 'a.b.c.d', 'x'.repeat(200)])(
    'accepts %p',
    (type) => {
      expect(isValidEventType(type)).toBe(true);
      expect(EVENT_TYPE_PATTERN.test(type)).toBe(true);
    },
  );

  it.each([
    '',
    'Deal.won',
    'deal..won',
    '.deal',
    'deal.',
    'deal won',
    ' deal.won',
    'deal.won\n',
    'deal.*',
    '*',
    'сделка.won',
    'x'.repeat(201),
  ])('refuses %p', (type) => {
    expect(isValidEventType(type)).toBe(false);
  });
});

describe('isValidEventPattern', () => {
  it.each(['deal.won', 'task.*', 'lead.status.*', 'ping', '*'])('accepts %p', (pattern) => {
    expect(isValidEventPattern(pattern)).toBe(true);
  });

  it.each([
    '',
    'Task.X',
    'a..b',
    '*.x',
    'a.*.b',
    'a*',
    ' a',
    'a ',
    '.*',
    '**',
    'a.**',
    'a.*.*',
    `${'x'.repeat(199)}.*`,
  ])('refuses %p', (pattern) => {
    expect(isValidEventPattern(pattern)).toBe(false);
  });
});

describe('matchesEventPattern', () => {
  it('matches an exact type only with itself', () => {
    expect(matchesEventPattern('deal.won', 'deal.won')).toBe(true);
    expect(matchesEventPattern('deal.won', 'deal.won.late')).toBe(false);
    expect(matchesEventPattern('deal.won', 'deal.lost')).toBe(false);
    expect(matchesEventPattern('deal', 'deal.won')).toBe(false);
  });

  it.each(['task.completed', 'task.a.b', 'task.created_by-bot'])('matches %p with task.*', (type) => {
    expect(matchesEventPattern('task.*', type)).toBe(true);
  });

  it.each(['task', 'tasks.x', 'task_x.y', 'subtask.completed', 'deal.won'])('does not match %p with task.*', (type) => {
    expect(matchesEventPattern('task.*', type)).toBe(false);
  });

  it('matches a deeper prefix only below it', () => {
    expect(matchesEventPattern('lead.status.*', 'lead.status.won')).toBe(true);
    expect(matchesEventPattern('lead.status.*', 'lead.status_changed')).toBe(false);
  });

  it.each(['deal.won', 'task.a.b', 'webhook.test'])('matches %p with *', (type) => {
    expect(matchesEventPattern('*', type)).toBe(true);
  });

  it.each(['a*', '*.x', 'a.*.b', ''])('lets the invalid pattern %p match nothing', (pattern) => {
    expect(matchesEventPattern(pattern, 'a.x.b')).toBe(false);
    expect(matchesEventPattern(pattern, '')).toBe(false);
  });
});

describe('matchesAnyPattern', () => {
  it('is true when one pattern matches', () => {
    expect(matchesAnyPattern(['deal.won', 'task.*'], 'task.done')).toBe(true);
    expect(matchesAnyPattern(['deal.won', 'task.*'], 'deal.won')).toBe(true);
  });

  it('is false when none matches or there are no patterns', () => {
    expect(matchesAnyPattern(['deal.won', 'task.*'], 'deal.lost')).toBe(false);
    expect(matchesAnyPattern([], 'deal.won')).toBe(false);
  });
});

describe('selectedBy', () => {
  const active = [
    { id: 'wh_exact', events: ['deal.won'] },
    { id: 'wh_prefix', events: ['deal.*'] },
    { id: 'wh_all', events: ['*'] },
    { id: 'wh_other', events: ['task.created', 'lead.*'] },
  ];

  it('keeps the subscriptions whose patterns select the event type, in their order', () => {
    expect(selectedBy(active, 'deal.won').map((s) => s.id)).toEqual(['wh_exact', 'wh_prefix', 'wh_all']);
    expect(selectedBy(active, 'lead.status_changed').map((s) => s.id)).toEqual(['wh_all', 'wh_other']);
  });

  it('selects nothing from no subscriptions, and only * for an unknown type', () => {
    expect(selectedBy([], 'deal.won')).toEqual([]);
    expect(selectedBy(active, 'order.paid').map((s) => s.id)).toEqual(['wh_all']);
  });
});
