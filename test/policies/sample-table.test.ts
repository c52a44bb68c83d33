import { SampleTable } from '../../policies/analysis/access/sample-table';
import type { Witness } from '../../policies/analysis/access/types';

const w = (index: number): Witness => ({ file: 'a.json', resource: 'aws:S/R', policy: 'P', index });

describe('the samples shared by the cells of a matrix', () => {
  const [w0, w1, w2] = [w(0), w(1), w(2)];

  it('gives one list for the same witnesses, in order, whichever parts they come in', () => {
    const t = new SampleTable();
    const ab = t.witnesses([w0, w1]);
    expect(t.witnesses([w0], [w1])).toBe(ab);
    expect(t.witnesses(undefined, [w0, w1])).toBe(ab);
    expect(ab).toEqual([w0, w1]);
    // the order and the objects count: an equal witness that is another object is another witness
    expect(t.witnesses([w1, w0])).not.toBe(ab);
    expect(t.witnesses([w0, w(1)])).not.toBe(ab);
    expect(t.witnesses([w0])).not.toBe(ab);
    expect(t.witnesses(undefined, undefined)).toEqual([]);
    expect(t.witnesses([], [])).toBe(t.witnesses(undefined));
  });

  it('gives one sample for the same instant, verdict, witnesses and reason, and another for any change', () => {
    const t = new SampleTable();
    const ws = t.witnesses([w2]);
    const s = t.sample(10, true, ws, undefined);
    expect(t.sample(10, true, t.witnesses([w2]), undefined)).toBe(s);
    expect(s).toEqual({ at: 10, allowed: true, witnesses: [w2], reason: undefined });
    for (const other of [
      t.sample(11, true, ws, undefined),
      t.sample(10, false, ws, undefined),
      t.sample(10, 'undecided', ws, undefined),
      t.sample(10, true, t.witnesses([w1]), undefined),
      t.sample(10, true, ws, ''),
      t.sample(10, true, ws, '-'),
    ])
      expect(other).not.toBe(s);
    // a reason is free text: one that looks like the rest of a key is still its own
    expect(t.sample(10, 'undecided', ws, 'a b')).not.toBe(t.sample(10, 'undecided', ws, 'a  b'));
  });

  it('gives one list of samples for the same samples in the same order', () => {
    const t = new SampleTable();
    const a = t.sample(1, true, t.witnesses([w0]), undefined);
    const b = t.sample(2, false, t.witnesses(undefined), undefined);
    const ab = t.list([a, b]);
    expect(t.list([a, b])).toBe(ab);
    expect(ab).toEqual([a, b]);
    expect(t.list([b, a])).not.toBe(ab);
    expect(t.list([a])).not.toBe(ab);
    // the list is a copy: the caller's array may change afterwards
    const mine = [a];
    const shared = t.list(mine);
    mine.push(b);
    expect(shared).toEqual([a]);
  });

  it('refuses witnesses and samples made by another table', () => {
    const t = new SampleTable();
    const other = new SampleTable();
    expect(() => t.sample(1, true, other.witnesses([w0]), undefined)).toThrow(/same table/);
    expect(() => t.sample(1, true, [w0], undefined)).toThrow(/same table/);
    expect(() => t.list([other.sample(1, true, other.witnesses([w0]), undefined)])).toThrow(/same table/);
  });
});
