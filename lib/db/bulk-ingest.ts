import type Database from "better-sqlite3";
import type { RejectedRowInfo, StreamedRow } from "../csv/parse-client-csv";
import { FEATURES, LABEL, type Feature } from "../domain";
import { EMPTY_MOMENTS, mergeMoments, MomentsAccumulator, sampleSd, type Moments } from "../stats/running-moments";
import type { ColumnSummary } from "../stats/summary";
import { medianInPlace } from "../stats/median-select";
import { observedValues, readColumnsOnSqlite, type TrainingColumns } from "./columns";
import { isPostgres } from "./adapters";
import { bulkIngestFilePg } from "./bulk-ingest-pg";
import { inWriteTransaction, sqliteConnection } from "./sqlite";

/*
 * The bulk write path of ingestion: one file = one BEGIN IMMEDIATE … COMMIT on the plain
 * better-sqlite3 connection (lib/db/sqlite.ts says why it bypasses Prisma). Rows arrive from
 * the streaming CSV reader and go out in prepared 100-row `INSERT … ON CONFLICT(rowKey) DO
 * NOTHING` statements; the unique index on rowKey does the dedupe (within the file and against
 * everything stored) and `changes` counts what was kept. Nothing is held per row in memory.
 *
 * Mean imputation needs the mean of the training set *including this file's present values*,
 * which is known only at the end of the file: an empty cell is stored as 0 with its column in
 * `imputedColumns`, and one UPDATE over this file's imputed rows sets the mean before COMMIT.
 * The stored part of that mean and the statistics of the DataSnapshot come from the running
 * state kept on the newest snapshot, merged with the moments of the rows this file added (the
 * INSERT's RETURNING hands back exactly the rows kept); the medians by selection over the
 * column blobs (lib/db/columns.ts), never from one row per record.
 *
 * On PostgreSQL the same steps run in lib/db/bulk-ingest-pg.ts (COPY into a staging table, then
 * one INSERT … ON CONFLICT DO NOTHING RETURNING); the bookkeeping below is shared.
 */

export type TrainingRole = "source" | "upload";

/** Running state of the training set, stored as JSON on each DataSnapshot (`state`). */
export interface TrainingSetState {
  /** stored records */
  rows: number;
  /** per feature: sum over every stored value, imputed ones included (the stored part of the imputation mean) */
  sumAll: Record<Feature, number>;
  /** per feature: moments of the observed (not imputed) values */
  observed: Record<Feature, Moments>;
  /** per feature: stored cells that were empty in their file */
  imputed: Record<Feature, number>;
  /** label: count of 1s */
  exitedOnes: number;
}

export interface BulkIngestResult {
  datasetId: number;
  rowsRead: number;
  rowsAccepted: number;
  duplicates: number;
  rejected: number;
  imputed: number;
}

/** The dedupe key of a row: the five values as read (empty cells stay empty), so imputation cannot hide a duplicate. */
export function rowKey(r: StreamedRow): string {
  return JSON.stringify([r.corporation, r.lastmonth_activity, r.lastyear_activity, r.number_of_employees, r.exited]);
}

/** A file's imputation accounting (both databases' bulk paths): present values' sums and counts, empty cells per feature. */
export class ImputationTally {
  readonly presentSum: Record<Feature, number> = { lastmonth_activity: 0, lastyear_activity: 0, number_of_employees: 0 };
  readonly presentCount: Record<Feature, number> = { lastmonth_activity: 0, lastyear_activity: 0, number_of_employees: 0 };
  readonly emptyCount: Record<Feature, number> = { lastmonth_activity: 0, lastyear_activity: 0, number_of_employees: 0 };

  /** Count one valid row's cells; returns the comma list of its empty features (to be imputed). */
  add(r: StreamedRow): string {
    let imputed = "";
    for (const f of FEATURES) {
      const v = r[f];
      if (v === null) {
        this.emptyCount[f]++;
        imputed = imputed ? `${imputed},${f}` : f;
      } else {
        this.presentSum[f] += v;
        this.presentCount[f]++;
      }
    }
    return imputed;
  }

  /** The training-set mean per feature, the imputation value: stored records plus this file's present values. */
  means(state: TrainingSetState): Record<Feature, number> {
    const means = {} as Record<Feature, number>;
    for (const f of FEATURES) {
      const n = state.rows + this.presentCount[f];
      means[f] = n > 0 ? (state.sumAll[f] + this.presentSum[f]) / n : 0;
    }
    return means;
  }
}

export interface RowSink {
  row(r: StreamedRow): void;
  rejected(r: RejectedRowInfo): void;
}

export interface FileSummary {
  rowsRead: number;
  missingByColumn: Record<string, number>;
}

const BATCH = 100;
export const COLS = { lastmonth_activity: "lastmonthActivity", lastyear_activity: "lastyearActivity", number_of_employees: "numberOfEmployees" } as const;
/** Prisma's text format for DateTime on SQLite, so rows written here read back as Dates. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

/**
 * Ingest one file. `read` streams the file into the sink (and throws, rolling everything back,
 * on a file that cannot be used). Returns null when a file with the same sha256 is already in
 * the ledger (checked inside the transaction, so two concurrent ingestions of one file add it once).
 */
export async function bulkIngestFile(
  databaseUrl: string,
  meta: { name: string; sha256: string; role: TrainingRole; runId?: number | null },
  read: (sink: RowSink) => Promise<FileSummary>,
): Promise<BulkIngestResult | null> {
  if (isPostgres(databaseUrl)) return bulkIngestFilePg(databaseUrl, meta, read);
  const db = sqliteConnection(databaseUrl);
  return inWriteTransaction(db, async () => {
    const existing = db.prepare(`SELECT id FROM "Dataset" WHERE sha256 = ? AND role IN ('source','upload') LIMIT 1`).get(meta.sha256);
    if (existing) return null;
    const state = currentState(db);
    const datasetId = Number(
      db
        .prepare(
          `INSERT INTO "Dataset" (name, sha256, role, rowsRead, rowsAccepted, duplicates, rejected, imputed, ingestedAt, ingestedByRunId) VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?, ?)`,
        )
        .run(meta.name, meta.sha256, meta.role, sqliteNow(), meta.runId ?? null).lastInsertRowid,
    );

    const statements = new Map<number, Database.Statement>();
    const insertMany = (n: number) => {
      let s = statements.get(n);
      if (!s) {
        s = db.prepare(
          `INSERT INTO "Record" (datasetId, rowKey, corporation, lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputedColumns) VALUES ` +
            Array(n).fill("(?, ?, ?, ?, ?, ?, ?, ?)").join(", ") +
            // RETURNING gives the rows actually kept (not the duplicates): their moments are summed as they come.
            ` ON CONFLICT(rowKey) DO NOTHING RETURNING lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputedColumns, id`,
        ).raw();
        statements.set(n, s);
      }
      return s;
    };
    const insertRejected = db.prepare(`INSERT INTO "RejectedRow" (datasetId, rowNumber, "column", problem, raw, createdAt) VALUES (?, ?, ?, ?, ?, ?)`);
    const createdAt = sqliteNow();

    const buf: unknown[] = [];
    let valid = 0;
    let rejected = 0;
    const tally = new ImputationTally();
    const keptRows = new KeptRows(state);
    const flush = () => {
      const n = buf.length / 8;
      if (n === 0) return;
      for (const r of insertMany(n).all(buf) as [number, number, number, number, string, number][]) keptRows.add(r[0], r[1], r[2], r[3], r[4], r[5]);
      buf.length = 0;
    };

    const summary = await read({
      row(r) {
        valid++;
        const imputed = tally.add(r);
        buf.push(datasetId, rowKey(r), r.corporation, r.lastmonth_activity ?? 0, r.lastyear_activity ?? 0, r.number_of_employees ?? 0, r.exited, imputed);
        if (buf.length === BATCH * 8) flush();
      },
      rejected(r) {
        rejected++;
        insertRejected.run(datasetId, r.row, r.column, r.problem, JSON.stringify(r.raw), createdAt);
      },
    });
    flush();

    const means = tally.means(state);
    for (const f of FEATURES) {
      if (tally.emptyCount[f] > 0) {
        db.prepare(`UPDATE "Record" SET "${COLS[f]}" = ? WHERE datasetId = ? AND instr(imputedColumns, ?) > 0`).run(means[f], datasetId, f);
      }
    }
    const { inserted, imputedRows } = keptRows;
    if (inserted > 0) {
      const c = keptRows.columns.finish(means);
      db.prepare(
        `INSERT INTO "DatasetColumns" (datasetId, rows, firstId, lastId, lastmonthActivity, lastyearActivity, numberOfEmployees, exited, imputed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(datasetId, c.rows, c.firstId, c.lastId, ...c.blobs);
    }

    const next = keptRows.nextState(state, means);
    db.prepare(
      `UPDATE "Dataset" SET rowsRead = ?, rowsAccepted = ?, duplicates = ?, rejected = ?, imputed = ?, imputedByColumn = ?, missingByColumn = ? WHERE id = ?`,
    ).run(summary.rowsRead, inserted, valid - inserted, rejected, imputedRows, JSON.stringify(tally.emptyCount), JSON.stringify(summary.missingByColumn), datasetId);
    db.prepare(`INSERT INTO "DataSnapshot" (datasetId, rows, stats, state, createdAt) VALUES (?, ?, ?, ?, ?)`).run(
      datasetId,
      next.rows,
      JSON.stringify(snapshotStats(featureMedians(readColumnsOnSqlite(db)), next)),
      JSON.stringify(next),
      sqliteNow(),
    );
    return { datasetId, rowsRead: summary.rowsRead, rowsAccepted: inserted, duplicates: valid - inserted, rejected, imputed: imputedRows };
  });
}

/**
 * The kept rows of a file, gathered as columns while they are inserted (in growing typed
 * arrays), then put in id order with the imputed cells set to the imputation mean: the
 * DatasetColumns row of the file.
 */
class KeptColumns {
  private n = 0;
  private ids = new Float64Array(1024);
  private x = [new Float64Array(1024), new Float64Array(1024), new Float64Array(1024)];
  private exited = new Uint8Array(1024);
  private imputed = new Uint8Array(1024);

  push(id: number, x0: number, x1: number, x2: number, exited: number, imputedMask: number): void {
    if (this.n === this.ids.length) {
      const grow = <T extends Float64Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(a.length * 2);
        b.set(a);
        return b;
      };
      this.ids = grow(this.ids);
      this.x = this.x.map(grow);
      this.exited = grow(this.exited);
      this.imputed = grow(this.imputed);
    }
    const i = this.n++;
    this.ids[i] = id;
    this.x[0][i] = x0;
    this.x[1][i] = x1;
    this.x[2][i] = x2;
    this.exited[i] = exited;
    this.imputed[i] = imputedMask;
  }

  finish(means: Record<Feature, number>): { rows: number; firstId: number; lastId: number; blobs: Buffer[] } {
    const n = this.n;
    // RETURNING's order is not promised: sort by id when it is not already.
    let order: number[] | null = null;
    for (let i = 1; i < n; i++) {
      if (this.ids[i] < this.ids[i - 1]) {
        order = Array.from({ length: n }, (_, k) => k).sort((a, b) => this.ids[a] - this.ids[b]);
        break;
      }
    }
    const pick = <T extends Float64Array | Uint8Array>(a: T): T => {
      if (!order) return a.subarray(0, n) as T;
      const b = new (a.constructor as { new (n: number): T })(n);
      order.forEach((k, i) => (b[i] = a[k]));
      return b;
    };
    const ids = pick(this.ids);
    const x = this.x.map(pick);
    const imputed = pick(this.imputed);
    for (let i = 0; i < n; i++) {
      if (imputed[i] === 0) continue;
      FEATURES.forEach((f, j) => {
        if (imputed[i] & (1 << j)) x[j][i] = means[f];
      });
    }
    const bytes = (a: Float64Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    return { rows: n, firstId: ids[0], lastId: ids[n - 1], blobs: [...x.map(bytes), bytes(pick(this.exited)), bytes(imputed)] };
  }
}

/**
 * The rows a file kept (the RETURNING of its insert: duplicates are not returned), taken as they
 * come: moments of the observed values (shifted by the stored mean, or the first value), imputed
 * cells per column, exits, and the columns of the file's DatasetColumns row.
 */
export class KeptRows {
  inserted = 0;
  imputedRows = 0;
  private keptOnes = 0;
  private readonly keptImputed = [0, 0, 0];
  private readonly kept: MomentsAccumulator[];
  readonly columns = new KeptColumns();

  constructor(state: TrainingSetState) {
    this.kept = FEATURES.map((f) => new MomentsAccumulator(state.observed[f].n > 0 ? state.observed[f].mean : null));
  }

  add(x0: number, x1: number, x2: number, exited: number, imputedColumns: string, id: number): void {
    this.inserted++;
    this.keptOnes += exited;
    let mask = 0;
    if (imputedColumns === "") {
      this.kept[0].add(x0);
      this.kept[1].add(x1);
      this.kept[2].add(x2);
    } else {
      this.imputedRows++;
      const xs = [x0, x1, x2];
      for (let j = 0; j < 3; j++) {
        if (imputedColumns.includes(FEATURES[j])) {
          this.keptImputed[j]++;
          mask |= 1 << j;
        } else this.kept[j].add(xs[j]);
      }
    }
    this.columns.push(id, x0, x1, x2, exited, mask);
  }

  /** The training set's state after the file: `state` plus these rows, imputed cells at `means`. */
  nextState(state: TrainingSetState, means: Record<Feature, number>): TrainingSetState {
    const next: TrainingSetState = structuredClone(state);
    next.rows += this.inserted;
    next.exitedOnes += this.keptOnes;
    FEATURES.forEach((f, j) => {
      next.sumAll[f] += this.kept[j].sum + this.keptImputed[j] * means[f];
      next.imputed[f] += this.keptImputed[j];
      next.observed[f] = mergeMoments(state.observed[f], this.kept[j].moments());
    });
    return next;
  }
}

export function emptyState(): TrainingSetState {
  const per = <T>(v: () => T) => Object.fromEntries(FEATURES.map((f) => [f, v()])) as Record<Feature, T>;
  return { rows: 0, sumAll: per(() => 0), observed: per(() => ({ ...EMPTY_MOMENTS })), imputed: per(() => 0), exitedOnes: 0 };
}

/**
 * The running state after the newest snapshot — or, when there is none with a state (a database
 * from before the state existed, or records without a snapshot), computed once from the records.
 */
function currentState(db: Database.Database): TrainingSetState {
  const rows = db.prepare(`SELECT count(*) FROM "Record"`).pluck().get() as number;
  const last = db.prepare(`SELECT rows, state FROM "DataSnapshot" ORDER BY id DESC LIMIT 1`).get() as { rows: number; state: string | null } | undefined;
  return stateFromSnapshot(rows, last) ?? (rows === 0 ? emptyState() : stateFromRecords(db));
}

/** The newest snapshot's state when it describes the `rows` stored records, else null. */
export function stateFromSnapshot(rows: number, last: { rows: number; state: string | null } | undefined): TrainingSetState | null {
  if (!last?.state || last.rows !== rows) return null;
  const s = JSON.parse(last.state) as TrainingSetState;
  // JSON has no Infinity: an empty column's min/max come back null.
  for (const f of FEATURES) if (s.observed[f].n === 0) s.observed[f] = { ...EMPTY_MOMENTS };
  return s;
}

/**
 * The running state computed from every stored record, in one SQL pass (a database whose
 * snapshots carry no state yet). Sums of deviations from the column means `c` give
 * M2 = Σ(x − c)² − n·(mean − c)² without the cancellation of plain sums of squares.
 */
function stateFromRecords(db: Database.Database): TrainingSetState {
  const q = stateQueries("sqlite");
  const c = db.prepare(q.centres).raw().get() as number[];
  return stateOf(c, db.prepare(q.sums).raw().get(...c.flatMap((v) => [v, v, v])) as number[]);
}

/** The two queries of stateFromRecords: the column means, then the sums around them (placeholders: ? or $n). */
export function stateQueries(dialect: "sqlite" | "postgresql"): { centres: string; sums: string } {
  const col = (f: Feature) => `"${COLS[f]}"`;
  const observed = (f: Feature) => (dialect === "sqlite" ? `instr("imputedColumns", '${f}') = 0` : `strpos("imputedColumns", '${f}') = 0`);
  let k = 0;
  const p = () => (dialect === "sqlite" ? "?" : `$${++k}::float8`);
  return {
    centres: `SELECT ${FEATURES.map((f) => `coalesce(avg(${col(f)}), 0)`).join(", ")} FROM "Record"`,
    sums:
      `SELECT count(*), coalesce(sum("exited"), 0), ` +
      FEATURES.map(
        (f) =>
          `coalesce(sum(${col(f)}), 0), coalesce(sum(CASE WHEN ${observed(f)} THEN 1 ELSE 0 END), 0), ` +
          `coalesce(sum(CASE WHEN ${observed(f)} THEN ${col(f)} - ${p()} END), 0), coalesce(sum(CASE WHEN ${observed(f)} THEN (${col(f)} - ${p()}) * (${col(f)} - ${p()}) END), 0), ` +
          `min(CASE WHEN ${observed(f)} THEN ${col(f)} END), max(CASE WHEN ${observed(f)} THEN ${col(f)} END)`,
      ).join(", ") +
      ` FROM "Record"`,
  };
}

/** The running state from the column means `c` and the row of stateQueries().sums. */
export function stateOf(c: number[], r: number[]): TrainingSetState {
  const state = emptyState();
  const total = r[0];
  state.rows = total;
  state.exitedOnes = r[1];
  FEATURES.forEach((f, j) => {
    const [sumAll, n, sumDev, sumSqDev, min, max] = r.slice(2 + 6 * j, 8 + 6 * j);
    state.sumAll[f] = sumAll;
    state.imputed[f] = total - n;
    if (n === 0) return;
    const meanDev = sumDev / n;
    state.observed[f] = { n, mean: c[j] + meanDev, m2: Math.max(0, sumSqDev - n * meanDev * meanDev), min, max };
  });
  return state;
}

/** Per-column statistics of a DataSnapshot (the shape /api/summarystats uses), from the running state. */
export function snapshotStats(medians: Record<Feature, number | null>, s: TrainingSetState): Record<Feature | typeof LABEL, ColumnSummary> {
  const out = {} as Record<Feature | typeof LABEL, ColumnSummary>;
  for (const f of FEATURES) {
    const m = s.observed[f];
    out[f] = {
      mean: m.n > 0 ? m.mean : null,
      median: medians[f],
      std: sampleSd(m),
      min: m.n > 0 ? m.min : null,
      max: m.n > 0 ? m.max : null,
      missing: s.rows > 0 ? s.imputed[f] / s.rows : 0,
    };
  }
  const n = s.rows;
  const p = n > 0 ? s.exitedOnes / n : 0;
  out[LABEL] = {
    mean: n > 0 ? p : null,
    median: n === 0 ? null : 2 * s.exitedOnes > n ? 1 : 2 * s.exitedOnes === n ? 0.5 : 0,
    // sample SD of a 0/1 column: sqrt(n·p·(1−p) / (n − 1))
    std: n > 1 ? Math.sqrt((n * p * (1 - p)) / (n - 1)) : null,
    min: n > 0 ? (s.exitedOnes === n ? 1 : 0) : null,
    max: n > 0 ? (s.exitedOnes > 0 ? 1 : 0) : null,
    missing: 0,
  };
  return out;
}

/** Exact medians of the observed feature values, from columns read for this alone (the selection may reorder its arrays; this file's included: same transaction). */
export function featureMedians(cols: TrainingColumns): Record<Feature, number | null> {
  const values = {} as Record<Feature, number | null>;
  for (const f of FEATURES) values[f] = medianInPlace(observedValues(cols, f));
  return values;
}
