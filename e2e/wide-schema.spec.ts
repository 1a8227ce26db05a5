import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, expectChartMarks, screenshotBoth, startAppServer } from "./helpers";

/*
 * Any team's schema, not only the demo's: a server of its own on a fresh database with the
 * bundled wide dataset (data/wide: an id, a month column, eight numeric and four categorical
 * features, a yes/no label). Its first start replays the four months through the full process.
 * The pages must be built from that schema: the Predict form's inputs, the predicted label's
 * words, the Drift page's categorical methods and level-share charts, the Data page's columns.
 */

const PORT = Number(process.env.E2E_WIDE_PORT ?? 3212);
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "data/wide/schema.json"), "utf8")) as {
  id: string;
  label: string;
  positive: string;
  negative: string;
  time: string;
  features: Record<string, string | { type: string }>;
};
const featureNames = Object.keys(schema.features);
const typeOf = (name: string) => {
  const f = schema.features[name];
  return typeof f === "string" ? f : f.type;
};
const numeric = featureNames.filter((f) => typeOf(f) === "numeric");
const categorical = featureNames.filter((f) => typeOf(f) === "categorical");
const MONTHS = ["wide_2024-01.csv", "wide_2024-04.csv"];
const testCsv = fs.readFileSync(path.join(ROOT, "data/wide/test/wide_test.csv"), "utf8").split("\n");
/** The head of the wide test file: labelled rows, few enough for a quick page. */
const labelledSample = { name: "wide_sample.csv", mimeType: "text/csv", buffer: Buffer.from(testCsv.slice(0, 301).join("\n") + "\n") };

test.describe.serial("a second dataset with categorical features", () => {
  let server: Awaited<ReturnType<typeof startAppServer>> | null = null;

  test.beforeAll(async () => {
    test.setTimeout(360_000);
    const source = path.join(ROOT, "tmp", "e2e-wide-source");
    fs.rmSync(source, { recursive: true, force: true });
    fs.mkdirSync(source, { recursive: true });
    // the first month deploys a model, the last one (with a region the first never had) is drift-checked against it
    for (const f of MONTHS) fs.copyFileSync(path.join(ROOT, "data/wide", f), path.join(source, f));
    server = await startAppServer({
      name: "e2e-wide",
      port: PORT,
      env: { SCHEMA_FILE: "data/wide/schema.json", SOURCE_DIR: "tmp/e2e-wide-source", TEST_DATA: "data/wide/test/wide_test.csv" },
    });
  });

  test.afterAll(() => server?.stop());

  test("the API serves the wide schema", async ({ request }) => {
    const body = await (await request.get(`${server!.baseURL}/api/schema`)).json();
    expect(body.id).toBe(schema.id);
    expect(body.stored).toBe(true);
    expect(body.features.map((f: { name: string }) => f.name)).toEqual(featureNames);
  });

  test("Predict: the one-client form has the wide features, and a prediction works", async ({ page }) => {
    await page.goto(`${server!.baseURL}/predict`);
    const form = page.getByTestId("score-one-form");
    // an id, a number input per numeric feature, a text input with the known levels per categorical one; no label input
    await expect(form.getByRole("spinbutton")).toHaveCount(numeric.length);
    await expect(form.getByRole("combobox")).toHaveCount(categorical.length);
    await expect(form.getByLabel(schema.label, { exact: true })).toHaveCount(0);
    await expect.poll(() => form.getByTestId(`levels-${categorical[0]}`).locator("option").count()).toBeGreaterThan(1);
    await form.getByLabel(schema.id, { exact: true }).fill("wide-e2e-1");
    for (const f of numeric) await form.getByLabel(f, { exact: true }).fill("3");
    const firstLevel = await form.getByTestId(`levels-${categorical[0]}`).locator("option").first().getAttribute("value");
    await form.getByLabel(categorical[0], { exact: true }).fill(firstLevel ?? "");
    await form.getByLabel(categorical[1], { exact: true }).fill("a level nobody has seen");
    await form.getByRole("button", { name: "Score client" }).click();
    const predictions = page.getByTestId("predictions");
    await expect(predictions).toContainText("client wide-e2e-1");
    await expect(page.getByTestId("predictions-table").locator("tbody tr")).toHaveCount(1);
    await expect(page.getByTestId("predictions-table")).toContainText(new RegExp(`${schema.label} = (${schema.positive}|${schema.negative})`));
    await expect(page.getByTestId("predict-unseen")).toContainText(categorical[1]);
    await expect(page.getByTestId("prediction-reasons").locator("li")).toHaveCount(featureNames.length);

    // a labelled CSV: the F1, and the download named after the schema's columns
    // the time column is optional for rows to predict: the hint says so instead of listing it as required
    await page.getByLabel(new RegExp(`CSV file with a header: ${schema.id}, ${featureNames[0]}.*; ${schema.label} and ${schema.time} optional`)).setInputFiles(labelledSample);
    await page.getByRole("button", { name: "Score file" }).click();
    await expect(page.getByTestId("predict-score")).toContainText("F1");
    await expectChartMarks(page, "chart-risk", "bar", 10);
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    expect(fs.readFileSync(await (await download).path(), "utf8").split("\n")[0]).toBe(`rank,${schema.id},probability,predicted_${schema.label},input_row`);
    await screenshotBoth(page, "wide-predict");
  });

  test("Drift: the categorical features' four methods and their level-share charts", async ({ page }) => {
    await page.goto(`${server!.baseURL}/drift`);
    await expect(page.getByTestId("drift-table").getByRole("row")).not.toHaveCount(1);
    const table = page.getByTestId("categorical-drift-table");
    await expect(table.locator("tbody tr")).toHaveCount(categorical.length);
    await expect(page.getByTestId("numeric-drift-table").locator("tbody tr")).toHaveCount(numeric.length);
    await expectChartMarks(page, "chart-ks", "bar", numeric.length);
    await expectChartMarks(page, "chart-js", "bar", categorical.length);
    await expectChartMarks(page, "chart-psi", "bar", featureNames.length);
    for (const f of categorical) await expectChartMarks(page, `chart-levels-${f}`, "bar", 4);
    await expectChartMarks(page, `chart-hist-${numeric[0]}`, "bar", 4);
    await screenshotBoth(page, "wide-drift");
  });

  test("Data: the ledger, the upload form and the missing-data chart name the wide columns", async ({ page }) => {
    await page.goto(`${server!.baseURL}/data`);
    const ledger = page.getByTestId("ledger");
    await expect(ledger.getByRole("cell", { name: MONTHS[0], exact: true })).toBeVisible();
    // a file with a column the schema does not have: ingested, and the ledger says what was ignored
    const rows = testCsv.slice(301, 311).filter((r) => r.trim() !== "");
    const withNotes = [`${testCsv[0]},notes`, ...rows.map((r) => `${r},called twice`)].join("\n") + "\n";
    const upload = page.getByLabel(new RegExp(`CSV files, labelled, with a header: ${schema.id}, ${schema.time}, ${featureNames[0]}`));
    await upload.setInputFiles({ name: "with_notes.csv", mimeType: "text/csv", buffer: Buffer.from(withNotes) });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByTestId("upload-result")).toContainText("with_notes.csv");
    await expect(ledger.getByRole("row", { name: /with_notes\.csv/ })).toContainText("ignored: notes");
    await expectChartMarks(page, "chart-missing", "bar", featureNames.length);
    await expect(page.getByTestId("chart-missing")).toContainText(categorical[0]);
    await screenshotBoth(page, "wide-data");
  });

  test("Models: the coefficient table has a term per categorical level", async ({ page }) => {
    await page.goto(`${server!.baseURL}/models`);
    await expect(page.getByTestId("coefficients-standardised")).toContainText(`${categorical[0]} = `);
    await expect(page.getByTestId("confusion")).toContainText(`${schema.label} = ${schema.positive}`);
  });
});
