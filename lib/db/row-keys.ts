/*
 * Deduplication of training rows by a 64-bit hash of their row key (the row's cells in schema
 * order as read, lib/csv/parse-schema-csv.ts), held in memory: the stored keys of every file are
 * one blob per file (DatasetColumns.keys, two Uint32 per row), loaded into an open-addressing hash
 * set inside the ingestion's write lock, and each new row is checked there — no per-row index probe
 * in the database (../shared/notes/bulk-path.md: a B-tree insert of a random key costs ~3 µs a row,
 * most of an ingestion).
 *
 * A hash trades exactness for speed: two distinct rows with the same 64-bit hash would be counted
 * as one (the second "duplicate"). For n keys the chance of any collision is about n²/2⁶⁵:
 * 3·10⁻⁸ at 10⁶ rows, 3·10⁻⁶ at 10⁷. row-keys.test.ts hashes 10⁷ distinct keys and counts 0
 * collisions.
 */

/**
 * 64-bit hash of a string, as two 32-bit halves: cyrb53's two multiplicative lanes (Math.imul
 * with odd constants, mixed at the end), kept to 64 bits. Writes [hi, lo] into `out`.
 * Cost: O(length). Not cryptographic (rows are the user's own data).
 */
export function hashKey(s: string, out: Uint32Array): void {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  out[0] = a >>> 0;
  out[1] = b >>> 0;
}

/** An open-addressing set of 64-bit hashes (linear probing, load ≤ 1/2; (0, 0) marks an empty slot and is stored as (0, 1)). */
export class KeySet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Add (hi, lo); false when it was there already. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.size + 1) * 2 > this.hi.length) this.grow();
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i];
      const l = this.lo[i];
      if (h === 0 && l === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.size++;
        return true;
      }
      if (h === hi && l === lo) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** Add every (hi, lo) pair of a stored key blob (two Uint32 per row). */
  addBlob(blob: Uint8Array): void {
    const words = new Uint32Array(blob.byteLength / 4);
    new Uint8Array(words.buffer).set(blob);
    for (let k = 0; k < words.length; k += 2) this.add(words[k], words[k + 1]);
  }

  private grow(): void {
    const hi = this.hi;
    const lo = this.lo;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.mask = this.hi.length - 1;
    this.size = 0;
    for (let k = 0; k < hi.length; k++) if (hi[k] !== 0 || lo[k] !== 0) this.add(hi[k], lo[k]);
  }
}
