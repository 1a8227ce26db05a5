#!/usr/bin/env node
/*
 * Runs a TypeScript CLI entry (scripts/<name>.ts) from a bundle compiled once and cached, instead of
 * compiling TypeScript at every start (tsx): `node scripts/cli.cjs pipeline ingest` is what
 * `npm run pipeline -- ingest` runs. The bundle (esbuild, which tsx already brings) is kept in
 * node_modules/.cache/dra-cli with the fingerprint of the sources it was built from (paths, sizes
 * and modification times of lib/, scripts/, prisma/ and the lock file); when they change, the next
 * start builds it again (about half a second). npm packages are not bundled: they load from
 * node_modules as usual. Worker threads that the CLI starts (CSV parsing, jobs) run bundles built
 * beside it, found through globalThis.__draBundleDir.
 *
 * Plain JavaScript on purpose: this file is what runs before anything is compiled.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "node_modules", ".cache", "dra-cli");
const SOURCES = ["lib", "scripts", "prisma", "package-lock.json", "tsconfig.json"];
/** Entry points: the CLIs (scripts/<name>.ts) and the worker threads they may start. */
const ENTRIES = {
  pipeline: "scripts/pipeline.ts",
  users: "scripts/users.ts",
  start: "scripts/start.ts",
  serve: "scripts/serve.ts",
  "parse-worker": "lib/ingestion/parse-worker.ts",
  "worker-entry": "lib/worker/entry.ts",
};

function fingerprint() {
  const h = crypto.createHash("sha256");
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) if (e !== "node_modules" && !e.endsWith(".test.ts")) walk(path.join(p, e));
    } else h.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  h.update(process.version);
  return h.digest("hex");
}

/**
 * The bundle of these sources: node_modules/.cache/dra-cli/<fingerprint>/, built when missing.
 * A folder is never changed once in place (two starts that build at once both rename theirs;
 * the second finds the first's), and older folders are removed after an hour, so a process that
 * still runs an older bundle keeps finding its worker files.
 */
function bundleDir() {
  const stamp = fingerprint();
  const dir = path.join(OUT, stamp.slice(0, 16));
  if (fs.existsSync(path.join(dir, "done"))) return dir;
  const tmp = path.join(OUT, `.tmp-${process.pid}-${Date.now()}`);
  require("esbuild").buildSync({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)])),
    outdir: tmp,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    packages: "external",
    logLevel: "error",
    // The sources are ES modules that read import.meta.url (Prisma's generated client, worker URLs);
    // in a CommonJS bundle it is the bundle's own file URL, and worker threads are found by name.
    define: { "import.meta.url": "__bundle_url" },
    // __draRoot: the project folder, for the modules that find files from their own __dirname
    // (scripts/lib/root.ts); the bundle sits in node_modules/.cache/dra-cli/<fingerprint>/.
    banner: {
      js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href; globalThis.__draBundleDir = __dirname; globalThis.__draRoot = require("node:path").resolve(__dirname, "../../../..");',
    },
  });
  fs.writeFileSync(path.join(tmp, "done"), stamp);
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another start put the same bundle in place
  }
  const hourAgo = Date.now() - 3600_000;
  for (const e of fs.readdirSync(OUT)) {
    const p = path.join(OUT, e);
    if (p !== dir && fs.statSync(p).mtimeMs < hourAgo) fs.rmSync(p, { recursive: true, force: true });
  }
  return dir;
}

function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!ENTRIES[name] || !ENTRIES[name].startsWith("scripts/")) {
    process.stderr.write(`usage: node scripts/cli.cjs <${Object.keys(ENTRIES).filter((k) => ENTRIES[k].startsWith("scripts/")).join("|")}> [args]\n`);
    process.exit(2);
  }
  const dir = bundleDir();
  process.argv = [process.argv[0], path.join(ROOT, ENTRIES[name]), ...args];
  require(path.join(dir, `${name}.cjs`));
}

main();
