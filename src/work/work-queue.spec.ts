import { groupIntoJobs, groupJobId, itemJobId } from './work-queue';
import { idsOfJob } from './work-kind';

const now = 1_795_000_000_000;
const item = (id: string, run = 1, dueAt: Date | null = null) => ({ id, run, dueAt });

describe('groupIntoJobs', () => {
  it('puts runs due now together, whatever time their rows say, at most idsPerJob per job', () => {
    const items = [
      item('a', 1, null),
      item('b', 1, new Date(now - 5_000)),
      item('c', 1, new Date(now)),
      item('d', 1, null),
      item('e', 1, null),
    ];
    const jobs = groupIntoJobs(items, 2, now);
    expect(jobs.map((j) => j.map((i) => i.id))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('keeps runs due at other moments in jobs of their own', () => {
    const later = new Date(now + 1_000);
    const jobs = groupIntoJobs([item('a'), item('b', 2, later), item('c'), item('d', 3, later)], 50, now);
    expect(jobs.map((j) => j.map((i) => i.id))).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });

  it('answers no job for no run, and one run per job at idsPerJob 1', () => {
    expect(groupIntoJobs([], 10, now)).toEqual([]);
    expect(groupIntoJobs([item('a'), item('b')], 1, now)).toHaveLength(2);
  });
});

describe('groupJobId', () => {
  it('gives one run the id of that run, as a job queued before several ids per job had it', () => {
    expect(itemJobId({ id: 'dlv_1', run: 2 })).toBe('dlv_1:2');
    expect(groupJobId([{ id: 'dlv_1', run: 2 }])).toBe('dlv_1:2');
    expect(groupJobId([{ id: 'dlv_1', run: 2 }], 'sweep9')).toBe('dlv_1:2:sweep9');
  });

  it('gives the same group the same id and another group another one', () => {
    const group = [
      { id: 'a', run: 1 },
      { id: 'b', run: 1 },
    ];
    expect(groupJobId(group)).toBe(groupJobId([...group]));
    expect(groupJobId(group)).toMatch(/^a:1\+[0-9a-f]{16}$/);
    expect(groupJobId(group)).not.toBe(groupJobId([group[0], { id: 'b', run: 2 }]));
    expect(groupJobId(group)).not.toBe(groupJobId([...group, { id: 'c', run: 1 }]));
    expect(groupJobId(group, 'sweep1')).not.toBe(groupJobId(group, 'sweep2'));
  });
});

describe('idsOfJob', () => {
  it('reads the ids of a job, and the one id of a job in the old single-id shape', () => {
    expect(idsOfJob({ ids: ['a', 'b'] }, 'deliveryId')).toEqual(['a', 'b']);
    expect(idsOfJob({ deliveryId: 'dlv_1' }, 'deliveryId')).toEqual(['dlv_1']);
    expect(idsOfJob({ notificationId: 'ntf_1' }, 'notificationId')).toEqual(['ntf_1']);
  });

  it('answers no id for a job that holds none', () => {
    expect(idsOfJob({ deliveryId: 'dlv_1' }, 'inboundEventId')).toEqual([]);
    expect(idsOfJob(null, 'deliveryId')).toEqual([]);
    expect(idsOfJob({ ids: [1, 'a'] }, 'deliveryId')).toEqual(['a']);
  });
});
