import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { FEATURES, type Feature } from "../domain";
import type { RejectedRowInfo } from "../csv/parse-client-csv";
import {
  COLS,
  emptyState,
  featureMedians,
  ImputationTally,
  KeptRows,
  rowKey,
  snapshotStats,
  stateFromSnapshot,
  stateOf,
  stateQueries,
  type BulkIngestResult,
  type FileSummary,
  type RowSink,
  type TrainingRole,
  type TrainingSetState,
} from "./bulk-ingest";
import { readColumnsOnPg } from "./columns";
import { inPgTransaction } from "./postgres";

/*
 * The PostgreSQL twin of bulkIngestFile (lib/db/bulk-ingest.ts), with the same guarantees: one
 * file = one transaction (all of it or none of it), the unique rowKey does the dedupe (within
 * the file and against everything stored, first occurrence kept), empty cells are imputed with
 * the training-set mean before COMMIT, rejected rows go to RejectedRow, and the same DataSnapshot
 * state and DatasetColumns blobs are written.
 *
 *  1. A transaction-scoped advisory lock: ingestions take turns across every process on the
 *     database (SQLite's BEGIN IMMEDIATE), so the ledger check and the running state are exact.
 *  2. The rows stream from the CSV reader into `COPY stage FROM STDIN` (text format), a temp
 *     table dropped at commit. Rejected rows wait in memory (the connection is busy copying).
 *  3. `COPY (INSERT INTO "Record" … SELECT … FROM stage ORDER BY seq ON CONFLICT DO NOTHING
 *     RETURNING …) TO STDOUT` keeps the new rows and streams back exactly the kept ones, whose
 *     moments and columns are gathered as on SQLite. The whole file is in the staging table by
 *     then, so the imputation mean is known and the INSERT writes it into the empty cells (SQLite
 *     stores 0 and UPDATEs the file's imputed rows at the end: the same values, one pass fewer).
 */

/** The advisory lock key of ingestion (any constant the app uses for nothing else). */
const INGEST_LOCK_KEY = 727_002;
const REJECTED_BATCH = 500;

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v;
}

/** Undo copyText on one field of COPY TO's output. */
function unCopyText(v: string): string {
  return v.includes("\\") ? v.replace(/\\(.)/g, (_, c: string) => (c === "t" ? "\t" : c === "n" ? "\n" : c === "r" ? "\r" : c)) : v;
}

export async function bulkIngestFilePg(
  databaseUrl: string,
  meta: { name: string; sha256: string; role: TrainingRole; runId?: number | null },
  read: (sink: RowSink) => Promise<FileSummary>,
): Promise<BulkIngestResult | null> {
  return inPgTransaction(databaseUrl, async (c) => {
    await c.query(`SELECT pg_advisory_xact_lock(${INGEST_LOCK_KEY})`);
    // The staging sort (ORDER BY seq) in memory rather than in temp files.
    await c.query(`SET LOCAL work_mem = '64MB'`);
    const existing = await c.query(`SELECT id FROM "Dataset" WHERE sha256 = $1 AND role IN ('source','upload') LIMIT 1`, [meta.sha256]);
    if (existing.rowCount) return null;
    const state = await currentState(c);
    // Prisma keeps DateTime as UTC in `timestamp(3)`: an ISO string cast to timestamp drops the Z and keeps the UTC wall time.
    const now = new Date().toISOString();
    const datasetId = Number(
      (
        await c.query(
          `INSERT INTO "Dataset" (name, sha256, role, "rowsRead", "rowsAccepted", duplicates, rejected, imputed, "ingestedAt", "ingestedByRunId") VALUES ($1, $2, $3, 0, 0, 0, 0, 0, $4, $5) RETURNING id`,
          [meta.name, meta.sha256, meta.role, now, meta.runId ?? null],
        )
      ).rows[0].id,
    );

    const tally = new ImputationTally();
    const { summary, valid, rejectedRows } = await copyIntoStage(c, tally, read);
    const means = tally.means(state);
    const keptRows = await insertFromStage(c, { datasetId, state, means, emptyCount: tally.emptyCount });
    await insertRejectedRows(c, datasetId, rejectedRows, now);

    const { inserted, imputedRows } = keptRows;
    if (inserted > 0) {
      const cols = keptRows.columns.finish(means);
      await c.query(
        `INSERT INTO "DatasetColumns" ("datasetId", rows, "firstId", "lastId", "lastmonthActivity", "lastyearActivity", "numberOfEmployees", exited, imputed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [datasetId, cols.rows, cols.firstId, cols.lastId, ...cols.blobs],
      );
    }

    const next = keptRows.nextState(state, means);
    const rejected = rejectedRows.length;
    await c.query(
      `UPDATE "Dataset" SET "rowsRead" = $1, "rowsAccepted" = $2, duplicates = $3, rejected = $4, imputed = $5, "imputedByColumn" = $6, "missingByColumn" = $7 WHERE id = $8`,
      [summary.rowsRead, inserted, valid - inserted, rejected, imputedRows, JSON.stringify(tally.emptyCount), JSON.stringify(summary.missingByColumn), datasetId],
    );
    const medians = featureMedians(await readColumnsOnPg(c));
    await c.query(`INSERT INTO "DataSnapshot" ("datasetId", rows, stats, state, "createdAt") VALUES ($1, $2, $3, $4, $5)`, [
      datasetId,
      next.rows,
      JSON.stringify(snapshotStats(medians, next)),
      JSON.stringify(next),
      now,
    ]);
    return { datasetId, rowsRead: summary.rowsRead, rowsAccepted: inserted, duplicates: valid - inserted, rejected, imputed: imputedRows };
  });
}

/** The running state after the newest snapshot, or computed once from the records (see bulk-ingest.ts). */
async function currentState(c: pg.ClientBase): Promise<TrainingSetState> {
  const rows = Number((await c.query(`SELECT count(*) AS n FROM "Record"`)).rows[0].n);
  const last = (await c.query<{ rows: number; state: string | null }>(`SELECT rows, state FROM "DataSnapshot" ORDER BY id DESC LIMIT 1`)).rows[0];
  const s = stateFromSnapshot(rows, last);
  if (s) return s;
  if (rows === 0) return emptyState();
  const q = stateQueries("postgresql");
  const centres = (await c.query<number[]>({ text: q.centres, rowMode: "array" })).rows[0].map(Number);
  const sums = (await c.query<number[]>({ text: q.sums, values: centres.flatMap((v) => [v, v, v]), rowMode: "array" })).rows[0];
  return stateOf(centres, sums.map((v) => (v === null ? (null as unknown as number) : Number(v))));
}

/** Stream the file's valid rows into a temporary staging table with COPY (its rejected rows are kept in memory). */
async function copyIntoStage(
  c: pg.ClientBase,
  tally: ImputationTally,
  read: (sink: RowSink) => Promise<FileSummary>,
): Promise<{ summary: FileSummary; valid: number; rejectedRows: RejectedRowInfo[] }> {
  await c.query(
    `CREATE TEMP TABLE stage (seq int, "rowKey" text, corporation text, "lastmonthActivity" float8, "lastyearActivity" float8, "numberOfEmployees" float8, exited int, "imputedColumns" text) ON COMMIT DROP`,
  );
  let valid = 0;
  const rejectedRows: RejectedRowInfo[] = [];

  const copy = c.query(copyFrom(`COPY stage FROM STDIN`));
  const copied = new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
  });
  let chunk = "";
  const summary = await read({
    row(r) {
      valid++;
      const imputed = tally.add(r);
      chunk += `${valid}\t${copyText(rowKey(r))}\t${copyText(r.corporation)}\t${r.lastmonth_activity ?? 0}\t${r.lastyear_activity ?? 0}\t${r.number_of_employees ?? 0}\t${r.exited}\t${imputed}\n`;
      if (chunk.length >= 1 << 16) {
        copy.write(chunk);
        chunk = "";
      }
    },
    rejected(r) {
      rejectedRows.push(r);
    },
  }).catch(async (e) => {
    copy.destroy(e as Error); // ends the COPY with an error: the transaction rolls back
    await copied.catch(() => undefined);
    throw e;
  });
  copy.end(chunk);
  await copied;
  return { summary, valid, rejectedRows };
}

/**
 * Insert the staged rows in file order (the first of duplicates wins), imputed cells set to the
 * means, and take the kept rows as INSERT … RETURNING streams them back.
 */
async function insertFromStage(
  c: pg.ClientBase,
  { datasetId, state, means, emptyCount }: { datasetId: number; state: TrainingSetState; means: Record<Feature, number>; emptyCount: Record<Feature, number> },
): Promise<KeptRows> {
  // An imputed cell gets the mean (a float8 literal: JS prints the shortest string that reads back as the same double).
  const value = (f: (typeof FEATURES)[number]) =>
    emptyCount[f] > 0 ? `CASE WHEN strpos("imputedColumns", '${f}') > 0 THEN ${means[f]}::float8 ELSE "${COLS[f]}" END` : `"${COLS[f]}"`;

  const keptRows = new KeptRows(state);
  const out = c.query(
    copyTo(
      `COPY (INSERT INTO "Record" ("datasetId", "rowKey", corporation, "lastmonthActivity", "lastyearActivity", "numberOfEmployees", exited, "imputedColumns") ` +
        `SELECT ${datasetId}, "rowKey", corporation, ${FEATURES.map(value).join(", ")}, exited, "imputedColumns" FROM stage ORDER BY seq ` +
        `ON CONFLICT ("rowKey") DO NOTHING RETURNING "lastmonthActivity", "lastyearActivity", "numberOfEmployees", exited, "imputedColumns", id) TO STDOUT`,
    ),
  );
  let rest = "";
  const take = (line: string) => {
    const t = line.split("\t");
    keptRows.add(Number(t[0]), Number(t[1]), Number(t[2]), Number(t[3]), unCopyText(t[4]), Number(t[5]));
  };
  await new Promise<void>((resolve, reject) => {
    out.setEncoding("utf8");
    out.on("data", (d: string) => {
      const lines = (rest + d).split("\n");
      rest = lines.pop()!;
      for (const line of lines) take(line);
    });
    out.on("end", () => {
      if (rest) take(rest);
      resolve();
    });
    out.on("error", reject);
  });
  return keptRows;
}

async function insertRejectedRows(c: pg.ClientBase, datasetId: number, rejectedRows: readonly RejectedRowInfo[], now: string): Promise<void> {
  for (let i = 0; i < rejectedRows.length; i += REJECTED_BATCH) {
    const batch = rejectedRows.slice(i, i + REJECTED_BATCH);
    const values: unknown[] = [];
    const tuples = batch.map((r) => {
      values.push(datasetId, r.row, r.column, r.problem, JSON.stringify(r.raw), now);
      const k = values.length;
      return `($${k - 5}, $${k - 4}, $${k - 3}, $${k - 2}, $${k - 1}, $${k})`;
    });
    await c.query(`INSERT INTO "RejectedRow" ("datasetId", "rowNumber", "column", problem, raw, "createdAt") VALUES ${tuples.join(", ")}`, values);
  }
}
