import { defineConfig, devices } from "@playwright/test";

/*
 * Browser tests run Debian's Chromium (/usr/bin/chromium; Playwright's own browser download
 * fails on these machines) against the real `npm start` on a fresh
 * database in tmp/e2e/, so they also prove the README's start command.
 *
 * A second, token-protected server (ADMIN_TOKEN set, its own database in tmp/e2e-admin/) serves
 * the "admin" project. It reuses the build of the first one (npm start rebuilds only when the
 * sources changed), so it costs a first start (~10 s), not a second build; its command waits for
 * the first server so that two builds never run at once.
 *
 * A third server, on an empty database with an empty source folder (tmp/e2e-setup/), serves the
 * "setup" project: the set-up page's whole path from a CSV to a deployed model. It reuses the
 * build the same way.
 *
 * A fourth server (tmp/e2e-people/, no ADMIN_TOKEN) starts open, like a first start, and serves
 * the "people" project: its spec adds the first admin with the CLI, which turns sign-in on for
 * good on that database, so it has a server of its own.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const ADMIN_PORT = Number(process.env.E2E_ADMIN_PORT ?? PORT + 1);
// PORT + 2 is the wide-schema spec's own server (e2e/wide-schema.spec.ts)
const SETUP_PORT = Number(process.env.E2E_SETUP_PORT ?? PORT + 3);
const PEOPLE_PORT = Number(process.env.E2E_PEOPLE_PORT ?? PORT + 4);
export const E2E_ADMIN_TOKEN = "e2e-admin-token-0123456789";
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
};
const serverEnv = { PIPELINE_CRON: "", NEXT_TELEMETRY_DISABLED: "1", HOSTNAME: "127.0.0.1" };
const waitForFirstServer = `node -e "const go=()=>fetch('http://127.0.0.1:${PORT}/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>setTimeout(go,1000));go()"`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // the morning walk is one long serial story; the rest are short
  globalTimeout: 15 * 60_000,
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "desktop",
      testIgnore: /(admin-server|setup|people)\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PORT}`, viewport: { width: 1280, height: 900 }, launchOptions: chromium },
    },
    {
      name: "admin",
      testMatch: /admin-server\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${ADMIN_PORT}`, viewport: { width: 1280, height: 900 }, launchOptions: chromium },
    },
    {
      name: "setup",
      testMatch: /setup\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${SETUP_PORT}`, viewport: { width: 1280, height: 900 }, launchOptions: chromium },
    },
    {
      name: "people",
      testMatch: /people\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PEOPLE_PORT}`, viewport: { width: 1280, height: 900 }, launchOptions: chromium },
    },
  ],
  webServer: [
    {
      // A private source folder (a copy of the demo files), so the walk can drop a new file in it
      // and watch the full process pick it up, as cron would.
      command: "rm -rf tmp/e2e && mkdir -p tmp/e2e/source && cp data/sourcedata/*.csv tmp/e2e/source/ && npm start",
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { ...serverEnv, DATABASE_URL: "file:./tmp/e2e/app.db", SOURCE_DIR: "tmp/e2e/source", ADMIN_TOKEN: "", PORT: String(PORT) },
    },
    {
      command: `${waitForFirstServer} && rm -rf tmp/e2e-admin && mkdir -p tmp/e2e-admin && npm start`,
      url: `http://127.0.0.1:${ADMIN_PORT}/api/health`,
      timeout: 360_000,
      reuseExistingServer: false,
      stdout: "ignore",
      env: { ...serverEnv, DATABASE_URL: "file:./tmp/e2e-admin/app.db", ADMIN_TOKEN: E2E_ADMIN_TOKEN, PORT: String(ADMIN_PORT) },
    },
    {
      command: `${waitForFirstServer} && rm -rf tmp/e2e-setup && mkdir -p tmp/e2e-setup/source && npm start`,
      url: `http://127.0.0.1:${SETUP_PORT}/api/health`,
      timeout: 360_000,
      reuseExistingServer: false,
      stdout: "ignore",
      env: { ...serverEnv, DATABASE_URL: "file:./tmp/e2e-setup/app.db", SOURCE_DIR: "tmp/e2e-setup/source", ADMIN_TOKEN: "", PORT: String(SETUP_PORT) },
    },
    {
      command: `${waitForFirstServer} && rm -rf tmp/e2e-people && mkdir -p tmp/e2e-people && npm start`,
      url: `http://127.0.0.1:${PEOPLE_PORT}/api/health`,
      timeout: 360_000,
      reuseExistingServer: false,
      stdout: "ignore",
      env: { ...serverEnv, DATABASE_URL: "file:./tmp/e2e-people/app.db", ADMIN_TOKEN: "", PORT: String(PEOPLE_PORT) },
    },
  ],
});
