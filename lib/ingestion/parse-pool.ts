import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { malformedRecord, noDataRows } from "../csv/csv-text";
import type { LabelMode } from "../csv/parse-schema-csv";
import type { FileSummary, RowSink } from "../db/bulk-ingest";
import { AppError } from "../errors";
import type { DataSchema } from "../schema/types";
import { CHUNK_ROWS, parsePiece, sent, type CsvSource, type PieceMessage, type PieceTask, type PreparedSource, type SentError } from "./csv-pieces";

/*
 * Parsing a training file's pieces (lib/ingestion/csv-pieces.ts) side by side on worker threads
 * while the ingesting thread dedupes and stores what they hand over, in file order. On these
 * 2-core machines the parse of a row (splitting, number checks, the row key and its hash) is most
 * of an ingestion's work; the storing thread's share is a hash-set probe and a few array writes.
 *
 * Settings (read at each file, so tests can set them): INGEST_THREADS, the parse threads (default:
 * the cores, at most 2; 0 parses in the ingesting thread), and INGEST_PARALLEL_MIN_BYTES (default
 * 1 MiB): a smaller file is parsed in the ingesting thread (a thread's start costs more than it
 * saves). The threads are started on first use and kept, unreferenced while idle, so they neither
 * keep a process alive nor cost a start per file.
 */

function parseThreads(): number {
  return setting("INGEST_THREADS") ?? Math.min(2, os.availableParallelism());
}

function parallelMinBytes(): number {
  return setting("INGEST_PARALLEL_MIN_BYTES") ?? 1 << 20;
}

/** A whole number ≥ 0 from the environment; undefined when unset or not one. */
function setting(name: string): number | undefined {
  const text = process.env[name]?.trim();
  const n = Number(text);
  return text && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** A file's parse, started (its first pieces may already be on the pool) and read once. */
export interface FileParse {
  /**
   * Hand the file's valid rows and rejected rows to `sink` in file order. Throws the AppError the
   * file deserves, as a reader of the whole file would: a file that is not UTF-8 text or has
   * broken CSV syntax first (wherever it is), then the first header or field-count problem, then
   * a file without data rows.
   */
  read(sink: RowSink): Promise<FileSummary>;
  /** The parse will not be read: its pieces not yet started are dropped. */
  cancel(): void;
}

/**
 * Start parsing a prepared file: its pieces on the pool when it is large enough (so a folder's
 * next file can be parsed while this one is stored), else in the reading thread when read.
 */
export function startParse(source: CsvSource, prepared: PreparedSource, schema: DataSchema, label: LabelMode): FileParse {
  const taskSource: PieceTask["source"] = "path" in source ? { path: source.path } : { bytes: source.content };
  const tasks = prepared.pieces.map((range, k): PieceTask => {
    const task: PieceTask = { source: taskSource, range, midFile: k > 0, header: k === 0 ? null : prepared.header, quoted: prepared.quoted, schema, label, chunkRows: CHUNK_ROWS };
    // An upload's piece travels alone (a worker gets a copy of the bytes it is sent).
    return "bytes" in taskSource ? { ...task, source: { bytes: taskSource.bytes.subarray(range.start, range.end) }, range: { ...range, start: 0, end: range.end - range.start } } : task;
  });
  const threads = parseThreads();
  // An upload (bytes in memory) is parsed in the reading thread: in the server its job thread
  // already holds the bytes, and two parse threads' heaps beside them took a 1M-row upload past
  // the 1 GiB the server may use (npm run bench: 1,064 MB against 939 MB in-thread).
  if (threads === 0 || "content" in source || prepared.size < parallelMinBytes()) {
    return {
      read: async (sink) => {
        const file = new FileReading(sink);
        for (const task of tasks) {
          file.startPiece();
          await parsePiece(task, (m) => file.take(m));
        }
        return file.finish();
      },
      cancel: () => undefined,
    };
  }
  const run = pool(threads).start(tasks);
  return {
    read: async (sink) => {
      const file = new FileReading(sink);
      await run.read(
        () => file.startPiece(),
        (m) => file.take(m),
      );
      return file.finish();
    },
    cancel: () => run.cancel(),
  };
}

/** The file's side of its pieces' messages: rows to the sink while no error is known, the counts summed, the errors ranked. */
class FileReading {
  /** lines of the pieces read so far: a piece numbers its rows from 1 */
  private linesBefore = 0;
  private rowsRead = 0;
  private emptyCounts: number[] = [];
  private inPlay: string[] = [];
  private ignoredColumns: string[] = [];
  private failed: SentError | null = null;
  private held: SentError | null = null;

  constructor(private readonly sink: RowSink) {}

  startPiece(): void {
    this.sink.startPiece();
  }

  take(m: PieceMessage): void {
    if (m.type === "failed") {
      this.failed ??= m.error;
      return;
    }
    if (this.failed || this.held) return; // the file will be refused: its rows are not needed
    if (m.type === "rows") {
      if (m.rows) this.sink.rows(m.rows);
      for (const r of m.rejected) this.sink.rejected({ ...r, row: r.row + this.linesBefore });
      return;
    }
    if (m.held) {
      this.held = this.shifted(m.held);
      return;
    }
    this.linesBefore += m.lines;
    this.rowsRead += m.rowsRead;
    if (this.inPlay.length === 0) [this.inPlay, this.ignoredColumns] = [m.inPlay, m.ignoredColumns];
    m.emptyCounts.forEach((n, c) => (this.emptyCounts[c] = (this.emptyCounts[c] ?? 0) + n));
  }

  /** A piece's held-back problem with the file's line: a field-count problem names its record's line; a header problem is line 1 of any piece. */
  private shifted(e: SentError): SentError {
    const d = e.details?.[0];
    if (e.code !== "bad_request:csv" || d?.row === undefined) return e;
    return sent(malformedRecord(d.row + this.linesBefore, d.problem));
  }

  finish(): FileSummary {
    const e = this.failed ?? this.held;
    if (e) throw new AppError(e.code, e.message, e.details);
    if (this.rowsRead === 0) throw noDataRows(this.inPlay.length > 0);
    return {
      rowsRead: this.rowsRead,
      missingByColumn: Object.fromEntries(this.inPlay.map((name, c) => [name, (this.emptyCounts[c] ?? 0) / this.rowsRead])),
      ignoredColumns: this.ignoredColumns,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The pool

interface Busy {
  id: number;
  onMessage: (m: PieceMessage) => void;
}

class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Busy>();
  private readonly waiting: { task: PieceTask; busy: Busy; cancelled: () => boolean }[] = [];
  private nextId = 1;

  constructor(readonly size: number) {}

  /**
   * Queue a file's pieces, at most size + 1 ahead of the piece being read; `read` passes each
   * piece's messages on in piece order (`onPiece` before each piece's first).
   */
  start(tasks: PieceTask[]): { read: (onPiece: () => void, onMessage: (m: PieceMessage) => void) => Promise<void>; cancel: () => void } {
    const queues = tasks.map(() => new MessageQueue());
    let submitted = 0;
    let cancelled = false;
    const submitUpTo = (k: number) => {
      for (; !cancelled && submitted < Math.min(k, tasks.length); submitted++) {
        const q = queues[submitted];
        this.submit(tasks[submitted], (m) => q.push(m), () => cancelled);
      }
    };
    submitUpTo(this.size + 1);
    return {
      read: async (onPiece, onMessage) => {
        for (let k = 0; k < tasks.length; k++) {
          onPiece();
          for (;;) {
            const m = await queues[k].next();
            onMessage(m);
            if (m.type !== "rows") break;
          }
          submitUpTo(k + this.size + 2);
        }
      },
      cancel: () => {
        cancelled = true;
      },
    };
  }

  private submit(task: PieceTask, onMessage: (m: PieceMessage) => void, cancelled: () => boolean): void {
    this.waiting.push({ task, busy: { id: this.nextId++, onMessage }, cancelled });
    this.dispatch();
  }

  private dispatch(): void {
    for (;;) {
      while (this.waiting.length > 0 && this.waiting[0].cancelled()) this.waiting.shift();
      if (this.waiting.length === 0) return;
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.startWorker() : null);
      if (!worker) return;
      const { task, busy } = this.waiting.shift()!;
      this.busy.set(worker, busy);
      worker.ref();
      worker.postMessage({ id: busy.id, task });
    }
  }

  private startWorker(): Worker {
    const worker = startParseWorker();
    worker.on("message", ({ id, message }: { id: number; message: PieceMessage }) => {
      const b = this.busy.get(worker);
      if (!b || b.id !== id) return;
      b.onMessage(message);
      if (message.type === "rows") return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      this.dispatch();
    });
    const lost = (why: string) => {
      const b = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      b?.onMessage({ type: "failed", error: { code: "internal:worker", message: `A CSV parse thread stopped: ${why}` } });
      this.dispatch();
    };
    worker.on("error", (e) => lost(e.message));
    worker.on("exit", (code) => lost(`exit code ${code}`));
    return worker;
  }
}

/** Messages of one piece, waited for in order. */
class MessageQueue {
  private readonly items: PieceMessage[] = [];
  private wake: (() => void) | null = null;

  push(m: PieceMessage): void {
    this.items.push(m);
    this.wake?.();
    this.wake = null;
  }

  async next(): Promise<PieceMessage> {
    while (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.items.shift()!;
  }
}

let shared: ParsePool | null = null;

function pool(size: number): ParsePool {
  if (shared?.size !== size) shared = new ParsePool(size);
  return shared;
}

/**
 * A parse thread: in a `next build` Turbopack bundles parse-worker.ts from the `new URL` below;
 * the CLI's bundle (scripts/cli.cjs) has its own parse-worker.cjs beside it; elsewhere (vitest,
 * tsx) Node loads the .ts through tsx's require hook.
 */
function startParseWorker(): Worker {
  const bundle = (globalThis as { __draBundleDir?: string }).__draBundleDir;
  // Reflect.construct: Turbopack would try to bundle a `new Worker` whose path it cannot know.
  if (bundle) return Reflect.construct(Worker, [path.join(bundle, "parse-worker.cjs")]) as Worker;
  const execArgv = process.env.NEXT_RUNTIME ? undefined : ["--require", "tsx/cjs"];
  return new Worker(new URL("./parse-worker.ts", import.meta.url), { execArgv });
}
