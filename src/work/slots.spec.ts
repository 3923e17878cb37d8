import { Slots } from './slots';

/** A task that settles when told to, so the test waits for state, never for time. */
function gate(): { task: () => Promise<void>; open: () => void; started: boolean } {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  const g = {
    started: false,
    open: () => open(),
    task: async () => {
      g.started = true;
      await done;
    },
  };
  return g;
}

describe('Slots', () => {
  it('runs at most `size` tasks at once, the others in the order they asked', async () => {
    const slots = new Slots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g) => slots.run(g.task));
    await Promise.resolve();
    expect(gates.map((g) => g.started)).toEqual([true, true, false, false]);
    expect(slots.running).toBe(2);
    gates[1].open();
    await runs[1];
    await new Promise(setImmediate);
    expect(gates.map((g) => g.started)).toEqual([true, true, true, false]);
    expect(slots.running).toBe(2);
    gates.forEach((g) => g.open());
    await Promise.all(runs);
    expect(gates.every((g) => g.started)).toBe(true);
    expect(slots.running).toBe(0);
  });

  it('frees the slot of a task that throws', async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(() => Promise.resolve(7))).resolves.toBe(7);
    expect(slots.running).toBe(0);
  });
});
