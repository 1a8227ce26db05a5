import { expect, test } from "@playwright/test";
import { setupCsv } from "../lib/testing/setup-csv";

/*
 * The set-up path on the "setup" project's server (playwright.config.ts: an empty database and an
 * empty source folder in tmp/e2e-setup/): from the empty Overview to /setup, a generated CSV (two
 * years of monthly rows with a leaking column, a free-text comment, a categorical region, a
 * numeric-looking plan code and ISO dates) is inspected, the leak is left out, the time column and
 * the month chosen, the set-up confirmed — and the Overview shows the model and its history.
 * Screenshots go to test-results/setup-*.png.
 */
const SHOT = (name: string) => `test-results/setup-${name}.png`;

test("set up a first dataset from a CSV: leak left out, replayed by month, lands on the Overview with data", async ({ page, request }) => {
  test.setTimeout(300_000);
  expect((await (await request.get("/api/setup")).json()).stored).toBe(false);

  await page.goto("/");
  await expect(page.getByTestId("verdict")).toContainText("No data and no model yet");
  await page.screenshot({ path: SHOT("0-empty-overview"), fullPage: true });
  await page.getByTestId("setup-link").click();
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up a first dataset" })).toBeVisible();

  const csv = setupCsv({ rows: 4800, months: 24 });
  await page.getByLabel("CSV file to set up with").setInputFiles({ name: "clients-history.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });

  const table = page.getByTestId("setup-columns");
  await expect(table).toBeVisible();
  await expect(page.getByLabel("Role of churned")).toHaveValue("label");
  await expect(page.getByLabel("Role of comment")).toHaveValue("ignored");
  await expect(page.getByTestId("setup-column-comment")).toContainText("free text or an id, left out");
  await expect(page.getByLabel("Role of plan_code")).toHaveValue("feature");
  await expect(page.getByLabel("Type of plan_code")).toHaveValue("categorical");
  await expect(page.getByLabel("Type of region")).toHaveValue("categorical");
  await expect(page.getByLabel("Type of balance")).toHaveValue("numeric");
  await expect(page.getByLabel("Positive label value")).toHaveValue("yes");
  const leak = page.getByTestId("setup-leak-days_since_exit");
  await expect(leak).toContainText("alone separates the label almost perfectly");
  await expect(page.getByTestId("setup-leak-summary")).toContainText("1 column may leak the label: days_since_exit");
  await page.screenshot({ path: SHOT("1-inspected"), fullPage: true });

  // one click leaves the leak out; the id and the time column are chosen (the page asks the server again)
  await leak.getByRole("button", { name: "Leave out days_since_exit" }).click();
  await expect(leak).toBeHidden();
  await expect(page.getByLabel("Role of days_since_exit")).toHaveValue("ignored");
  await page.getByLabel("Role of signup_date").selectOption("time");
  await expect(page.getByLabel("Time granularity")).toHaveValue("month");
  await page.getByLabel("Role of client_id").selectOption("id");
  await expect(page.getByLabel("Role of client_id")).toHaveValue("id");
  await expect(page.getByLabel("Role of signup_date")).toHaveValue("time");
  await expect(page.getByLabel("Role of days_since_exit")).toHaveValue("ignored");
  await expect(page.getByTestId("setup-refusals")).toHaveCount(0);
  await page.screenshot({ path: SHOT("2-chosen"), fullPage: true });

  await page.getByTestId("setup-confirm").click();
  await page.getByRole("dialog").getByRole("button", { name: "Set up" }).click();
  await expect(page.getByTestId("setup-progress")).toBeVisible();
  await expect(page.getByTestId("setup-progress")).toContainText(/of 24 periods/, { timeout: 30_000 });
  await page.screenshot({ path: SHOT("3-progress"), fullPage: true });

  // done: the page opens the Overview
  await page.waitForURL((url) => url.pathname === "/", { timeout: 240_000 });
  await expect(page.getByTestId("deployed-model")).toContainText(/v\d+/);
  await expect(page.getByTestId("verdict")).not.toContainText("No data");
  // the F1 history is drawn: a line through several points (a flat line has no height, so "visible" is not the test)
  await expect(page.locator(".recharts-line-curve").first()).toHaveAttribute("d", /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){5,}/);
  await page.screenshot({ path: SHOT("4-overview"), fullPage: true });

  const state = await (await request.get("/api/setup")).json();
  expect(state).toMatchObject({ stored: true, state: "done", by: "month", progress: { done: 24, total: 24 } });
  const schema = await (await request.get("/api/schema")).json();
  expect(schema).toMatchObject({ stored: true, id: "client_id", label: "churned", positive: "yes", time: "signup_date" });
  expect(schema.features.map((f: { name: string }) => f.name)).toEqual(["balance", "region", "plan_code"]);

  // the history: one run per month, the scores page draws it; the set-up page now shows the schema read-only
  await page.goto("/scores");
  await expect(page.locator(".recharts-line-curve").first()).toHaveAttribute("d", /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){5,}/);
  await page.screenshot({ path: SHOT("5-scores"), fullPage: true });
  await page.goto("/setup");
  await expect(page.getByTestId("setup-stored")).toContainText("This database is set up");
  await expect(page.getByTestId("setup-stored")).toContainText("churned");
  await page.screenshot({ path: SHOT("6-stored"), fullPage: true });
});
