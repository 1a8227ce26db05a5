import { expect, test } from "@playwright/test";

/*
 * Every page and API response carries the security headers of next.config.js, none says which
 * framework serves it, and the pages still work under the Content-Security-Policy (a blocked
 * script would leave the page without its charts, and the browser reports the violation).
 */
test("security headers on pages and API responses; no CSP violation while the pages run", async ({ page, request }) => {
  for (const path of ["/", "/models", "/api/health", "/api/models", "/api/openapi.json", "/favicon.ico"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("same-origin");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
  // the browser's first request for any page: the icon in public/, not a 404
  const icon = await request.get("/favicon.ico");
  expect(icon.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect((await icon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  // predictions are served by the same route handler outside Next's router (scripts/serve.ts): same headers
  const prediction = await request.post("/api/prediction", { data: { rows: [{ corporation: "h", lastmonth_activity: 1, lastyear_activity: 2, number_of_employees: 3 }] } });
  expect(prediction.status()).toBe(200);
  expect(prediction.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(prediction.headers()["x-content-type-options"]).toBe("nosniff");
  expect(prediction.headers()["x-powered-by"]).toBeUndefined();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
  });
  for (const path of ["/", "/scores", "/drift", "/data", "/models", "/diagnostics", "/predict", "/runs"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
  }
  await page.goto("/scores");
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  expect(violations).toEqual([]);
});

test("a method a route does not take: JSON 405 with Allow", async ({ request }) => {
  const put = await request.fetch("/api/health", { method: "PUT" });
  expect(put.status()).toBe(405);
  expect(put.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect(await put.json()).toMatchObject({ error: { code: "method_not_allowed:method" } });
  const del = await request.fetch("/summarystats", { method: "DELETE" });
  expect(del.status()).toBe(405);
  expect(del.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  // the upload and prediction paths too (nothing in front of them reads their bodies)
  for (const url of ["/api/prediction", "/prediction", "/api/ingest"]) {
    const res = await request.fetch(url, { method: "PUT" });
    expect(res.status(), url).toBe(405);
    expect(res.headers()["allow"], url).toBe("POST, OPTIONS");
    expect(await res.json(), url).toMatchObject({ error: { code: "method_not_allowed:method" } });
  }
  // TRACE and made-up methods, on API routes and pages alike, with the security headers
  for (const [method, url] of [["TRACE", "/api/health"], ["TRACE", "/"], ["BREW", "/models"]]) {
    const res = await request.fetch(url, { method });
    expect(res.status(), `${method} ${url}`).toBe(405);
    expect(res.headers()["x-content-type-options"], `${method} ${url}`).toBe("nosniff");
    expect((await res.json()).error.code, `${method} ${url}`).toBe("method_not_allowed:method");
  }
  // allowed methods still reach the routes
  expect((await request.get("/api/health")).status()).toBe(200);
  expect((await request.head("/api/models")).status()).toBe(200);
});

test("an upload larger than 10 MB goes through whole (nothing in front of /api/ingest cuts the body)", async ({ request }) => {
  const lines = ["corporation,lastmonth_activity,lastyear_activity,number_of_employees,exited"];
  for (let i = 0; i < 450_000; i++) lines.push(`e2e-big-${i},${(i * 7919) % 3000},${(i * 104729) % 30000},${1 + (i % 900)},${i % 5 === 0 ? 1 : 0}`);
  const content = Buffer.from(lines.join("\n") + "\n");
  expect(content.length).toBeGreaterThan(12 * 1024 * 1024);
  const res = await request.post("/api/ingest", { multipart: { file: { name: "big-upload.csv", mimeType: "text/csv", buffer: content } }, timeout: 120_000 });
  expect(res.status()).toBe(201);
  expect((await res.json()).datasets[0]).toMatchObject({ name: "big-upload.csv", rowsRead: 450_000, rowsAccepted: 450_000 });
});
