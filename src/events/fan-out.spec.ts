import { targetsFor } from './events.service';

describe('targetsFor', () => {
  const active = [
    { id: 'wh_exact', events: ['deal.won'] },
    { id: 'wh_prefix', events: ['deal.*'] },
    { id: 'wh_all', events: ['*'] },
    { id: 'wh_other', events: ['task.created', 'lead.*'] },
  ];

  it('keeps the subscriptions whose patterns select the event type, in their order', () => {
    expect(targetsFor(active, 'deal.won').map((s) => s.id)).toEqual(['wh_exact', 'wh_prefix', 'wh_all']);
    expect(targetsFor(active, 'lead.status_changed').map((s) => s.id)).toEqual(['wh_all', 'wh_other']);
  });

  it('selects nothing from no subscriptions, and only * for an unknown type', () => {
    expect(targetsFor([], 'deal.won')).toEqual([]);
    expect(targetsFor(active, 'order.paid').map((s) => s.id)).toEqual(['wh_all']);
  });
});
