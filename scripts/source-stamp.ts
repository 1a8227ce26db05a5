import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib/root";

/*
 * The fingerprint of everything `next build` reads (paths, sizes, modification times), kept in
 * .next/source-stamp by the build: `npm start` and the bench rebuild only when it changed.
 */

export const STAMP_FILE = path.join(ROOT, ".next", "source-stamp");
const SOURCES = ["app", "components", "lib", "public", "next.config.js", "package-lock.json", "tsconfig.json", "instrumentation.ts"];

export function sourceStamp(): string {
  const h = createHash("sha256");
  const walk = (p: string) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith(`${path.sep}generated`)) return h.update(`${p}:generated\n`), undefined;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    } else h.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return h.digest("hex");
}

/** Whether .next holds a build of the current sources. */
export function buildIsCurrent(stamp: string = sourceStamp()): boolean {
  return fs.existsSync(path.join(ROOT, ".next", "BUILD_ID")) && fs.existsSync(STAMP_FILE) && fs.readFileSync(STAMP_FILE, "utf8") === stamp;
}
