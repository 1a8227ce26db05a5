import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, expectChartMarks, screenshotBoth } from "./helpers";

/*
 * Performance before labels arrive (issue 11, must-have 3): upload a CSV without exited on the
 * Predict page as a monitored batch, add a second batch through the API, let the labels of the
 * first arrive as an ordinary upload, and see estimated (dashed, with band) beside realized F1 on
 * the Scores page. The clients are demo rows under new ids, so they are new clients for the model.
 */

function clients(file: string, prefix: string, take: number) {
  const [header, ...lines] = fs.readFileSync(path.join(ROOT, "data/sourcedata", file), "utf8").trim().split("\n");
  const cols = header.split(",");
  const at = (name: string) => cols.indexOf(name);
  // complete rows only: a batch needs every feature (the demo files have a few empty cells)
  const rows = lines
    .map((l) => l.split(","))
    .filter((r) => r.length === cols.length && r.every((v) => v.trim() !== ""))
    .slice(0, take);
  const features = ["lastmonth_activity", "lastyear_activity", "number_of_employees"];
  const unlabelled = ["corporation," + features.join(","), ...rows.map((r) => [`${prefix}${r[at("corporation")]}`, ...features.map((f) => r[at(f)])].join(","))].join("\n") + "\n";
  const labelled = ["corporation," + features.join(",") + ",exited", ...rows.map((r) => [`${prefix}${r[at("corporation")]}`, ...features.map((f) => r[at(f)]), r[at("exited")]].join(","))].join("\n") + "\n";
  return { unlabelled, labelled };
}

test.describe.serial("monitored batches", () => {
  const first = clients("clients_2024-01.csv", "mb1-", 300);
  const second = clients("clients_2024-04.csv", "mb2-", 200);

  test("the Predict page stores a CSV without labels as a monitored batch with its estimate", async ({ page }) => {
    await page.goto("/predict");
    const form = page.getByTestId("monitor-batch");
    await form.getByLabel(/CSV without exited/).setInputFiles({ name: "batch-january.csv", mimeType: "text/csv", buffer: Buffer.from(first.unlabelled) });
    await form.getByRole("button", { name: "Monitor as a batch" }).click();
    const result = page.getByTestId("monitor-batch-result");
    await expect(result).toContainText("batch-january.csv");
    await expect(result.getByTestId("batch-estimated-f1")).toHaveText(/^0\.\d{3}$/);
    await screenshotBoth(page, "predict-batch");
  });

  test("a labelled CSV is refused as a batch, with the reason", async ({ page }) => {
    await page.goto("/predict");
    const form = page.getByTestId("monitor-batch");
    await form.getByLabel(/CSV without exited/).setInputFiles({ name: "labelled.csv", mimeType: "text/csv", buffer: Buffer.from(first.labelled) });
    await form.getByRole("button", { name: "Monitor as a batch" }).click();
    await expect(page.getByTestId("monitor-batch-error")).toContainText("leave the exited column out");
  });

  test("labels arrive for the first batch; the Scores page shows estimated beside realized F1", async ({ page, request }) => {
    const created = await request.post("/api/batches", { multipart: { file: { name: "batch-february.csv", mimeType: "text/csv", buffer: Buffer.from(second.unlabelled) } } });
    expect(created.status()).toBe(201);
    const labels = await request.post("/api/ingest", { multipart: { file: { name: "labels-january.csv", mimeType: "text/csv", buffer: Buffer.from(first.labelled) } } });
    expect(labels.status()).toBe(201);
    const list = await (await request.get("/api/batches")).json();
    const january = list.batches.find((b: { name: string }) => b.name === "batch-january.csv");
    expect(january.labelledRows).toBe(300);
    expect(january.realized.f1).toBeGreaterThanOrEqual(0);

    await page.goto("/scores");
    await expectChartMarks(page, "chart-batch-estimates", "dot", 3);
    await expect(page.getByTestId("batches-table")).toContainText("batch-january.csv");
    await expect(page.getByTestId("batches-table")).toContainText("awaiting labels");
    await page.getByTestId("chart-batch-estimates").scrollIntoViewIfNeeded();
    await screenshotBoth(page, "scores-batches");
  });
});
