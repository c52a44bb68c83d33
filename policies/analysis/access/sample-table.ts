/**
 * The samples of one access matrix, each made once and shared by every cell that has it.
 *
 * Why: most samples repeat. A tenant's role against each dataset's bucket layer, or each outsider
 * against each tenant's storage, gives the same verdict with the same witnesses at the same
 * instants, cell after cell. Made afresh, the samples of a 1,007-tenant platform (705,000 of them,
 * with 1,050,000 witness references, each list with room for 17) held 262 MB of the matrix's
 * 395 MB, all of it copied by the young-generation collector before it reached the old one. Shared,
 * the matrix holds each distinct witness list, sample and list of samples once.
 *
 * Sharing is safe because nothing changes a sample once made: `Sample`, its witnesses and a cell's
 * samples are read-only to every reader (the comparison with the intent, the report, the diff).
 */
import type { Sample } from './cells';
import type { Tri, Witness } from './types';

/** A node of the trie of witness lists: one level per witness, by identity. */
interface Node {
  readonly next: Map<Witness, Node>;
  list?: readonly Witness[];
}

const EMPTY: readonly Witness[] = Object.freeze([]);

export class SampleTable {
  private readonly root: Node = { next: new Map() };
  /** Each shared witness list's number, for the samples' keys. */
  private readonly listIds = new Map<readonly Witness[], number>([[EMPTY, 0]]);
  private readonly samples = new Map<string, Sample>();
  /** Each shared sample's number, for the keys of lists of samples. */
  private readonly sampleIds = new Map<Sample, number>();
  private readonly lists = new Map<string, readonly Sample[]>();

  /** The witnesses of `a`, then those of `b`, as one shared list. */
  witnesses(a: readonly Witness[] | undefined, b?: readonly Witness[]): readonly Witness[] {
    if (!a?.length && !b?.length) return EMPTY;
    let n = this.root;
    for (const part of [a, b])
      if (part)
        for (const w of part) {
          let c = n.next.get(w);
          if (!c) n.next.set(w, (c = { next: new Map() }));
          n = c;
        }
    if (!n.list) {
      n.list = [...(a ?? []), ...(b ?? [])];
      this.listIds.set(n.list, this.listIds.size);
    }
    return n.list;
  }

  /** The sample at `at` with this verdict; `witnesses` must come from `witnesses()`. */
  sample(at: number, allowed: Tri, witnesses: readonly Witness[], reason: string | undefined): Sample {
    const list = this.listIds.get(witnesses);
    if (list === undefined) throw new Error('a sample’s witnesses must come from the same table');
    // the reason last: it is the only free text in the key
    const key = `${at} ${String(allowed)} ${list} ${reason === undefined ? '-' : `+${reason}`}`;
    let s = this.samples.get(key);
    if (!s) {
      s = { at, allowed, witnesses, reason };
      this.samples.set(key, s);
      this.sampleIds.set(s, this.sampleIds.size);
    }
    return s;
  }

  /** `samples` (each from `sample()`) as a shared list. */
  list(samples: readonly Sample[]): readonly Sample[] {
    let key = '';
    for (const s of samples) {
      const id = this.sampleIds.get(s);
      if (id === undefined) throw new Error('a list’s samples must come from the same table');
      key += `${id},`;
    }
    let l = this.lists.get(key);
    if (!l) this.lists.set(key, (l = [...samples]));
    return l;
  }
}
