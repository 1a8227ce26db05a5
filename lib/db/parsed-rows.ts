import type { SchemaRow } from "../csv/parse-schema-csv";
import { MISSING_LEVEL, type DataSchema } from "../schema/types";
import { hashKey } from "./row-keys";

/*
 * Valid rows of a training file as columns, the form in which a file's pieces travel from the
 * threads that parse them (lib/ingestion/csv-pieces.ts) to the one that dedupes and stores them
 * (lib/db/kept-columns.ts): typed arrays (moved between threads, not copied), the row keys
 * already hashed, categorical cells as codes of the piece's own dictionary (its levels in order of
 * first appearance; the storing thread maps them to the stored dictionary's codes).
 */

export interface ParsedRows {
  n: number;
  /** the row keys' 64-bit hashes (lib/db/row-keys.ts hashKey of SchemaRow.key): hi, lo per row */
  keys: Uint32Array;
  /** 0 or 1 per row (rows without a label in play: 0) */
  labels: Uint8Array;
  /** epoch ms per row; null when the schema has no time column */
  times: Float64Array | null;
  /** the ids joined, each followed by NUL (a CSV cell cannot hold one); null when the schema has no id */
  ids: string | null;
  /** per schema feature, in schema order: numeric values (NaN = empty cell) or codes of the piece's dictionary */
  values: (Float64Array | Uint32Array)[];
  /** per categorical feature (by schema index), the levels this chunk added to the piece's dictionary, in code order */
  newLevels: Record<number, string[]>;
}

/** Gathers a piece's valid rows (SchemaRow, from the CSV reader) into ParsedRows chunks of `chunkRows` rows. */
export class RowsCollector {
  private readonly categorical: boolean[];
  private readonly dictionaries: Map<string, number>[];
  private readonly hash = new Uint32Array(2);
  private chunk!: ParsedRows;
  private ids: string[] = [];

  constructor(
    private readonly schema: DataSchema,
    private readonly chunkRows: number,
    private readonly emit: (rows: ParsedRows) => void,
  ) {
    this.categorical = schema.features.map((f) => f.type === "categorical");
    this.dictionaries = schema.features.map(() => new Map());
    this.start();
  }

  private start(): void {
    const m = this.chunkRows;
    this.chunk = {
      n: 0,
      keys: new Uint32Array(2 * m),
      labels: new Uint8Array(m),
      times: this.schema.time ? new Float64Array(m) : null,
      ids: null,
      values: this.categorical.map((c) => (c ? new Uint32Array(m) : new Float64Array(m))),
      newLevels: {},
    };
    this.ids = [];
  }

  add(r: SchemaRow): void {
    const c = this.chunk;
    const i = c.n++;
    hashKey(r.key, this.hash);
    c.keys[2 * i] = this.hash[0];
    c.keys[2 * i + 1] = this.hash[1];
    c.labels[i] = r.label ?? 0;
    if (c.times) c.times[i] = r.time ?? NaN;
    if (this.schema.id) this.ids.push(r.id ?? "");
    for (let j = 0; j < r.values.length; j++) {
      const v = r.values[j];
      if (this.categorical[j]) c.values[j][i] = this.codeOf(j, v === null ? MISSING_LEVEL : (v as string));
      else c.values[j][i] = v === null ? NaN : (v as number);
    }
    if (c.n === this.chunkRows) this.flush();
  }

  /** Hands over the rows gathered since the last chunk (nothing when there are none). */
  flush(): void {
    const c = this.chunk;
    if (c.n === 0) return;
    const n = c.n;
    const cut = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, width = 1): T => (n === this.chunkRows ? a : (a.slice(0, width * n) as T));
    this.emit({
      n,
      keys: cut(c.keys, 2),
      labels: cut(c.labels),
      times: c.times ? cut(c.times) : null,
      ids: this.schema.id ? `${this.ids.join("\0")}\0` : null,
      values: c.values.map((a) => cut(a)),
      newLevels: c.newLevels,
    });
    this.start();
  }

  private codeOf(j: number, level: string): number {
    const d = this.dictionaries[j];
    let code = d.get(level);
    if (code === undefined) {
      code = d.size;
      d.set(level, code);
      (this.chunk.newLevels[j] ??= []).push(level);
    }
    return code;
  }
}

/** Every array buffer of a chunk (to move it to another thread). */
export function buffersOf(rows: ParsedRows): ArrayBuffer[] {
  return [rows.keys, rows.labels, ...(rows.times ? [rows.times] : []), ...rows.values].map((a) => a.buffer as ArrayBuffer);
}
