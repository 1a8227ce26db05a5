import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateBenchData, generateFreshCsv, HEADER } from "./bench-data";

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "bench-data-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const lines = (file: string) => fs.readFileSync(file, "utf8").trimEnd().split("\n");

describe("bench data (scripts/bench-data.ts)", () => {
  it("is deterministic: the same seed writes the same bytes, another seed other rows", async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    const small = { rows: 2000, testRows: 500, newRows: 1000 };
    await generateBenchData(a, small);
    await generateBenchData(b, small);
    await generateBenchData(c, { ...small, seed: 7 });
    for (const f of ["source/part-00.csv", "source/part-09.csv", "test.csv", "new.csv"]) {
      expect(fs.readFileSync(path.join(a, f))).toEqual(fs.readFileSync(path.join(b, f)));
      expect(fs.readFileSync(path.join(a, f))).not.toEqual(fs.readFileSync(path.join(c, f)));
    }
  });

  it("writes 10 files of N/10 rows with 5 % duplicates of rows of other files and ~1 % empty feature cells", async () => {
    const dir = tmp();
    const m = await generateBenchData(dir, { rows: 20_000 });
    const firstFile = new Map<string, number>();
    let rows = 0;
    let dups = 0;
    let empty = 0;
    for (let f = 0; f < 10; f++) {
      const [head, ...body] = lines(path.join(dir, "source", `part-0${f}.csv`));
      expect(head).toBe(HEADER);
      expect(body).toHaveLength(2000);
      for (const l of body) {
        rows++;
        const c = l.split(",");
        expect(c).toHaveLength(5);
        expect(["0", "1"]).toContain(c[4]);
        empty += c.slice(1, 4).filter((x) => x === "").length;
        const seen = firstFile.get(l);
        if (seen === undefined) firstFile.set(l, f);
        else {
          dups++;
          expect(seen).not.toBe(f); // a duplicate repeats a row of ANOTHER file
        }
      }
    }
    expect(rows).toBe(20_000);
    expect(firstFile.size).toBe(19_000);
    expect(m.distinctSourceRows).toBe(19_000);
    expect(dups).toBe(1000);
    expect(empty).toBe(m.emptyFeatureCells);
    expect(empty / (rows * 3)).toBeGreaterThan(0.007);
    expect(empty / (rows * 3)).toBeLessThan(0.013);

    const test = lines(m.testFile).slice(1);
    expect(test).toHaveLength(20_000);
    expect(test.some((l) => l.split(",").includes(""))).toBe(false);
    const rate = test.filter((l) => l.endsWith(",1")).length / test.length;
    expect(rate).toBeGreaterThan(0.4);
    expect(rate).toBeLessThan(0.52);

    const fresh = path.join(dir, "fresh.csv");
    await generateFreshCsv(fresh, 5000);
    const freshRows = lines(fresh).slice(1);
    expect(new Set(freshRows).size).toBe(5000);
    expect(freshRows.some((l) => firstFile.has(l))).toBe(false);
    expect(lines(m.newFile)).toHaveLength(100_001);
  });

  it("refuses a row count that does not split into 10 files", async () => {
    await expect(generateBenchData(tmp(), { rows: 2005 })).rejects.toThrow(/multiple of 10/);
  });
});
