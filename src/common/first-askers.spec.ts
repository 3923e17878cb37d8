import { toFirstAskers } from './first-askers';

describe('toFirstAskers', () => {
  const idOf = (row: { id: string }): string => row.id;

  it('answers each asker its row, in the askers’ order', () => {
    const rows = [{ id: 'b' }, { id: 'a' }];
    expect(toFirstAskers(['a', 'b'], rows, idOf)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('gives a run asked for twice to the first asker only', () => {
    expect(toFirstAskers(['a', 'a', 'b', 'a'], [{ id: 'a' }], idOf)).toEqual([{ id: 'a' }, null, null, null]);
  });

  it('answers null for ids no row came back for', () => {
    expect(toFirstAskers(['a', 'b'], [], idOf)).toEqual([null, null]);
  });
});
