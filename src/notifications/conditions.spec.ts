import { conditionProblems, isValidPath, meets, meetsAll, valueAt } from './conditions';

const event = {
  event_type: 'record.created',
  data: {
    client: { phone: '+79991234567', name: 'Ann' },
    services: [{ title: 'Cut', cost: 1500 }],
    status_id: 142,
    tags: ['vip'],
  },
};

describe('valueAt', () => {
  it('follows dotted paths and indices', () => {
    expect(valueAt(event, 'data.client.phone')).toBe('+79991234567');
    expect(valueAt(event, 'data.services[0].title')).toBe('Cut');
    expect(valueAt(event, 'data.services[3].title')).toBeUndefined();
    expect(valueAt(event, 'data.nothing.here')).toBeUndefined();
  });

  it('never walks into prototypes', () => {
    expect(valueAt(event, 'data.constructor')).toBeUndefined();
    expect(valueAt(event, 'data.__proto__')).toBeUndefined();
  });
});

describe('meets', () => {
  it.each([
    [{ path: 'data.status_id', op: 'eq', value: 142 }, true],
    [{ path: 'data.status_id', op: 'eq', value: '142' }, true],
    [{ path: 'data.status_id', op: 'eq', value: 143 }, false],
    [{ path: 'data.status_id', op: 'neq', value: 143 }, true],
    [{ path: 'data.status_id', op: 'in', value: [142, 143] }, true],
    [{ path: 'data.status_id', op: 'in', value: [1] }, false],
    [{ path: 'data.client.phone', op: 'exists' }, true],
    [{ path: 'data.client.email', op: 'exists' }, false],
    [{ path: 'data.client.email', op: 'exists', value: false }, true],
    [{ path: 'data.client.name', op: 'contains', value: 'An' }, true],
    [{ path: 'data.tags', op: 'contains', value: 'vip' }, true],
    [{ path: 'data.tags', op: 'contains', value: 'new' }, false],
    [{ path: 'data.missing', op: 'eq', value: null }, false],
  ] as const)('%j → %s', (condition, expected) => {
    expect(meets(event, { ...condition })).toBe(expected);
  });

  it('needs every condition', () => {
    expect(
      meetsAll(event, [
        { path: 'data.status_id', op: 'eq', value: 142 },
        { path: 'data.tags', op: 'contains', value: 'vip' },
      ]),
    ).toBe(true);
    expect(
      meetsAll(event, [
        { path: 'data.status_id', op: 'eq', value: 142 },
        { path: 'data.tags', op: 'contains', value: 'x' },
      ]),
    ).toBe(false);
    expect(meetsAll(event, [])).toBe(true);
  });
});

describe('validation', () => {
  it('accepts good paths and refuses bad ones', () => {
    expect(isValidPath('data.services[0].title')).toBe(true);
    expect(isValidPath('data..x')).toBe(false);
    expect(isValidPath('data.x y')).toBe(false);
    expect(isValidPath('')).toBe(false);
  });

  it('names the field of each problem', () => {
    expect(
      conditionProblems([
        { path: 'data..x', op: 'eq', value: 1 },
        { path: 'data.x', op: 'in', value: 1 },
        { path: 'data.x', op: 'eq' },
      ]),
    ).toEqual([
      { field: 'conditions[0].path', message: expect.any(String) },
      { field: 'conditions[1].value', message: 'the in operator needs an array value' },
      { field: 'conditions[2].value', message: 'the eq operator needs a value' },
    ]);
  });
});
