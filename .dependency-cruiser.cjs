/*
 * The import rules of the codebase, checked by `npm run check:structure` (part of `npm test`).
 * Keep lib/ framework-free, Prisma inside lib/db, folders free of cycles, and the browser's
 * components free of server modules.
 */

/** Modules that only run on the server: the database, files, threads, the pipeline. */
const SERVER_ONLY = [
  "^lib/(db|pipeline|jobs|ingestion|report|http|reads|actions|batches|scheduler|alerts|diagnostics|prediction)/",
  "^lib/(config|server-start|actor)\\.ts$",
  // lib/auth/roles.ts is pure (the pages show what a role may do); the rest reads the database
  "^lib/auth/(?!roles\\.ts$)",
  "^lib/testing/",
  "^scripts/",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "lib-is-framework-free",
      comment: "lib/ imports nothing from app/ or components/ (the pages and routes depend on lib, never the other way).",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^(app|components)/" },
    },
    {
      name: "prisma-only-in-lib-db",
      comment: "Only lib/db talks to Prisma: its generated clients, @prisma/* packages and adapters.",
      severity: "error",
      from: { path: "^(?!lib/db/)", pathNot: "^prisma\\.config\\.ts$" },
      to: { path: ["^lib/db/generated", "^lib/db/generated-pg", "@prisma/", "^node_modules/prisma/", "^node_modules/@prisma/"] },
    },
    {
      name: "no-folder-cycles",
      comment: "Folders depend on each other in one direction only (e.g. pipeline → report, never report → pipeline).",
      severity: "error",
      scope: "folder",
      from: { path: "^(lib|components|app|scripts)/" },
      to: { circular: true },
    },
    {
      name: "components-no-server-modules",
      comment: "Browser components import no server module (database, files, pipeline, node built-ins); they get data through props and react-query.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: SERVER_ONLY },
    },
    {
      name: "components-no-node-builtins",
      severity: "error",
      from: { path: "^components/" },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Tests are cruised by .dependency-cruiser.tests.cjs: a test sits in the folder it tests and
    // imports lib/testing, so at folder level every tested folder would "cycle" through lib/testing.
    exclude: { path: ["^lib/db/generated", "^\\.next/", "^node_modules/", "\\.test\\.tsx?$"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
    moduleSystems: ["es6", "cjs"],
  },
};
