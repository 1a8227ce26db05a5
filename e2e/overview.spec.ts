import { expect, test } from "@playwright/test";

test("the overview shows the deployed model and its F1 on the test data", async ({ page, request }) => {
  const scoring = await (await request.get("/api/scoring")).json();
  expect(scoring.f1).toBeGreaterThan(0.5);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("deployed-model")).toContainText(`v${scoring.modelVersion}`);
  await expect(page.getByTestId("deployed-f1")).toHaveText(scoring.f1.toFixed(3));
  // the ledger lists the three demo source files and the test file
  for (const name of ["clients_2024q1.csv", "clients_2024q2.csv", "clients_2024q3.csv", "testdata.csv"]) {
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: "e2e/screenshots/overview-desktop.png", fullPage: true });
});
