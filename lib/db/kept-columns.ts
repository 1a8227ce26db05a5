import { MISSING_LEVEL, type DataSchema } from "../schema/types";
import { MomentsAccumulator } from "../stats/running-moments";
import type { ParsedRows } from "./parsed-rows";
import type { KeySet } from "./row-keys";
import type { StateDelta, TrainingSetState } from "./training-state";

/*
 * One file's ingestion as columns (lib/db/bulk-ingest.ts): every valid row is tallied for the
 * imputation means (present values' sums and counts, empty cells per feature); a row whose key
 * hash is new to the key set (stored files and this file so far) is kept, its values gathered as
 * growing typed arrays — numeric values, categorical codes through the dictionaries kept across
 * files, labels, times, ids, key hashes — in file order. At the end the empty numeric cells get
 * the imputation mean: the file's DatasetColumns and ColumnBlob rows.
 */

class Growable<T extends Float64Array | Uint32Array | Uint8Array> {
  n = 0;
  constructor(public a: T) {}

  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new (this.a.constructor as { new (n: number): T })(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }

  view(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

const INITIAL = 1024;

export interface FileBlobs {
  rows: number;
  firstId: number;
  lastId: number;
  positives: number;
  label: Buffer;
  time: Buffer | null;
  ids: Buffer | null;
  keys: Buffer;
  columns: { column: string; values: Buffer; missing: Buffer }[];
  /** dictionary entries this file added */
  newLevels: { column: string; code: number; value: string }[];
}

type NumericSink = { type: "numeric"; name: string; values: Growable<Float64Array>; missing: Growable<Uint8Array>; kept: MomentsAccumulator; keptMissing: number; presentSum: number; presentCount: number; emptyCount: number };
type CategoricalSink = {
  type: "categorical";
  name: string;
  codes: Growable<Uint32Array>;
  dictionary: Map<string, number>;
  added: string[];
  emptyCount: number;
  /** the current piece's levels by its own code (ParsedRows) */
  pieceLevels: string[];
  /** the current piece's code → the stored dictionary's code (undefined until a kept row has it) */
  pieceCodes: number[];
  /** the current piece's code of "(missing)", -1 while it has none */
  pieceMissing: number;
};
type FeatureSink = NumericSink | CategoricalSink;

const bytes = (a: Float64Array | Uint32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

export class KeptColumns {
  private readonly labels = new Growable(new Uint8Array(INITIAL));
  private readonly times: Growable<Float64Array> | null;
  private readonly keys = new Growable(new Uint32Array(INITIAL));
  private readonly ids: string[] | null;
  private readonly sinks: FeatureSink[];
  private keptOnes = 0;
  /** valid rows read */
  valid = 0;
  /** kept rows with at least one empty feature cell */
  imputedRows = 0;

  /** `dictionaries`: per categorical feature the stored level → code; `keySet`: the stored files' key hashes (both read inside the file's transaction). */
  constructor(
    schema: DataSchema,
    state: TrainingSetState,
    dictionaries: ReadonlyMap<string, ReadonlyMap<string, number>>,
    private readonly keySet: KeySet,
  ) {
    this.times = schema.time ? new Growable(new Float64Array(INITIAL)) : null;
    this.ids = schema.id ? [] : null;
    this.sinks = schema.features.map((f): FeatureSink => {
      if (f.type === "numeric") {
        const o = state.observed[f.name];
        return { type: "numeric", name: f.name, values: new Growable(new Float64Array(INITIAL)), missing: new Growable(new Uint8Array(INITIAL)), kept: new MomentsAccumulator(o.n > 0 ? o.mean : null), keptMissing: 0, presentSum: 0, presentCount: 0, emptyCount: 0 };
      }
      return { type: "categorical", name: f.name, codes: new Growable(new Uint32Array(INITIAL)), dictionary: new Map(dictionaries.get(f.name) ?? []), added: [], emptyCount: 0, pieceLevels: [], pieceCodes: [], pieceMissing: -1 };
    });
  }

  get rows(): number {
    return this.labels.n;
  }

  /** Starts the rows of another piece of the file: chunk codes are the new piece's own from here on (ParsedRows). */
  startPiece(): void {
    for (const s of this.sinks) {
      if (s.type !== "categorical") continue;
      s.pieceLevels = [];
      s.pieceCodes = [];
      s.pieceMissing = -1;
    }
  }

  /**
   * A chunk of valid rows, in file order: each row tallied (duplicates too: the imputation mean is
   * over the file's present values), kept when its key hash is new.
   */
  addRows(p: ParsedRows): void {
    const ids = p.ids === null ? null : p.ids.split("\0");
    for (let j = 0; j < this.sinks.length; j++) {
      const s = this.sinks[j];
      if (s.type !== "categorical") continue;
      for (const level of p.newLevels[j] ?? []) {
        if (level === MISSING_LEVEL) s.pieceMissing = s.pieceLevels.length;
        s.pieceLevels.push(level);
      }
    }
    for (let i = 0; i < p.n; i++) {
      this.valid++;
      this.tally(p, i);
      if (!this.keySet.add(p.keys[2 * i], p.keys[2 * i + 1])) continue;
      this.keys.push(p.keys[2 * i]);
      this.keys.push(p.keys[2 * i + 1]);
      this.labels.push(p.labels[i]);
      this.keptOnes += p.labels[i];
      if (p.times) this.times?.push(p.times[i]);
      if (ids) this.ids?.push(ids[i]);
      this.keep(p, i);
    }
  }

  private tally(p: ParsedRows, i: number): void {
    for (let j = 0; j < this.sinks.length; j++) {
      const s = this.sinks[j];
      const v = p.values[j][i];
      if (s.type === "categorical") {
        if (v === s.pieceMissing) s.emptyCount++;
      } else if (v !== v) s.emptyCount++;
      else {
        s.presentSum += v;
        s.presentCount++;
      }
    }
  }

  private keep(p: ParsedRows, i: number): void {
    let anyEmpty = false;
    for (let j = 0; j < this.sinks.length; j++) {
      const s = this.sinks[j];
      const v = p.values[j][i];
      if (s.type === "categorical") {
        if (v === s.pieceMissing) anyEmpty = true;
        s.codes.push(s.pieceCodes[v] ?? (s.pieceCodes[v] = codeOf(s, s.pieceLevels[v])));
      } else if (v !== v) {
        anyEmpty = true;
        s.values.push(0);
        s.missing.push(1);
        s.keptMissing++;
      } else {
        s.values.push(v);
        s.missing.push(0);
        s.kept.add(v);
      }
    }
    if (anyEmpty) this.imputedRows++;
  }

  /** The observed (not empty) values of each numeric feature among the kept rows, sorted ascending. */
  observedSorted(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    for (const s of this.sinks) {
      if (s.type !== "numeric") continue;
      const values = s.values.view();
      const missing = s.missing.view();
      const observed = new Float64Array(values.length - s.keptMissing);
      let j = 0;
      for (let i = 0; i < values.length; i++) if (!missing[i]) observed[j++] = values[i];
      out[s.name] = observed.sort();
    }
    return out;
  }

  /** Empty cells per feature among the file's valid rows (the ledger's imputedByColumn). */
  emptyCounts(): Record<string, number> {
    return Object.fromEntries(this.sinks.map((s) => [s.name, s.emptyCount]));
  }

  /** The imputation value per numeric feature: the training set's mean including this file's present values. */
  means(state: TrainingSetState): Record<string, number> {
    const means: Record<string, number> = {};
    for (const s of this.sinks) {
      if (s.type !== "numeric") continue;
      const n = state.rows + s.presentCount;
      means[s.name] = n > 0 ? (state.sumAll[s.name] + s.presentSum) / n : 0;
    }
    return means;
  }

  /** What the kept rows add to the training set's state. */
  delta(): StateDelta {
    const d: StateDelta = { rows: this.rows, labelOnes: this.keptOnes, observed: {}, sums: {}, imputed: {}, levels: {} };
    for (const s of this.sinks) {
      if (s.type === "numeric") {
        d.observed[s.name] = s.kept.moments();
        d.sums[s.name] = s.kept.sum;
        d.imputed[s.name] = s.keptMissing;
        continue;
      }
      const counts = new Float64Array(s.dictionary.size);
      for (let i = 0; i < s.codes.n; i++) counts[s.codes.a[i]]++;
      const levels = new Map<string, number>();
      for (const [level, code] of s.dictionary) if (counts[code] > 0) levels.set(level, counts[code]);
      d.levels[s.name] = levels;
      d.imputed[s.name] = levels.get(MISSING_LEVEL) ?? 0;
    }
    return d;
  }

  /** The kept rows as blobs, record ids from `firstId` on, empty numeric cells at `means`. */
  finish(means: Record<string, number>, firstId: number): FileBlobs {
    const n = this.rows;
    const columns = this.sinks.map((s) => {
      if (s.type === "categorical") return { column: s.name, values: bytes(s.codes.view()), missing: bytes(missingOfCodes(s.codes.view(), s.dictionary.get(MISSING_LEVEL))) };
      const values = s.values.view();
      const missing = s.missing.view();
      for (let i = 0; i < n; i++) if (missing[i]) values[i] = means[s.name];
      return { column: s.name, values: bytes(values), missing: s.keptMissing > 0 ? bytes(missing) : Buffer.alloc(0) };
    });
    return {
      rows: n,
      firstId,
      lastId: firstId + n - 1,
      positives: this.keptOnes,
      label: bytes(this.labels.view()),
      // a file without the time column stores no time blob (its rows are about when it arrived)
      time: this.times && anyTime(this.times.view()) ? bytes(this.times.view()) : null,
      ids: this.ids ? encodeIds(this.ids) : null,
      keys: bytes(this.keys.view()),
      columns,
      newLevels: this.sinks.flatMap((s) => (s.type === "categorical" ? s.added.map((value) => ({ column: s.name, code: s.dictionary.get(value)!, value })) : [])),
    };
  }
}

function codeOf(s: CategoricalSink, level: string): number {
  let code = s.dictionary.get(level);
  if (code === undefined) {
    code = s.dictionary.size;
    s.dictionary.set(level, code);
    s.added.push(level);
  }
  return code;
}

/** The missing map of a categorical column: its rows at the "(missing)" level (empty when none). */
function missingOfCodes(codes: Uint32Array, missingCode: number | undefined): Uint8Array {
  if (missingCode === undefined) return new Uint8Array(0);
  const out = new Uint8Array(codes.length);
  let any = false;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] !== missingCode) continue;
    out[i] = 1;
    any = true;
  }
  return any ? out : new Uint8Array(0);
}

/** Ids as stored: UTF-8, each followed by a NUL byte (a CSV cell cannot hold NUL: the reader refuses such files). */
function encodeIds(ids: readonly string[]): Buffer {
  return Buffer.from(ids.length ? `${ids.join("\0")}\0` : "", "utf8");
}

export function decodeIds(blob: Uint8Array): string[] {
  const text = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString("utf8");
  return text === "" ? [] : text.slice(0, -1).split("\0");
}

function anyTime(times: Float64Array): boolean {
  for (let i = 0; i < times.length; i++) if (!Number.isNaN(times[i])) return true;
  return false;
}
