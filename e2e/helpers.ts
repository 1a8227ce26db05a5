import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import Database from "better-sqlite3";

export const ROOT = path.resolve(__dirname, "..");
export const SOURCE_DIR = path.join(ROOT, "tmp", "e2e", "source");
/** The desktop server's database (playwright.config.ts: DATABASE_URL file:./tmp/e2e/app.db). */
const E2E_DB = path.join(ROOT, "tmp", "e2e", "app.db");

/**
 * A real outage of one table of the desktop server's database: the table is renamed away until
 * `restore()` (call it in a finally). Pages get their first data from the server reads the
 * routes call (app/hydrate.tsx), so a failing read is what makes a widget fetch in the browser
 * and show its error state; `page.route` then decides what the browser's fetch answers.
 */
export function hideTable(table: string): { restore: () => void } {
  const hidden = `${table}_hidden_by_e2e`;
  const db = new Database(E2E_DB);
  db.pragma("busy_timeout = 10000");
  db.exec(`ALTER TABLE "${table}" RENAME TO "${hidden}"`);
  let restored = false;
  return {
    restore: () => {
      if (restored) return;
      restored = true;
      db.exec(`ALTER TABLE "${hidden}" RENAME TO "${table}"`);
      db.close();
    },
  };
}
const SHOTS = path.join(ROOT, "e2e", "screenshots");

/** Marks each kind of chart draws once it has data (not just an empty container). */
export const MARKS = {
  line: ".recharts-line-curve",
  dot: ".recharts-line-dot",
  bar: ".recharts-bar-rectangle",
  scatter: ".recharts-scatter-symbol",
  heat: ".heat-cell rect",
} as const;

/** Assert that the chart card `testId` drew at least `min` marks of the given kind. */
export async function expectChartMarks(page: Page, testId: string, mark: keyof typeof MARKS, min = 1): Promise<void> {
  const card = page.getByTestId(testId);
  await expect(card, `chart ${testId} is on the page`).toBeVisible();
  await expect(card.getByTestId(`${testId}-empty`), `chart ${testId} is not in its empty state`).toHaveCount(0);
  await expect
    .poll(async () => card.locator(MARKS[mark]).count(), { message: `chart ${testId} drew ${mark} marks`, timeout: 15_000 })
    .toBeGreaterThanOrEqual(min);
}

/** Full-page screenshots at desktop (1280 px) and phone (390 px) width, then back to desktop. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone-top.png`) });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(overflow, `${name}: the page does not scroll sideways at 390 px`).toBeLessThanOrEqual(1);
}

/** Click an action button, then confirm in its dialog. */
export async function confirmAction(page: Page, button: string | RegExp, confirm: string | RegExp, scope = page.locator("body")): Promise<void> {
  await scope.getByRole("button", { name: button, exact: typeof button === "string" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: confirm }).click();
}

/**
 * A second app server of its own (`npm start` on a fresh database under tmp/<name>/), for specs
 * that need another configuration than the webServers of playwright.config.ts — another schema,
 * say. It reuses their build (npm start rebuilds only when the sources changed). Its output goes
 * to tmp/<name>/server.log; `stop()` ends the process group it started.
 */
export async function startAppServer({ name, port, env }: { name: string; port: number; env: Record<string, string> }): Promise<{ baseURL: string; stop: () => void }> {
  const dir = path.join(ROOT, "tmp", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const log = fs.openSync(path.join(dir, "server.log"), "w");
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, PIPELINE_CRON: "", NEXT_TELEMETRY_DISABLED: "1", HOSTNAME: "127.0.0.1", ADMIN_TOKEN: "", DATABASE_URL: `file:./tmp/${name}/app.db`, PORT: String(port), ...env },
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${baseURL}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) return { baseURL, stop };
    await new Promise((r) => setTimeout(r, 1000));
  }
  stop();
  throw new Error(`the ${name} server did not start; see tmp/${name}/server.log:\n${fs.readFileSync(path.join(dir, "server.log"), "utf8").slice(-3000)}`);
}
