import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "../playwright.config";

/*
 * Against the second server, started with ADMIN_TOKEN (project "admin" in playwright.config.ts):
 * reading needs nothing; the first action asks for the token once, the server sets an httpOnly
 * session cookie, and later actions go through without asking again.
 */
test("ADMIN_TOKEN: read freely, sign in once for actions, the session cookie is httpOnly", async ({ page, request, context }) => {
  // the API itself refuses a POST without the token
  expect((await request.post("/api/train")).status()).toBe(401);

  // first start replayed the demo months: some version is live, the next training makes the next one
  const models = (await (await request.get("/api/models")).json()).models as { version: number; deployed: boolean }[];
  const live = models.find((m) => m.deployed)!.version;
  const next = Math.max(...models.map((m) => m.version)) + 1;
  await page.goto("/models");
  await expect(page.getByTestId("models-table")).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("deployed-model")).toContainText(`v${live}`);

  await page.goto("/models");
  await page.getByRole("button", { name: "Train now" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Train" }).click();
  const prompt = page.getByRole("dialog", { name: "Admin token needed" });
  await expect(prompt).toBeVisible();
  await prompt.getByLabel("Admin token").fill("not-the-token");
  await prompt.getByRole("button", { name: "Sign in" }).click();
  await expect(prompt.getByRole("alert")).toContainText("not right");
  await prompt.getByLabel("Admin token").fill(E2E_ADMIN_TOKEN);
  await prompt.getByRole("button", { name: "Sign in" }).click();
  await expect(prompt).toBeHidden();
  await expect(page.getByText(new RegExp(`Trained version ${next}: F1`))).toBeVisible({ timeout: 45_000 });

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "dra_session");
  expect(session, "the session cookie is set").toBeTruthy();
  expect(session?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain("dra_session");

  // a second action in the same browser does not ask again
  await page.getByTestId(`deploy-${next}`).click();
  await page.getByRole("dialog").getByRole("button", { name: `Deploy v${next}` }).click();
  await expect(page.getByTestId("models-notice")).toContainText(`version ${next} is live`);
  await expect(page.getByRole("dialog", { name: "Admin token needed" })).toBeHidden();
});

// Last in this file: it leaves this client throttled for a minute.
test("wrong tokens are throttled per client; a made-up X-Forwarded-For does not make a new client", async ({ request }) => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const res = await request.post("/api/train", { headers: { authorization: "Bearer wrong-token-guess", "x-forwarded-for": `203.0.113.${i}` } });
    statuses.push(res.status());
    if (res.status() === 429) {
      expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
      expect((await res.json()).error.code).toBe("too_many_requests:token");
    }
  }
  // at most five wrong tokens (the sign-in above may have used one) are answered 401; then this
  // client — the peer address, whatever the header says — waits
  const firstThrottled = statuses.indexOf(429);
  expect(firstThrottled, statuses.join(",")).toBeGreaterThanOrEqual(4);
  expect(firstThrottled, statuses.join(",")).toBeLessThanOrEqual(5);
  expect(statuses.slice(0, firstThrottled).every((s) => s === 401) && statuses.slice(firstThrottled).every((s) => s === 429), statuses.join(",")).toBe(true);
});
