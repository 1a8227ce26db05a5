import { expect, test } from "@playwright/test";

/*
 * The Diagnostics page's buttons. The real calls are slow or need the network (npm registry,
 * several training rounds), so the POSTs are answered at the network edge; the point here is
 * the UI: confirmation dialog, busy state, result, and the refreshed reads afterwards.
 */
test("check now and the timing check ask first, then report their result", async ({ page }) => {
  let refreshed = 0;
  await page.route("**/api/diagnostics/dependencies", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({ json: { dependencies: [], checkedAt: new Date().toISOString() } })
      : route.continue(),
  );
  await page.route("**/api/diagnostics/timing-check", (route) => route.fulfill({ json: { timingCheck: { iterations: 3 } } }));
  await page.route("**/api/diagnostics", (route) => {
    refreshed++;
    return route.continue();
  });
  await page.goto("/diagnostics");
  await expect(page.getByTestId("dependencies")).toBeVisible();

  await page.getByRole("button", { name: "Check now" }).click();
  const dialog = page.getByRole("dialog", { name: "Check the dependencies now?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Check now" }).click();
  await dialog.getByRole("button", { name: "Check" }).click();
  await expect(page.getByText("Checked.")).toBeVisible();

  const before = refreshed;
  await page.getByRole("button", { name: "Run timing check" }).click();
  await page.getByRole("dialog", { name: "Run a timing check?" }).getByRole("button", { name: "Run check" }).click();
  await expect(page.getByText("Timing check recorded.")).toBeVisible();
  await expect.poll(() => refreshed).toBeGreaterThan(before);
});

test("keyboard: a confirmation dialog opens with Enter, closes with Escape, and focus returns", async ({ page }) => {
  await page.goto("/models");
  const train = page.getByRole("button", { name: "Train now" });
  await train.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Train a new model version?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Train" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(train).toBeFocused();
});
