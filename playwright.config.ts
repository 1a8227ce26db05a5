import { defineConfig, devices } from "@playwright/test";

/*
 * Browser tests run Debian's Chromium (/usr/bin/chromium; never `playwright install`, which
 * downloads a browser and fails on these machines) against the real `npm start` on a fresh
 * database in tmp/e2e/, so they also prove the README's start command.
 */
const PORT = Number(process.env.E2E_PORT ?? 3210);
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 900 }, launchOptions: chromium } },
  ],
  webServer: {
    command: "rm -rf tmp/e2e && mkdir -p tmp/e2e && npm start",
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      DATABASE_URL: "file:./tmp/e2e/app.db",
      PORT: String(PORT),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
