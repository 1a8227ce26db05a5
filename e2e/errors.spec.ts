import { expect, test } from "@playwright/test";
import { expectChartMarks, hideTable } from "./helpers";

/*
 * A failing API shows an error state with a retry, never a blank page. The first data of a page
 * come from the server reads its routes call, so each outage here is real on the server (the
 * table the read needs is hidden) and simulated in the browser (page.route) with its own answer.
 */

test("a failing /api/scores shows an error with Retry, and Retry recovers the chart", async ({ page }) => {
  let fail = true;
  await page.route("**/api/scores", (route) =>
    fail ? route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify({ error: { code: "internal:unexpected", message: "simulated outage" } }) }) : route.continue(),
  );
  const outage = hideTable("Score");
  try {
    await page.goto("/scores");
    const panel = page.getByTestId("error-panel");
    await expect(panel).toBeVisible({ timeout: 20_000 });
    await expect(panel).toContainText("Could not load the score history");
    await expect(panel).toContainText("simulated outage");
    // the rest of the page (navigation, heading) is still there
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Scores" })).toBeVisible();
    fail = false;
    outage.restore();
    await panel.getByRole("button", { name: "Retry" }).click();
  } finally {
    outage.restore();
  }
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  // a fresh database has one score: one dot (a line needs two)
  await expectChartMarks(page, "chart-scores", "dot");
});

test("a failing API without a JSON body still explains itself (drift and datasets)", async ({ page }) => {
  await page.route("**/api/drift", (route) => route.fulfill({ status: 500, body: "boom" }));
  await page.route("**/api/datasets", (route) => route.fulfill({ status: 503, body: "" }));
  const driftOutage = hideTable("DriftCheck");
  try {
    await page.goto("/drift");
    await expect(page.getByTestId("error-panel")).toContainText("The server answered 500");
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
  } finally {
    driftOutage.restore();
  }
  const ledgerOutage = hideTable("Dataset");
  try {
    await page.goto("/data");
    await expect(page.getByTestId("error-panel").first()).toContainText("503");
    // the upload form is still usable while the ledger is down
    await expect(page.getByLabel(/CSV files, labelled, with a header: corporation/)).toBeVisible();
  } finally {
    ledgerOutage.restore();
  }
});

test("an unknown run id shows a not-found error, not a blank page", async ({ page }) => {
  await page.goto("/runs/987654");
  await expect(page.getByTestId("error-panel")).toContainText(/No pipeline run|not/i);
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("an upload the server refuses shows what to fix, and nothing is added", async ({ page, request }) => {
  const before = (await (await request.get("/api/datasets")).json()).datasets.length;
  await page.goto("/data");
  await page.getByLabel(/CSV files, labelled, with a header: corporation/).setInputFiles({
    name: "no_label_column.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("corporation,lastmonth_activity,lastyear_activity,number_of_employees\nx-1,1,2,3\n"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const err = page.getByTestId("upload-error");
  await expect(err).toContainText("Nothing was ingested.");
  await expect(err).toContainText(/exited/);
  expect((await (await request.get("/api/datasets")).json()).datasets.length).toBe(before);
});
