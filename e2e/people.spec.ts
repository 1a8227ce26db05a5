import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ROOT, confirmAction, screenshotBoth } from "./helpers";

/*
 * People and roles, as a newcomer meets them (project "people": a server of its own on a fresh
 * database, started open like any first start). The first admin comes from the CLI; from then on
 * every page needs a sign-in. The admin adds an operator and a viewer on the People page; the
 * viewer reads but cannot train (the button says why, and the API answers 403); the operator
 * deploys, and the timeline and the audit trail name them; an API key works until it is revoked.
 */

const DATABASE_URL = "file:./tmp/e2e-people/app.db";
const SHOTS = path.join(ROOT, "e2e", "screenshots");
const README_SHOTS = path.join(ROOT, "public", "screenshots");

const PASSWORDS = { admin1: "blue-harbour-lantern-7", olivia: "quiet-copper-meadow-3", victor: "amber-tides-on-slate-9" };

/**
 * A screenshot in e2e/screenshots/ (git-ignored), and with `readme` also in public/screenshots/ for
 * the README — only when E2E_README_SHOTS=1, so that a test run leaves the tracked pictures alone.
 */
async function shot(page: Page, name: string, { readme, fullPage = true }: { readme?: string; fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `people-${name}.png`), fullPage });
  if (readme && process.env.E2E_README_SHOTS === "1") await page.screenshot({ path: path.join(README_SHOTS, readme), fullPage });
}

/** Sign in on /signin (`path`: with its ?next=); with `newPassword`, through the "choose your password" step of a one-time password. */
async function signIn(page: Page, name: string, password: string, { newPassword, path: at = "/signin", onChoose }: { newPassword?: string; path?: string; onChoose?: () => Promise<void> } = {}): Promise<void> {
  if (!page.url().includes(at)) await page.goto(at);
  const form = page.getByTestId("signin-form");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
  if (newPassword) {
    await expect(form.getByRole("heading", { name: "Choose your password" })).toBeVisible();
    await expect(form.getByText("at least 12 characters")).toBeVisible();
    await form.getByLabel("New password", { exact: true }).fill(newPassword);
    await form.getByLabel("Repeat the new password").fill(newPassword);
    await onChoose?.();
    await form.getByRole("button", { name: "Save password and sign in" }).click();
  }
  await expect(page).not.toHaveURL(/\/signin/);
  await expect(page.getByTestId("nav-session")).toContainText(name);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByTestId("signin-form")).toBeVisible();
}

/** Add a user on the People page; their one-time password, read from the page. */
async function addUser(page: Page, name: string, role: "viewer" | "operator"): Promise<string> {
  const form = page.getByTestId("add-user");
  await form.getByLabel("Name of the new user").fill(name);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Add user" }).click();
  const box = page.getByTestId("one-time-password");
  await expect(box).toContainText(`for ${name}`);
  await expect(page.getByTestId(`user-${name}`)).toContainText("one-time password");
  return (await box.getByTestId("one-time-password-value").textContent())!.trim();
}

test("people and roles: the first admin from the CLI, sign-in, roles in the UI and the API, audit, API keys", async ({ page, request, playwright, baseURL }) => {
  test.setTimeout(240_000);

  await test.step("a first start is open, and the Overview says so", async () => {
    await page.goto("/");
    const banner = page.getByTestId("open-banner");
    await expect(banner).toBeVisible();
    await expect(banner).toContainText("This server is open: anyone who can reach it can read and change everything.");
    await expect(banner).toContainText("npm run users -- add NAME --role admin");
    // an open server's visitor may do anything, the People page included
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toBeVisible();
    await shot(page, "open-overview", { fullPage: false });
  });

  const oneTime = await test.step("the first admin, added with the CLI", async () => {
    const out = execSync("npm run -s users -- add admin1 --role admin", { cwd: ROOT, env: { ...process.env, DATABASE_URL }, encoding: "utf8" });
    const password = /one-time password: (\S+)/.exec(out)?.[1];
    expect(password, out).toBeTruthy();
    // the server sees the new user within a second
    await expect.poll(async () => (await (await request.get("/api/session")).json()).mode).toBe("users");
    return password!;
  });

  await test.step("now nobody anonymous reads anything: pages go to /signin, the API answers 401", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/models?version=2");
    await expect(page).toHaveURL(/\/signin\?next=%2Fmodels%3Fversion%3D2$/);
    await expect(page.getByTestId("open-banner")).toHaveCount(0);
    const scores = await request.get("/api/scores");
    expect(scores.status()).toBe(401);
    expect((await scores.json()).error.code).toBe("unauthorized:sign_in");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toHaveCount(0);
  });

  await test.step("admin1 signs in: a wrong password is said in place; the one-time password is replaced", async () => {
    await page.goto("/signin?next=/admin");
    const form = page.getByTestId("signin-form");
    await form.getByLabel("Name").fill("admin1");
    await form.getByLabel("Password", { exact: true }).fill("not-the-password");
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect(form.getByRole("alert")).toContainText("The name or the password is wrong");
    await shot(page, "signin-wrong", { fullPage: false });
    // a new password that breaks the rules is refused before it is sent
    await form.getByLabel("Password", { exact: true }).fill(oneTime);
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect(form.getByRole("heading", { name: "Choose your password" })).toBeVisible();
    await form.getByLabel("New password", { exact: true }).fill("short");
    await form.getByLabel("Repeat the new password").fill("short");
    await form.getByRole("button", { name: "Save password and sign in" }).click();
    await expect(form.getByRole("alert")).toContainText("at least 12 characters");
    await form.getByLabel("New password", { exact: true }).fill(PASSWORDS.admin1);
    await form.getByLabel("Repeat the new password").fill(PASSWORDS.admin1);
    await form.getByRole("button", { name: "Save password and sign in" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(page.getByTestId("nav-session")).toContainText("admin1");
    await expect(page.getByTestId("nav-session").locator(".nav-role")).toHaveText("admin");
    await expect(nav.getByRole("link", { name: "People" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit" })).toBeVisible();
  });

  const passwords = await test.step("on the People page, admin1 adds an operator and a viewer", async () => {
    await expect(page.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
    await expect(page.getByTestId("user-admin1")).toContainText("active");
    const olivia = await addUser(page, "olivia", "operator");
    const victor = await addUser(page, "victor", "viewer");
    expect(olivia).not.toBe(victor);
    return { olivia, victor };
  });

  const key = await test.step("an API key for the viewer, shown once", async () => {
    const form = page.getByTestId("new-key-form");
    await form.getByLabel("User").selectOption({ label: "victor (viewer)" });
    await form.getByLabel("Key name (what it is for)").fill("nightly-export");
    // a viewer's key can be a viewer's only
    await expect(form.getByLabel("Key role").locator("option")).toHaveText(["viewer"]);
    await form.getByRole("button", { name: "Create key" }).click();
    const box = page.getByTestId("new-key");
    await expect(box).toContainText("nightly-export");
    await expect(page.getByTestId("key-nightly-export")).toContainText("active");
    const value = (await box.getByTestId("new-key-value").textContent())!.trim();
    await shot(page, "admin", { readme: "people-admin.png" });
    return value;
  });

  await test.step("the key reads the API as its viewer", async () => {
    const res = await request.get("/api/scores", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(200);
    const train = await request.post("/api/train", { headers: { authorization: `Bearer ${key}` }, data: {} });
    expect(train.status()).toBe(403);
  });

  await test.step("the viewer signs in: reads the Overview and the Models page, cannot train", async () => {
    await signOut(page);
    await signIn(page, "victor", passwords.victor, {
      newPassword: PASSWORDS.victor,
      onChoose: async () => shot(page, "signin", { readme: "signin.png", fullPage: false }),
    });
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId("deployed-model")).toContainText(/v\d+/);
    await expect(page.getByTestId("nav-session").locator(".nav-role")).toHaveText("viewer");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toHaveCount(0);

    await page.goto("/models");
    await expect(page.getByTestId("models-table")).toBeVisible();
    const train = page.getByTestId("train-now");
    await expect(train).toBeDisabled();
    await expect(train).toHaveAccessibleDescription("Needs the operator role; you are a viewer.");
    await expect(page.getByText("Needs the operator role; you are a viewer.").first()).toBeVisible();
    await expect(page.locator('[data-testid^="deploy-"]').first()).toBeDisabled();
    await shot(page, "viewer-models");

    // the server refuses it too, whatever the page shows
    const status = await page.evaluate(async () => (await fetch("/api/train", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status);
    expect(status).toBe(403);

    // the admin's pages say what they need
    await page.goto("/admin");
    await expect(page.getByTestId("needs-admin")).toContainText("This page needs the admin role");
  });

  await test.step("the operator signs in and deploys a version; the timeline names them", async () => {
    await signOut(page);
    await signIn(page, "olivia", passwords.olivia, { newPassword: PASSWORDS.olivia, path: "/signin?next=/models" });
    await expect(page).toHaveURL(/\/models$/);
    const deploy = page.locator('[data-testid^="deploy-"]').first();
    await expect(deploy).toBeEnabled();
    const version = (await deploy.getAttribute("data-testid"))!.replace("deploy-", "");
    await deploy.click();
    await page.getByRole("dialog").getByRole("button", { name: `Deploy v${version}` }).click();
    await expect(page.getByTestId("models-notice")).toContainText(`version ${version} is live`);
    const live = page.getByTestId("timeline").locator("li").first();
    await expect(live).toContainText(`v${version}`);
    await expect(live.getByTestId("deployed-by")).toHaveText("by olivia");
    await shot(page, "operator-timeline");
  });

  await test.step("the admin reads the deploy in the audit trail, and revokes the key", async () => {
    await signOut(page);
    await signIn(page, "admin1", PASSWORDS.admin1, { path: "/signin?next=/audit" });
    await expect(page).toHaveURL(/\/audit$/);
    const deployEvent = page.getByTestId("audit-table").locator("tr", { hasText: "olivia" }).filter({ has: page.locator("td", { hasText: /^deploy$/ }) });
    await expect(deployEvent.first()).toBeVisible();
    // the wrong password earlier was refused, and says so in red
    await expect(page.getByTestId("audit-table").locator("tr.refused", { hasText: "sign-in" }).first()).toBeVisible();
    await screenshotBoth(page, "people-audit");

    await page.goto("/admin");
    await confirmAction(page, "Revoke", "Revoke", page.getByTestId("key-nightly-export"));
    await expect(page.getByTestId("key-nightly-export")).toContainText("revoked");
    await screenshotBoth(page, "people-admin");
    const res = await request.get("/api/scores", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized:key");
  });

  // a browser with no cookie at all still gets nothing (the request fixture above carried none either)
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get("/api/runs")).status()).toBe(401);
  await anonymous.dispose();

  // last: it leaves this client throttled for a minute
  await test.step("a guesser is slowed down, and the page says for how long", async () => {
    await signOut(page);
    const form = page.getByTestId("signin-form");
    await form.getByLabel("Name").fill("mallory");
    let said = "";
    for (let i = 0; i < 10 && !/try again in \d+ s/.test(said); i++) {
      await form.getByLabel("Password", { exact: true }).fill(`guess-${i}`);
      await form.getByRole("button", { name: "Sign in" }).click();
      await expect(form.getByRole("button", { name: "Sign in" })).toBeEnabled();
      said = (await form.getByRole("alert").textContent()) ?? "";
    }
    expect(said).toMatch(/Too many wrong credentials from this client; try again in \d+ s/);
  });
});
