import { expect, test } from "@playwright/test";

/*
 * The token prompt's edge cases, with a token-protected server simulated at the network edge
 * (/api/session says a token is required; the action answers 401 until signed in): a wrong
 * token is refused inside the prompt, a second action does not ask again, and cancelling the
 * prompt cancels the action.
 * The real token-protected server is exercised by admin-server.spec.ts (project "admin").
 */
test("simulated token server: a wrong token is refused in place, the right one signs in, no second prompt", async ({ page }) => {
  let signedIn = false;
  let trainCalls = 0;
  await page.route("**/api/session", async (route) => {
    const req = route.request();
    if (req.method() === "GET") return route.fulfill({ json: { authRequired: true, authenticated: signedIn } });
    const { token } = req.postDataJSON() as { token: string };
    if (token !== "correct-horse-battery") {
      return route.fulfill({ status: 401, json: { error: { code: "unauthorized:token", message: "That token is wrong." } } });
    }
    signedIn = true;
    return route.fulfill({ json: { authRequired: true, authenticated: true } });
  });
  await page.route("**/api/train", (route) => {
    trainCalls++;
    if (!signedIn) return route.fulfill({ status: 401, json: { error: { code: "unauthorized:token", message: "token needed" } } });
    return route.fulfill({
      status: 201,
      json: { model: { id: 99, version: 99, f1: 0.7777, trainedRows: 1234, createdAt: new Date().toISOString(), trainingMs: 5, algorithm: "logistic-regression", hyperParameters: {}, deployed: false, threshold: 0.5, thresholdRule: "fixed", ranking: null, coefficients: null, precision: 0.7, recall: 0.8, accuracy: 0.9, scoredOn: { id: 1, name: "testdata.csv" } } },
    });
  });

  // read-only pages work without a token
  await page.goto("/models");
  await expect(page.getByTestId("models-table")).toBeVisible();

  await page.getByRole("button", { name: "Train now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Train" }).click();
  const prompt = page.getByRole("dialog", { name: "Admin token needed" });
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Admin token").fill("wrong-token");
  await prompt.getByRole("button", { name: "Sign in" }).click();
  await expect(prompt.getByRole("alert")).toContainText("not right");
  await prompt.getByLabel("Admin token").fill("correct-horse-battery");
  await prompt.getByRole("button", { name: "Sign in" }).click();
  await expect(prompt).toBeHidden();
  await expect(page.getByText("Trained version 99: F1 0.778 at threshold 0.500 on 1,234 rows (not deployed).")).toBeVisible();
  expect(trainCalls).toBe(1);

  // a second action does not ask again
  await page.getByRole("button", { name: "Train now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Train" }).click();
  await expect(page.getByRole("dialog", { name: "Admin token needed" })).toBeHidden();
  await expect.poll(() => trainCalls).toBe(2);
});

test("cancelling the token prompt cancels the action and says why", async ({ page }) => {
  await page.route("**/api/session", (route) => route.fulfill({ json: { authRequired: true, authenticated: false } }));
  await page.goto("/runs");
  await page.getByRole("button", { name: "Run now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Start run" }).click();
  const prompt = page.getByRole("dialog", { name: "Admin token needed" });
  await expect(prompt).toBeVisible();
  await prompt.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Cancelled: the admin token is needed for this action.")).toBeVisible();
});
