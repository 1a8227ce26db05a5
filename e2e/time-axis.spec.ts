import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { ROOT, expectChartMarks } from "./helpers";

/*
 * Time on the x-axis (issue 18): on the demo (ten monthly files, Jan–Oct 2024, each row carrying
 * its month), the Scores chart is plotted against the period of data each score is about and
 * labelled by month, and the Drift page draws one small chart per feature over the checks'
 * periods. Order-independent: the months expected are read from the API, since other specs add
 * data (uploads without a time column are about when they arrived).
 */

const MONTH = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;
const DEMO_MONTH = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct) 2024$/;
// recharts 3 draws tick labels in a layer of their own: .recharts-xAxis-tick-labels, not under .recharts-xAxis
const X_TICKS = ".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value";
const shot = (name: string) => path.join(ROOT, "test-results", `time-axis-${name}.png`);

/** The x-axis tick labels a chart card drew, left to right. */
async function xTickLabels(card: Locator): Promise<string[]> {
  const ticks = card.locator(X_TICKS);
  await expect.poll(() => ticks.count(), { message: "the x axis drew tick labels" }).toBeGreaterThan(1);
  return (await ticks.allTextContents()).map((t) => t.trim()).filter((t) => t !== "");
}

/** No two tick labels of the x axis overlap (each label's box against its right neighbour's). */
async function expectTicksApart(card: Locator): Promise<void> {
  const boxes = await card.locator(X_TICKS).evaluateAll((els) =>
    els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })).sort((a, b) => a.left - b.left),
  );
  for (let i = 1; i < boxes.length; i++) expect(boxes[i].left, `tick label ${i + 1} starts after label ${i} ends`).toBeGreaterThanOrEqual(boxes[i - 1].right);
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
}

test.describe("time on the x-axis", () => {
  // a chart that throws while drawing leaves an empty frame: fail on any page error, and say which
  const pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors.length = 0;
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
    });
  });
  test.afterEach(() => {
    expect(pageErrors, "no errors in the page").toEqual([]);
  });

  test("the Scores chart is plotted against the months of the demo data, and its tooltip names the period, rows and run", async ({ page, request }) => {
    const scores = (await (await request.get("/api/scores?limit=500")).json()).scores as { kind: string; runId: number | null; periodEnd: string | null }[];
    const runs = (await (await request.get("/api/runs?limit=500")).json()).runs as { id: number; periodEnd: string | null }[];
    expect(scores.length, "the demo replay recorded scores").toBeGreaterThan(1);
    expect(scores.every((s) => s.periodEnd !== null), "every score of the demo says which period of data it is about").toBe(true);
    // where the chart puts each score: a run's test score at its run's period (the hold-out has no month of its own)
    const runEnd = new Map(runs.map((r) => [r.id, r.periodEnd]));
    const placedEnd = (s: (typeof scores)[number]) => (s.kind === "test" && s.runId != null && runEnd.get(s.runId) ? runEnd.get(s.runId) : s.periodEnd) as string;
    // other specs add data of their own months (or none: then when it arrived); on the demo alone every score is of Jan–Oct 2024
    const onlyDemoMonths = scores.every((s) => placedEnd(s).startsWith("2024-"));

    await page.goto("/scores");
    await expectChartMarks(page, "chart-scores", "dot", 2);
    const card = page.getByTestId("chart-scores");
    await settle(page);
    await page.screenshot({ path: shot("scores-page"), fullPage: true });
    const labels = await xTickLabels(card);
    for (const label of labels) expect(label, "a tick is a month label").toMatch(MONTH);
    const demo = labels.filter((l) => DEMO_MONTH.test(l));
    expect(labels[0], "the first run's test score opens the history").toBe("Jan 2024");
    if (onlyDemoMonths) {
      expect(labels, "on the demo alone every tick is a month of Jan–Oct 2024").toEqual(demo);
      expect(demo.length, "the demo's months label the axis (every one, at 1280 px)").toBe(10);
    } else {
      // a later month far off (an upload without a month is about when it arrived) crowds 2024 to the left: fewer labels, never overlapping
      expect(demo.length, "the demo's months label the axis").toBeGreaterThanOrEqual(2);
    }
    expect(new Set(labels).size, "one tick per month").toBe(labels.length);
    await expect(card.getByText(/^period \(end of the data, by month\)$/)).toBeVisible();
    await expectTicksApart(card);

    await card.locator(".recharts-line-dot").last().hover();
    const tooltip = card.locator(".tooltip");
    await expect(tooltip).toContainText(/data of (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
    await expect(tooltip).toContainText(/\d+ rows · (run #\d+|no run)/);
    await expect(tooltip).toContainText(/model v\d+/);
    await card.screenshot({ path: shot("scores-tooltip") });
  });

  test("the Overview's compact F1 history is on the same month axis, its labels apart", async ({ page }) => {
    await page.goto("/");
    await expectChartMarks(page, "chart-overview-scores", "dot", 2);
    const card = page.getByTestId("chart-overview-scores");
    await settle(page);
    await card.screenshot({ path: shot("overview") });
    for (const label of await xTickLabels(card)) expect(label).toMatch(MONTH);
    await expectTicksApart(card);
  });

  test("the Drift page draws one small chart per feature over the checks' periods", async ({ page, request }) => {
    const checks = (await (await request.get("/api/drift")).json()).checks as { features: Record<string, unknown> }[];
    const features = new Set(checks.flatMap((c) => Object.keys(c.features)));
    expect(features.size, "the demo's drift checks compared features").toBeGreaterThan(0);

    await page.goto("/drift");
    const card = page.getByTestId("chart-drift-history");
    await expect(card).toBeVisible();
    await settle(page);
    await card.screenshot({ path: shot("drift") });
    await expect(card.getByTestId("chart-drift-history-empty")).toHaveCount(0);
    const multiples = card.locator('[data-testid^="drift-history-"]');
    await expect(multiples).toHaveCount(features.size);
    for (const name of features) {
      const multiple = card.getByTestId(`drift-history-${name}`);
      await expect(multiple.locator(".recharts-line-curve"), `${name}: its two statistics are drawn`).toHaveCount(2);
      for (const label of await xTickLabels(multiple)) expect(label).toMatch(MONTH);
      await expectTicksApart(multiple);
    }
    // the hard-drifting last month is marked on some feature
    await expect(card.locator('circle[data-drifted="true"]').first()).toBeVisible();
    // on a phone the small charts stack, one a row, their labels still apart
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(400);
    for (const name of features) await expectTicksApart(card.getByTestId(`drift-history-${name}`));
    await card.screenshot({ path: shot("drift-phone") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("the Runs page's time per step is labelled by the period of each run's data", async ({ page }) => {
    await page.goto("/runs");
    await expectChartMarks(page, "chart-run-steps", "bar", 1);
    const card = page.getByTestId("chart-run-steps");
    await settle(page);
    await card.screenshot({ path: shot("runs") });
    const labels = await xTickLabels(card);
    // by month when every recent run was about data; by run # when one found nothing new (a later spec's run)
    for (const label of labels) expect(label).toMatch(/^((Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}( #\d+)?|#\d+)$/);
  });
});
