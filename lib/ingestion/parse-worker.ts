import { parentPort } from "node:worker_threads";
import { buffersOf } from "../db/parsed-rows";
import { parsePiece, type PieceMessage, type PieceTask } from "./csv-pieces";

/*
 * A parse thread of lib/ingestion/parse-pool.ts: takes one piece at a time ({ id, task }) and
 * posts the piece's messages ({ id, message }), moving the chunks' arrays instead of copying them.
 */

parentPort!.on("message", ({ id, task }: { id: number; task: PieceTask }) => {
  const post = (message: PieceMessage) => parentPort!.postMessage({ id, message }, message.type === "rows" && message.rows ? buffersOf(message.rows) : []);
  parsePiece(task, post).catch((e: unknown) => post({ type: "failed", error: { code: "internal:worker", message: e instanceof Error ? e.message : String(e) } }));
});
