import { expect, test } from "@playwright/test";

/*
 * /diagnostics is both a classic JSON path (API.md: answers like /api/diagnostics) and the
 * dashboard's Diagnostics page. next.config.js routes by what the client asks for.
 */
test("/diagnostics: JSON for API clients, the page for browsers (direct load and in-app navigation)", async ({ page, request }) => {
  const api = await request.get("/diagnostics", { headers: { accept: "application/json" } });
  expect(api.headers()["content-type"]).toContain("application/json");
  expect(await api.json()).toHaveProperty("dependencies");
  const bare = await request.get("/diagnostics", { headers: { accept: "*/*" } });
  expect(bare.headers()["content-type"]).toContain("application/json");

  await page.goto("/diagnostics");
  await expect(page.getByRole("heading", { name: "Diagnostics", level: 1 })).toBeVisible();
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Diagnostics" }).click();
  await expect(page.getByRole("heading", { name: "Diagnostics", level: 1 })).toBeVisible();
  await expect(page.getByTestId("chart-latency")).toBeVisible();
});
