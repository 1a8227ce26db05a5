import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The database-facing integration suites that run a second time on PostgreSQL (a throwaway
 * cluster started by lib/testing/pg-global-setup.ts; each test file gets its own database).
 * Only when Debian's postgresql package is installed (.ci/run installs it).
 */
const POSTGRES_SUITES = [
  "lib/db/schemas.test.ts",
  "lib/db/columns.test.ts",
  "lib/db/legacy-storage.test.ts",
  "lib/db/models.test.ts",
  "lib/db/storage-health.test.ts",
  "app/api/health/storage.test.ts",
  "lib/ingestion/ingest.test.ts",
  "lib/db/bulk-ingest-parity.test.ts",
  "app/api/runs/lock.test.ts",
  "app/api/runs/full-process.test.ts",
  "lib/pipeline/no-drift.test.ts",
  "lib/pipeline/replay-file.test.ts",
  "lib/pipeline/replay-golden.test.ts",
  "lib/pipeline/schedule.test.ts",
  "app/api/prediction/deployed-model-cache.test.ts",
  "app/api/**/route.test.ts",
  "app/api/*.test.ts",
];
const postgresInstalled = fs.existsSync("/usr/lib/postgresql");

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    environment: "node",
    // Integration tests share nothing but each opens its own database; keep forks for native addons.
    pool: "forks",
    // No test may depend on the public npm registry: dependency checks see a closed loopback port
    // unless a test points them at its own fake registry.
    env: { npm_config_registry: "http://127.0.0.1:9" },
    testTimeout: 60_000,
    // Every route handler's answer is checked against the route table (lib/validations/routes.ts).
    setupFiles: ["lib/testing/check-responses.ts"],
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
          exclude: ["lib/db/bulk-ingest-parity.test.ts", "**/node_modules/**"],
          globalSetup: ["lib/testing/global-setup.ts"],
        },
      },
      ...(postgresInstalled
        ? [
            {
              extends: true as const,
              test: {
                name: "postgresql",
                include: POSTGRES_SUITES,
                globalSetup: ["lib/testing/global-setup.ts", "lib/testing/pg-global-setup.ts"],
                env: { npm_config_registry: "http://127.0.0.1:9", DRA_TEST_DATABASE: "postgresql" },
              },
            },
          ]
        : []),
    ],
  },
});
