import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, SOURCE_DIR, confirmAction, expectChartMarks, screenshotBoth } from "./helpers";

/*
 * A data scientist's morning, in order, against the production build on a fresh database
 * (the webServer in playwright.config.ts): look at the Overview, upload two CSVs, retrain,
 * deploy, roll back, run the full process on a newly arrived file, then open every page and
 * check that every chart drew data. Screenshots of each page land in e2e/screenshots/.
 */
test.describe.serial("a morning with the dashboard", () => {
  let firstVersion = 0;
  let trainedVersion = 0;

  test("the Overview answers: which model is live and how good it is", async ({ page, request }) => {
    const scoring = await (await request.get("/api/scoring")).json();
    expect(scoring.f1).toBeGreaterThan(0.5);
    firstVersion = scoring.modelVersion;
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("deployed-model")).toContainText(`v${scoring.modelVersion}`);
    await expect(page.getByTestId("deployed-f1")).toHaveText(scoring.f1.toFixed(3));
    // first start replayed the demo months; the last one is shifted, so the verdict may well be a drift
    await expect(page.getByTestId("verdict")).toContainText(new RegExp(`model v${scoring.modelVersion}\\b`, "i"));
    await expect(page.getByTestId("quarantined")).not.toContainText("—");
  });

  test("upload two CSVs (file picker and drag-and-drop) and see them in the ledger", async ({ page }) => {
    await page.goto("/data");
    const ledger = page.getByTestId("ledger");
    // the demo months first start replayed, one run each
    for (const name of ["clients_2024-01.csv", "clients_2024-05.csv", "clients_2024-09.csv", "clients_2024-10_shifted.csv", "testdata.csv"]) {
      await expect(ledger.getByRole("cell", { name, exact: true })).toBeVisible();
    }
    // 1) the file picker
    await page.getByLabel(/CSV files, labelled, with a header: corporation/).setInputFiles(path.join(ROOT, "data/samples/new_batch_same_distribution.csv"));
    // 2) drag-and-drop: a small file written here, with one bad label and one negative feature
    const small = [
      "corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited",
      "e2e-0001,120,2400,35,0",
      "e2e-0002,15,900,12,1",
      "e2e-0003,300,5100,80,2",
      "e2e-0004,-5,700,10,0",
      "e2e-0005,,1500,20,1",
    ].join("\n");
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "morning_small.csv", { type: "text/csv" }));
      return dt;
    }, small);
    await page.getByTestId("dropzone").dispatchEvent("drop", { dataTransfer });
    await expect(page.getByRole("list", { name: "Files to upload" }).getByRole("listitem")).toHaveCount(2);
    await page.getByRole("button", { name: "Upload 2 files" }).click();

    const progress = page.getByRole("progressbar", { name: "Upload progress" });
    await expect(progress).toHaveAttribute("aria-valuenow", "100");
    const result = page.getByTestId("upload-result");
    await expect(result).toContainText("new_batch_same_distribution.csv");
    await expect(result).toContainText("morning_small.csv");
    await expect(result).toContainText("2 rows quarantined");
    // per-row problems: row number, column and what is wrong
    const problems = result.getByRole("table");
    await expect(problems.getByRole("row", { name: /morning_small\.csv 4 exited/ })).toBeVisible();
    await expect(problems.getByRole("row", { name: /morning_small\.csv 5 lastmonth_activity/ })).toBeVisible();
    // the ledger shows both uploads
    await expect(ledger.getByRole("cell", { name: "new_batch_same_distribution.csv", exact: true })).toBeVisible();
    await expect(ledger.getByRole("cell", { name: "morning_small.csv", exact: true })).toBeVisible();
    await expect(page.getByTestId("quarantine")).toContainText("morning_small.csv");
  });

  test("train now gives a new version", async ({ page, request }) => {
    await page.goto("/models");
    const before = (await (await request.get("/api/models")).json()).models.length;
    // with the threshold that maximises F1 on the test data (the dialog's choice)
    await page.getByRole("button", { name: "Train now" }).click();
    await page.getByRole("dialog").getByTestId("train-threshold").selectOption("max-f1");
    await page.getByRole("dialog").getByRole("button", { name: "Train", exact: true }).click();
    await expect(page.getByText(/Trained version \d+: F1 [\d.]+ at threshold 0\.\d{3}/)).toBeVisible({ timeout: 45_000 });
    const models = (await (await request.get("/api/models")).json()).models as { version: number; thresholdRule: string }[];
    expect(models.length).toBe(before + 1);
    trainedVersion = Math.max(...models.map((m) => m.version));
    expect(models.find((m) => m.version === trainedVersion)?.thresholdRule).toBe("max-f1");
    await expect(page.getByTestId(`model-row-${trainedVersion}`)).toContainText("idle");
  });

  test("deploy it and the Overview changes", async ({ page }) => {
    await page.goto("/models");
    const row = page.getByTestId(`model-row-${trainedVersion}`);
    await confirmAction(page, "Deploy", `Deploy v${trainedVersion}`, row);
    await expect(page.getByTestId("models-notice")).toContainText(`version ${trainedVersion} is live`);
    await expect(page.getByTestId(`model-row-${trainedVersion}`)).toContainText("deployed");
    await expect(page.getByTestId("timeline").getByRole("listitem").first()).toContainText(`v${trainedVersion}`);

    await page.getByRole("link", { name: "Overview" }).click();
    await expect(page.getByTestId("deployed-model")).toContainText(`v${trainedVersion}`);
    await expect(page.getByTestId("deploy-reason")).toContainText("deployed from the dashboard");
  });

  test("roll back to the previous version", async ({ page }) => {
    await page.goto("/models");
    await confirmAction(page, "Roll back", "Roll back");
    await expect(page.getByText(`Rolled back: version ${firstVersion} is live again.`)).toBeVisible();
    await expect(page.getByTestId("timeline").getByRole("listitem").first()).toContainText(`v${firstVersion}`);
    await page.goto("/");
    await expect(page.getByTestId("deployed-model")).toContainText(`v${firstVersion}`);
  });

  test("a new file arrives; run now and watch every step until the reason", async ({ page }) => {
    test.setTimeout(120_000);
    // What cron would see: a new, shifted batch in the source folder.
    fs.copyFileSync(path.join(ROOT, "data/samples/new_batch_shifted.csv"), path.join(SOURCE_DIR, "clients_2024-11_shifted.csv"));
    await page.goto("/runs");
    await confirmAction(page, "Run now", "Start run");
    const live = page.getByTestId("live-run");
    await expect(live).toBeVisible();
    await expect(live.getByRole("listitem").first()).toContainText("ingest", { timeout: 60_000 });
    await expect(page.getByTestId("live-run-reason")).toBeVisible({ timeout: 90_000 });
    await expect(live).toContainText(/redeployed|gate-rejected|no-drift/);
    // the history lists it with its outcome and reason
    const table = page.getByTestId("runs-table");
    await expect(table.getByRole("row").nth(1)).toContainText(/redeployed|gate-rejected|no-drift/);

    // A second run with nothing new: "no-new-data", with its reason
    await confirmAction(page, "Run now", "Start run");
    await expect(page.getByTestId("live-run")).toContainText("no-new-data", { timeout: 60_000 });
    await expect(page.getByTestId("live-run-reason")).toContainText(/no new/i);
  });

  test("every page draws its charts with data (screenshots at 1280 and 390 px)", async ({ page }) => {
    test.setTimeout(150_000);
    const crashes: string[] = [];
    page.on("pageerror", (e) => crashes.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && /hydrat/i.test(m.text())) crashes.push(m.text());
    });
    await page.goto("/");
    await expectChartMarks(page, "chart-overview-scores", "line");
    await screenshotBoth(page, "overview");

    await page.goto("/scores");
    await expectChartMarks(page, "chart-scores", "line");
    await expect(page.getByTestId("chart-scores").locator(".recharts-reference-area-rect")).toHaveCount(1);
    await screenshotBoth(page, "scores");

    await page.goto("/drift");
    await expect(page.getByTestId("drift-table").getByRole("row")).not.toHaveCount(1);
    await expect(page.getByTestId("decision")).toContainText(/Retrain: (triggered|not triggered)/);
    await expectChartMarks(page, "chart-ks", "bar", 3);
    await expectChartMarks(page, "chart-psi", "bar", 3);
    await expectChartMarks(page, "chart-hist-lastmonth_activity", "bar", 4);
    await screenshotBoth(page, "drift");

    await page.goto("/data");
    await expectChartMarks(page, "chart-missing", "bar", 3);
    await expectChartMarks(page, "chart-stability", "line", 3);
    await screenshotBoth(page, "data");

    await page.goto("/models");
    await expectChartMarks(page, "chart-f1-versions", "bar", 2);
    await expect(page.getByTestId("confusion").locator(".heat-cell rect")).toHaveCount(4);
    // two versions side by side: ROC (+ the diagonal), PR and calibration curves, threshold charts, metrics, coefficients
    await expectChartMarks(page, "chart-roc", "line", 3);
    await expectChartMarks(page, "chart-pr", "line", 2);
    await expectChartMarks(page, "chart-calibration", "line", 3);
    await expectChartMarks(page, "chart-calibration", "dot", 10);
    await expect(page.locator('[data-testid^="chart-threshold-"]')).toHaveCount(2);
    for (const chart of await page.locator('[data-testid^="chart-threshold-"]').all()) {
      await expect.poll(() => chart.locator(".recharts-line-curve").count()).toBeGreaterThanOrEqual(3);
    }
    await expect(page.getByTestId("ranking-metrics").locator("thead th")).toHaveCount(3);
    await expect(page.getByTestId("ranking-metrics")).toContainText("ROC AUC");
    await expect(page.getByTestId("coefficients-standardised").locator("tbody tr")).toHaveCount(4);
    await expect(page.getByTestId("coefficients-original")).toContainText("lastmonth_activity");
    await screenshotBoth(page, "models");
    // pick another version to compare with the deployed one
    const picker = page.getByTestId("compare-picker");
    const choices = await picker.locator("option").allTextContents();
    await picker.getByRole("combobox").selectOption({ label: choices[choices.length - 1] });
    await picker.getByRole("button", { name: "Compare" }).click();
    await expect(page).toHaveURL(new RegExp(`version=${choices[choices.length - 1].slice(1)}`));
    await expect(page.getByTestId("ranking-metrics").locator("thead th").nth(2)).toHaveText(choices[choices.length - 1]);
    await expectChartMarks(page, "chart-roc", "line", 3);

    await page.goto("/diagnostics");
    await expectChartMarks(page, "chart-latency", "scatter", 3);
    await expect(page.getByTestId("chart-latency").locator(".recharts-scatter-line, .recharts-curve").first()).toBeAttached();
    await expectChartMarks(page, "chart-percentiles", "bar", 2);
    await screenshotBoth(page, "diagnostics");

    await page.goto("/predict");
    await page.getByLabel(/CSV file with a header: corporation/).setInputFiles(path.join(ROOT, "data/testdata/testdata.csv"));
    await page.getByRole("button", { name: "Score file" }).click();
    await expect(page.getByTestId("predict-score")).toContainText("F1");
    await expectChartMarks(page, "chart-risk", "bar", 10);
    const probs = await page.getByTestId("predictions-table").locator("tbody tr td:nth-child(3)").allInnerTexts();
    const values = probs.slice(0, 20).map((t) => parseFloat(t));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    const file = await (await download).path();
    expect(fs.readFileSync(file, "utf8").split("\n")[0]).toBe("rank,corporation,probability,predicted_exited,input_row");
    // one client typed in by hand
    // the form is built from the schema: one input per column, labelled with its name (no label input)
    const one = page.getByTestId("score-one-form");
    await expect(one.getByRole("textbox")).toHaveCount(1);
    await expect(one.getByRole("spinbutton")).toHaveCount(3);
    await one.getByLabel("corporation", { exact: true }).fill("acme-corp");
    await one.getByLabel("lastmonth_activity", { exact: true }).fill("3");
    await one.getByLabel("lastyear_activity", { exact: true }).fill("150");
    await one.getByLabel("number_of_employees", { exact: true }).fill("900");
    await page.getByRole("button", { name: "Score client" }).click();
    await expect(page.getByTestId("predictions")).toContainText("client acme-corp");
    await expect(page.getByTestId("predictions-table").locator("tbody tr")).toHaveCount(1);
    // why, in words (POST /api/prediction?explain=1)
    await expect(page.getByTestId("prediction-reasons").locator("li")).toHaveCount(3);
    await expect(page.getByTestId("prediction-reasons")).toContainText(/(last month's activity|lastmonth_activity) [\d.]+ SD (below|above) the average: [+-][\d.]+ to the log-odds/);
    await page.getByLabel(/CSV file with a header: corporation/).setInputFiles(path.join(ROOT, "data/testdata/testdata.csv"));
    await page.getByRole("button", { name: "Score file" }).click();
    await expect(page.getByTestId("predictions-table").locator("tbody tr")).toHaveCount(500);
    await screenshotBoth(page, "predict");

    await page.goto("/runs");
    await expectChartMarks(page, "chart-run-steps", "bar", 3);
    await screenshotBoth(page, "runs");

    await page.getByTestId("runs-table").getByRole("link").last().click();
    await expect(page.getByRole("heading", { name: /Run #\d+/ })).toBeVisible();
    await expectChartMarks(page, "chart-run-detail", "bar", 1);
    await expect(page.getByTestId("run-reason")).not.toBeEmpty();
    await screenshotBoth(page, "run-detail");
    expect(crashes, "no uncaught errors or hydration mismatches in the browser").toEqual([]);
  });
});
