import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, inProcessFetch } from "@/lib/testing/api";
import { seedHistory } from "@/lib/testing/seed-history";
import { createTestDb, type TestDb } from "@/lib/testing/temp-db";
import { DatasetsResponse, ModelsResponse, ScoresResponse } from "@/lib/validations/core";
import { AlertsResponse, DriftResponse, QuarantineResponse, RunsResponse } from "@/lib/validations/monitoring";
import { DEFAULT_LIMIT, MAX_LIMIT } from "@/lib/validations/pagination";

/*
 * Every list route pages with ?limit=&before=<id> and answers nextCursor: walking the pages
 * until nextCursor is null sees every row exactly once, in the route's order. `before` always
 * walks towards older rows; newest-first routes list each page newest first, oldest-first
 * routes (scores, models, datasets) list each page oldest first.
 */

const LISTS = [
  { path: "/api/runs", key: "runs", order: "newest-first", schema: RunsResponse },
  { path: "/api/drift", key: "checks", order: "newest-first", schema: DriftResponse },
  { path: "/api/alerts", key: "alerts", order: "newest-first", schema: AlertsResponse },
  { path: "/api/diagnostics/quarantine", key: "rows", order: "newest-first", schema: QuarantineResponse },
  { path: "/api/scores", key: "scores", order: "oldest-first", schema: ScoresResponse },
  { path: "/api/models", key: "models", order: "oldest-first", schema: ModelsResponse },
  { path: "/api/datasets", key: "datasets", order: "oldest-first", schema: DatasetsResponse },
] as const;
type List = (typeof LISTS)[number];

const SIZE = { models: 37, datasets: 40, runs: 530, scores: 530, driftChecks: 530, alerts: 530, rejectedRows: 530 };

let t: TestDb;
const f = inProcessFetch();

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f(BASE + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Follow nextCursor from the first page to the last; the ids of each page in the order received. */
async function walk(list: List, { limit, query = "" }: { limit?: number; query?: string }, bodies: Record<string, unknown>[] = []): Promise<number[][]> {
  const pages: number[][] = [];
  let before: number | null = null;
  for (;;) {
    const params = new URLSearchParams(query);
    if (limit !== undefined) params.set("limit", String(limit));
    if (before !== null) params.set("before", String(before));
    const { status, body } = await getJson(`${list.path}?${params}`);
    expect(status, JSON.stringify(body)).toBe(200);
    list.schema.parse(body);
    bodies.push(body);
    const ids = (body[list.key] as { id: number }[]).map((x) => x.id);
    const nextCursor = body.nextCursor as number | null;
    pages.push(ids);
    expect(ids.length).toBeLessThanOrEqual(limit ?? DEFAULT_LIMIT);
    if (nextCursor === null) return pages;
    expect(ids).toHaveLength(limit ?? DEFAULT_LIMIT);
    expect(nextCursor).toBe(Math.min(...ids));
    if (pages.length > 1000) throw new Error(`${list.path} never ended`);
    before = nextCursor;
  }
}

const ascending = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);
const descending = (ids: readonly number[]) => [...ids].sort((a, b) => b - a);

/** Every row appears exactly once, each page in the route's order, and the pages walk back in time. */
function expectComplete(list: List, pages: number[][], all: readonly number[]) {
  expect(pages.at(-1)!.length).toBeGreaterThan(0);
  for (const page of pages) expect(page).toEqual(list.order === "newest-first" ? descending(page) : ascending(page));
  const seen = list.order === "newest-first" ? pages.flat() : [...pages].reverse().flat();
  expect(seen).toEqual(list.order === "newest-first" ? descending(all) : ascending(all));
  expect(new Set(seen).size).toBe(all.length);
}

async function allIds(list: List): Promise<number[]> {
  const select = { select: { id: true } } as const;
  const rows = await {
    "/api/runs": () => t.db.pipelineRun.findMany(select),
    "/api/drift": () => t.db.driftCheck.findMany(select),
    "/api/alerts": () => t.db.alert.findMany(select),
    "/api/diagnostics/quarantine": () => t.db.rejectedRow.findMany(select),
    "/api/scores": () => t.db.score.findMany(select),
    "/api/models": () => t.db.modelVersion.findMany(select),
    "/api/datasets": () => t.db.dataset.findMany(select),
  }[list.path]();
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = createTestDb();
  delete process.env.ADMIN_TOKEN;
  await seedHistory(t.db, SIZE);
  // gaps in the ids: a cursor must not assume consecutive ids
  await t.db.pipelineRun.deleteMany({ where: { id: { in: [5, 17, 18, 19, 250, 529] } } });
  await t.db.score.deleteMany({ where: { id: { in: [1, 2, 100, 101, 530] } } });
  await t.db.driftCheck.deleteMany({ where: { id: { in: [3, 300] } } });
  await t.db.alert.deleteMany({ where: { id: { in: [7, 8, 9] } } });
  await t.db.rejectedRow.deleteMany({ where: { id: { in: [42] } } });
});
afterAll(async () => {
  await t?.cleanup();
});

describe("list routes page with limit, before and nextCursor", () => {
  for (const list of LISTS) {
    it(`${list.path}: walking the pages sees every row once, ${list.order} within each page`, async () => {
      const all = await allIds(list);
      expect(all.length).toBeGreaterThan(30);
      expectComplete(list, await walk(list, { limit: 7 }), all);
      expectComplete(list, await walk(list, { limit: 50 }), all);
      // the rows fill the last page exactly: that full page says there is no more
      const pagesNeeded = [2, 3, 4, 5, 6, 7, 8, 9, 10].find((d) => all.length % d === 0) ?? 1;
      const exact = await walk(list, { limit: all.length / pagesNeeded });
      expect(exact).toHaveLength(pagesNeeded);
      expectComplete(list, exact, all);
      // one page for everything
      const { body } = await getJson(`${list.path}?limit=${MAX_LIMIT}`);
      expect((body[list.key] as unknown[]).length).toBe(all.length);
      expect(body.nextCursor).toBeNull();
    });
  }

  it("without limit: the first page has the default size (200 for drift and quarantine, as before), newest rows", async () => {
    const runs = await getJson("/api/runs");
    expect((runs.body.runs as unknown[]).length).toBe(DEFAULT_LIMIT);
    expect((runs.body.runs as { id: number }[])[0].id).toBe(Math.max(...(await allIds(LISTS[0]))));
    const scores = (await getJson("/api/scores")).body;
    const scoreIds = (scores.scores as { id: number }[]).map((s) => s.id);
    expect(scoreIds).toEqual(descending(await allIds(LISTS[4])).slice(0, DEFAULT_LIMIT).reverse());
    expect(scores.nextCursor).toBe(scoreIds[0]);
    expect(((await getJson("/api/drift")).body.checks as unknown[]).length).toBe(200);
    expect(((await getJson("/api/diagnostics/quarantine")).body.rows as unknown[]).length).toBe(200);
    for (const path of ["/api/models", "/api/datasets"]) expect((await getJson(path)).body.nextCursor).toBeNull();
  });

  it("filters page too: open alerts, one dataset's quarantine, one run's drift check", async () => {
    const open = (await t.db.alert.findMany({ where: { acknowledged: false }, select: { id: true } })).map((a) => a.id);
    expectComplete(LISTS[2], await walk(LISTS[2], { limit: 9, query: "open=true" }), open);

    const datasetId = (await t.db.dataset.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
    const rows = (await t.db.rejectedRow.findMany({ where: { datasetId }, select: { id: true } })).map((r) => r.id);
    expectComplete(LISTS[3], await walk(LISTS[3], { limit: 4, query: `dataset=${datasetId}` }), rows);
    const page = (await getJson(`/api/diagnostics/quarantine?dataset=${datasetId}&limit=4&before=${rows[rows.length - 1]}`)).body;
    expect(page.total).toBe(rows.length);

    const check = await t.db.driftCheck.findFirstOrThrow({ where: { runId: 77 } });
    const drift = (await getJson("/api/drift?runId=77")).body;
    expect((drift.checks as { id: number }[]).map((c) => c.id)).toEqual([check.id]);
    expect(drift.nextCursor).toBeNull();
  });

  it("models: each version's F1 is its newest test score, whatever page it is on", async () => {
    const bodies: Record<string, unknown>[] = [];
    await walk(LISTS[5], { limit: 5 }, bodies);
    const models = bodies.flatMap((b) => b.models as { id: number; version: number; f1: number | null }[]);
    expect(models).toHaveLength(SIZE.models);
    for (const m of models) {
      const newest = await t.db.score.findFirst({ where: { modelVersionId: m.id, kind: "test" }, orderBy: { id: "desc" } });
      expect(m.f1, `version ${m.version}`).toBe(newest?.f1 ?? null);
    }
    expect(models.some((m) => m.f1 !== null)).toBe(true);
  });

  it("a cursor past the newest id gives the first page; below the oldest, an empty last page", async () => {
    const first = (await getJson("/api/runs?limit=10")).body;
    expect((await getJson("/api/runs?limit=10&before=2147483647")).body).toEqual(first);
    expect((await getJson("/api/scores?limit=10&before=1")).body).toEqual({ scores: [], nextCursor: null });
    expect((await getJson("/api/alerts?before=1")).body).toEqual({ alerts: [], nextCursor: null });
  });

  it("take, the old name of limit on runs, drift and quarantine, still works", async () => {
    for (const [path, key] of [["/api/runs", "runs"], ["/api/drift", "checks"], ["/api/diagnostics/quarantine", "rows"]] as const) {
      const { status, body } = await getJson(`${path}?take=3`);
      expect(status).toBe(200);
      expect((body[key] as unknown[]).length).toBe(3);
      expect(body.nextCursor).toEqual(expect.any(Number));
    }
  });

  it("from / to keep the items whose period overlaps them (issue 18); an unreadable or ambiguous date → 400 naming the parameter", async () => {
    for (const table of ["PipelineRun", "Score", "DriftCheck", "Alert"]) {
      const at = table === "PipelineRun" ? "startedAt" : "createdAt";
      await t.db.$executeRawUnsafe(`UPDATE "${table}" SET "periodStart" = "${at}", "periodEnd" = "${at}" WHERE id % 2 = 0`);
    }
    const runs = await t.db.pipelineRun.findMany({ where: { periodStart: { not: null } }, orderBy: { startedAt: "asc" } });
    const from = runs[Math.floor(runs.length / 3)].startedAt;
    const to = runs[Math.floor((2 * runs.length) / 3)].startedAt;
    const want = runs.filter((r) => r.startedAt >= from && r.startedAt <= to).map((r) => r.id).sort((a, b) => b - a);
    const pages = await walk(LISTS[0], { limit: 50, query: `&from=${from.toISOString()}&to=${to.toISOString()}` });
    expect(pages.flat()).toEqual(want);
    // a date-only `to` keeps its whole day; items about no rows (null period) never match a filter
    const day = to.toISOString().slice(0, 10);
    const { body } = await getJson(`/api/scores?limit=1000&from=${day}&to=${day}`);
    const scores = (body as { scores: { periodStart: string }[] }).scores;
    expect(scores.length).toBeGreaterThan(0);
    for (const x of scores) expect(x.periodStart.slice(0, 10)).toBe(day);
    for (const list of LISTS.filter((l) => l.path !== "/api/models" && l.path !== "/api/diagnostics/quarantine")) {
      for (const value of ["03/04/2024", "2024-13", "yesterday"]) {
        const { status, body: bad } = await getJson(`${list.path}?from=${encodeURIComponent(value)}`);
        expect(status, `${list.path}?from=${value}`).toBe(400);
        expect((bad.error as { code: string; message: string }).message).toMatch(/from: must be an ISO 8601 date/);
      }
    }
  });

  it("a bad limit or before → 400 bad_request:query saying what is allowed, for every list route", async () => {
    const badLimits = ["0", "-1", "1001", "abc", "1.5", "", "1e9"];
    const badBefores = ["0", "-3", "abc", "1.5", "2147483648", ""];
    for (const list of LISTS) {
      for (const value of badLimits) {
        const { status, body } = await getJson(`${list.path}?limit=${encodeURIComponent(value)}`);
        expect(status, `${list.path}?limit=${value}`).toBe(400);
        const error = body.error as { code: string; message: string; details: { column: string }[] };
        expect(error.code).toBe("bad_request:query");
        expect(error.message).toContain(`limit: must be a whole number from 1 to ${MAX_LIMIT}`);
        expect(error.details).toEqual([expect.objectContaining({ column: "limit" })]);
      }
      for (const value of badBefores) {
        const { status, body } = await getJson(`${list.path}?before=${encodeURIComponent(value)}`);
        expect(status, `${list.path}?before=${value}`).toBe(400);
        const error = body.error as { code: string; message: string };
        expect(error.code).toBe("bad_request:query");
        expect(error.message).toMatch(/before: must be an id .*nextCursor/);
      }
    }
  });
});
