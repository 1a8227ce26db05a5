import { describe, expect, it } from "vitest";
import { hashKey, KeySet } from "./row-keys";

describe("row-key hashes", () => {
  it("finds no collision among 10^7 distinct row keys (the chance of one is about n²/2⁶⁵ ≈ 2.7·10⁻⁶)", () => {
    const n = 10_000_000;
    const set = new KeySet(n);
    const h = new Uint32Array(2);
    let collisions = 0;
    for (let i = 0; i < n; i++) {
      // keys shaped as the readers build them: the cells in schema order, JSON (ids, numbers, levels, label)
      hashKey(`["c${i.toString(36)}",${i % 997},${(i * 7919) % 100003},"r${i % 13}",${i & 1}]`, h);
      if (!set.add(h[0], h[1])) collisions++;
    }
    expect(collisions).toBe(0);
    expect(set.size).toBe(n);
  });

  it("a key seen before is a duplicate; (0, 0) is stored like any other hash", () => {
    const set = new KeySet(2);
    const h = new Uint32Array(2);
    hashKey('["a",1,0]', h);
    expect(set.add(h[0], h[1])).toBe(true);
    expect(set.add(h[0], h[1])).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    // grows past its first capacity and keeps every member
    for (let i = 0; i < 1000; i++) set.add(i, i * 3 + 1);
    for (let i = 0; i < 1000; i++) expect(set.add(i, i * 3 + 1)).toBe(false);
  });

  it("adds a stored key blob (two Uint32 per row, as DatasetColumns.keys holds them)", () => {
    const set = new KeySet();
    const words = Uint32Array.of(1, 2, 3, 4, 1, 2);
    set.addBlob(new Uint8Array(words.buffer));
    expect(set.size).toBe(2);
    expect(set.add(3, 4)).toBe(false);
  });
});
