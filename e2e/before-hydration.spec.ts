import { expect, test, type Page } from "@playwright/test";

/*
 * A file picked before the page's scripts have run fires no React change event. The forms adopt
 * such a file when they mount, so a user on a slow connection (or a fast test) does not lose it.
 * The page's scripts (not its styles) are held back until the file is picked.
 */

async function holdScripts(page: Page): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_next\/static\/chunks\/.*\.js(\?.*)?$/, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

const csv = { name: "picked-early.csv", mimeType: "text/csv", buffer: Buffer.from("corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited\nearly-1,1,2,3,0\n") };

test("Data: a CSV picked before the page has loaded is kept for the upload", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/data", { waitUntil: "commit" });
  await page.getByLabel(/CSV files, labelled, with a header: corporation/).setInputFiles(csv);
  await expect(page.getByRole("button", { name: "Upload" })).toBeDisabled();
  release();
  await expect(page.getByRole("button", { name: "Upload" })).toBeEnabled();
  await expect(page.getByText("picked-early.csv")).toBeVisible();
});

test("Predict: a CSV picked before the page has loaded is kept for scoring", async ({ page }) => {
  const release = await holdScripts(page);
  await page.goto("/predict", { waitUntil: "commit" });
  await page.getByLabel(/CSV file with a header: corporation/).setInputFiles(csv);
  release();
  await expect(page.getByRole("button", { name: "Score file" })).toBeEnabled();
});
