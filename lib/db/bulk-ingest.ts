import type { RejectedRowInfo } from "../csv/parse-schema-csv";
import type { DataSchema } from "../schema/types";
import { inIngestTransaction, type IngestTx } from "./ingest-store";
import { KeptColumns } from "./kept-columns";
import type { ParsedRows } from "./parsed-rows";
import { hashKey, KeySet } from "./row-keys";
import { canonicalStoredSchemaJson } from "./stored-schema";
import { observedValues } from "../schema/columns";
import { medianOfSortedChunks } from "../stats/sorted-chunks";
import { emptyState, nextState, snapshotStats, stateFromColumns, stateFromSnapshot, type TrainingSetState } from "./training-state";

/*
 * The bulk write path of ingestion, the same on both databases (the statements are behind
 * lib/db/ingest-store.ts): one file = one write transaction. Valid rows arrive in file order as
 * chunks of columns with their keys hashed (lib/db/parsed-rows.ts, from the CSV reader, which may
 * parse the file's pieces on other threads: lib/ingestion/csv-pieces.ts); each row's key hash is
 * checked against the key hashes of every stored file and of the file so far, held in memory
 * (lib/db/row-keys.ts) — the
 * first occurrence of a duplicate is kept — and the kept rows are gathered as columns
 * (lib/db/kept-columns.ts). At the end the file is written once: DatasetColumns (record ids,
 * labels, times, ids, key hashes), a ColumnBlob per feature, the dictionary entries it added, the
 * quarantined rows, its ledger counts and a DataSnapshot. No statement per row.
 *
 * Mean imputation needs the mean of the training set *including this file's present values*,
 * known only at the end of the file: the running state kept on the newest snapshot, merged with
 * this file's, gives it, and the blobs are written with the empty cells at that mean. The
 * snapshot's medians are exact: the observed values of each numeric feature, kept sorted in
 * memory between the files a process ingests (read once from the columns otherwise).
 */

export type TrainingRole = "source" | "upload";

export interface BulkIngestResult {
  datasetId: number;
  rowsRead: number;
  rowsAccepted: number;
  duplicates: number;
  rejected: number;
  imputed: number;
}

/** Where a file's reader hands its rows, in file order: pieces (each with its own level codes) of chunks of valid rows, and the rejected rows. */
export interface RowSink {
  startPiece(): void;
  rows(p: ParsedRows): void;
  rejected(r: RejectedRowInfo): void;
}

export interface FileSummary {
  rowsRead: number;
  missingByColumn: Record<string, number>;
  ignoredColumns: string[];
}

export interface IngestMeta {
  name: string;
  sha256: string;
  role: TrainingRole;
  runId?: number | null;
}

/**
 * Ingest one file with `schema`. `read` streams the file into the sink (and throws, rolling
 * everything back, on a file that cannot be used). Returns null when a file with the same sha256
 * is already in the ledger (checked inside the transaction, so two concurrent ingestions of one
 * file add it once). The first ingestion also stores the schema (StoredSchema), in the same transaction.
 */
export async function bulkIngestFile(databaseUrl: string, schema: DataSchema, meta: IngestMeta, read: (sink: RowSink) => Promise<FileSummary>): Promise<BulkIngestResult | null> {
  const previous = caches.get(databaseUrl);
  caches.delete(databaseUrl); // taken: a failed or concurrent ingestion cannot leave it half-updated
  let next: IngestCache | undefined;
  const result = await inIngestTransaction(databaseUrl, async (tx) => {
    if (await tx.hasTrainingFile(meta.sha256)) return null;
    await tx.storeSchema(canonicalStoredSchemaJson(schema));
    const stored = await tx.recordCount();
    const state = await currentState(tx, schema, stored.rows);
    const datasetId = await tx.createDataset({ name: meta.name, sha256: meta.sha256, role: meta.role, runId: meta.runId ?? null });
    const schemaJson = canonicalStoredSchemaJson(schema);
    const cache = previous?.maxId === stored.maxId && previous.schemaJson === schemaJson ? previous : await freshCache(tx, schema, stored);
    const kept = new KeptColumns(schema, state, dictionariesOf(await tx.levels()), cache.keys);
    const rejected: RejectedRowInfo[] = [];
    const summary = await read({ startPiece: () => kept.startPiece(), rows: (p) => kept.addRows(p), rejected: (r) => void rejected.push(r) });
    await tx.insertRejected(datasetId, rejected);

    const means = kept.means(state);
    const blobs = kept.finish(means, stored.maxId + 1);
    if (blobs.rows > 0) await tx.writeBlobs(datasetId, blobs);
    const state2 = nextState(schema, state, kept.delta(), means);
    await tx.updateDataset(datasetId, {
      rowsRead: summary.rowsRead,
      rowsAccepted: blobs.rows,
      duplicates: kept.valid - blobs.rows,
      rejected: rejected.length,
      imputed: kept.imputedRows,
      imputedByColumn: JSON.stringify(kept.emptyCounts()),
      missingByColumn: JSON.stringify(summary.missingByColumn),
      ignoredColumns: JSON.stringify(summary.ignoredColumns),
    });
    const sorted = withChunks(cache.sorted, kept.observedSorted());
    await tx.insertSnapshot(datasetId, state2.rows, JSON.stringify(snapshotStats(schema, Object.fromEntries(Object.entries(sorted).map(([f, chunks]) => [f, medianOfSortedChunks(chunks)])), state2)), JSON.stringify(state2));
    next = { schemaJson, maxId: blobs.rows > 0 ? blobs.lastId : stored.maxId, keys: cache.keys, sorted };
    return { datasetId, rowsRead: summary.rowsRead, rowsAccepted: blobs.rows, duplicates: kept.valid - blobs.rows, rejected: rejected.length, imputed: kept.imputedRows };
  });
  if (next) caches.set(databaseUrl, next);
  return result;
}

/**
 * What one process keeps between the files it ingests into a database (a folder of files, the
 * replay): the key set and each numeric feature's observed values, sorted (for the snapshot's
 * exact medians). Valid while the stored records end at `maxId` — read again inside the write
 * lock, so another process's ingestion in between makes it stale and it is rebuilt. Dropped when
 * an ingestion fails (its rows may be in the set).
 */
interface IngestCache {
  schemaJson: string;
  maxId: number;
  keys: KeySet;
  /** per numeric feature, the stored observed values as ascending chunks (one per file ingested since the cache was built) */
  sorted: Record<string, Float64Array[]>;
}

const caches = new Map<string, IngestCache>();

async function freshCache(tx: IngestTx, schema: DataSchema, stored: { rows: number; maxId: number }): Promise<IngestCache> {
  const keys = await storedKeys(tx, stored.rows);
  const sorted: Record<string, Float64Array[]> = {};
  if (stored.rows > 0) {
    const cols = await tx.readColumns(schema);
    for (const f of schema.features) if (f.type === "numeric") sorted[f.name] = [Float64Array.from(observedValues(cols, f.name)).sort()];
  }
  return { schemaJson: canonicalStoredSchemaJson(schema), maxId: stored.maxId, keys, sorted };
}

/** Per feature the sorted chunks with the new file's added (new lists: the cache's stay as they were until the commit). */
function withChunks(a: Readonly<Record<string, Float64Array[]>>, b: Readonly<Record<string, Float64Array>>): Record<string, Float64Array[]> {
  const out: Record<string, Float64Array[]> = {};
  for (const f of Object.keys(b)) out[f] = b[f].length ? [...(a[f] ?? []), b[f]] : [...(a[f] ?? [])];
  return out;
}

/** The stored dictionaries: feature → level → code. */
function dictionariesOf(rows: readonly [string, number, string][]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [column, code, value] of rows) {
    let d = out.get(column);
    if (!d) out.set(column, (d = new Map()));
    d.set(value, Number(code));
  }
  return out;
}

/**
 * The key hashes of every stored file, in one set. A file stored before the hashes existed
 * (legacyKeys: its row keys as text) gets them now, once, inside this transaction.
 */
async function storedKeys(tx: IngestTx, rows: number): Promise<KeySet> {
  const set = new KeySet(rows + 1024);
  const hash = new Uint32Array(2);
  for (const f of await tx.keyBlobs()) {
    if (f.keys) {
      set.addBlob(f.keys);
      continue;
    }
    const keys = f.legacyKeys ? f.legacyKeys.split("\n") : [];
    const words = new Uint32Array(keys.length * 2);
    keys.forEach((k, i) => {
      hashKey(k, hash);
      words[2 * i] = hash[0];
      words[2 * i + 1] = hash[1];
      set.add(hash[0], hash[1]);
    });
    await tx.setKeys(f.datasetId, Buffer.from(words.buffer));
  }
  return set;
}

/**
 * The running state after the newest snapshot — or, when there is none with a state for these
 * records (a database from before the state existed), computed once from the stored columns.
 */
async function currentState(tx: IngestTx, schema: DataSchema, rows: number): Promise<TrainingSetState> {
  return stateFromSnapshot(schema, rows, await tx.lastSnapshot()) ?? (rows === 0 ? emptyState(schema) : stateFromColumns(schema, await tx.readColumns(schema)));
}
