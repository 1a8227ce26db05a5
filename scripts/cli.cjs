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
 * Prisma's query compiler (engineType "client") ships its wasm as a 2.5 MB base64 ES module, which
 * the generated client imports at the first query: Node compiles that module text and the client
 * decodes the base64 at every start (70–90 ms on these 2-core machines). In the bundle, that import
 * becomes the bytes of a .wasm file written beside the bundle when it is built. The client hands
 * `wasm` to `Buffer.from(wasmBase64, 'base64')`, which copies a Buffer as it is; when the generated
 * client no longer reads it that way (another Prisma version), the import is left as it was.
 */
const PRISMA_WASM = /^@prisma\/client\/runtime\/query_compiler_bg\.(sqlite|postgresql)\.wasm-base64\.mjs$/;
function prismaWasmFiles(outdir) {
  return {
    name: "prisma-wasm-files",
    setup(build) {
      build.onResolve({ filter: PRISMA_WASM }, (args) => {
        let importer = "";
        try {
          importer = fs.readFileSync(args.importer, "utf8");
        } catch {
          return undefined;
        }
        if (!importer.includes("Buffer.from(wasmBase64, 'base64')")) return undefined;
        return { path: args.path, namespace: "prisma-wasm" };
      });
      build.onLoad({ filter: /.*/, namespace: "prisma-wasm" }, (args) => {
        const provider = PRISMA_WASM.exec(args.path)[1];
        const file = `query_compiler_bg.${provider}.wasm`;
        const base64 = require(require.resolve(args.path.replace(/\.mjs$/, ".js"), { paths: [ROOT] })).wasm;
        fs.mkdirSync(outdir, { recursive: true });
        fs.writeFileSync(path.join(outdir, file), Buffer.from(base64, "base64"));
        return { contents: `export const wasm = require("node:fs").readFileSync(require("node:path").join(__dirname, ${JSON.stringify(file)}));`, loader: "js" };
      });
    },
  };
}

/**
 * The bundle of these sources: node_modules/.cache/dra-cli/<fingerprint>/, built when missing.
 * A folder is never changed once in place (two starts that build at once both rename theirs;
 * the second finds the first's), and older folders are removed after an hour, so a process that
 * still runs an older bundle keeps finding its worker files.
 */
async function bundleDir() {
  const stamp = fingerprint();
  const dir = path.join(OUT, stamp.slice(0, 16));
  if (fs.existsSync(path.join(dir, "done"))) return dir;
  const tmp = path.join(OUT, `.tmp-${process.pid}-${Date.now()}`);
  // build(), not buildSync(): esbuild runs plugins in its asynchronous API only
  await require("esbuild").build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(ROOT, file)])),
    outdir: tmp,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    packages: "external",
    plugins: [prismaWasmFiles(tmp)],
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

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!ENTRIES[name] || !ENTRIES[name].startsWith("scripts/")) {
    process.stderr.write(`usage: node scripts/cli.cjs <${Object.keys(ENTRIES).filter((k) => ENTRIES[k].startsWith("scripts/")).join("|")}> [args]\n`);
    process.exit(2);
  }
  const dir = await bundleDir();
  process.argv = [process.argv[0], path.join(ROOT, ENTRIES[name]), ...args];
  require(path.join(dir, `${name}.cjs`));
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
