import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/setup/inspect/route";
import { IN_THREAD_INSPECT_BYTES } from "@/lib/actions/setup";
import { multipartRequest, tableCounts, useRouteTestDb } from "@/lib/testing/api";
import { setupCsv } from "@/lib/testing/setup-csv";
import { SetupInspectResponse } from "@/lib/validations/setup";

const t = useRouteTestDb();

/** POST /api/setup/inspect with the CSV in `file` and the text fields given. */
function inspect(csv: string, fields: Record<string, string> = {}, name = "first.csv") {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return POST(new Request("http://localhost:3000/api/setup/inspect", { method: "POST", body: form }), undefined);
}

async function inspected(csv: string, fields: Record<string, string> = {}) {
  const res = await inspect(csv, fields);
  expect(res.status).toBe(200);
  return SetupInspectResponse.parse(await res.json());
}

const roles = (body: { columns: { name: string; role: string; type: string | null }[] }) => Object.fromEntries(body.columns.map((c) => [c.name, [c.role, c.type]]));

describe("POST /api/setup/inspect", () => {
  it("proposes the label, reports every column (free text, ISO dates, a numeric-looking code) and warns about the leaking column; stores nothing", async () => {
    const before = await tableCounts(t.db);
    const body = await inspected(setupCsv({ rows: 600 }));
    expect(body).toMatchObject({ rows: 600, minRows: 400, label: "churned", labelProposed: true, refusals: [], leakCheckRows: 600 });
    expect(body.labelValues).toEqual([
      { value: "no", count: 446 },
      { value: "yes", count: 154 },
    ]);
    expect(roles(body)).toEqual({
      client_id: ["ignored", "text"],
      signup_date: ["ignored", "time"],
      balance: ["feature", "numeric"],
      region: ["feature", "categorical"],
      plan_code: ["feature", "categorical"],
      comment: ["ignored", "text"],
      days_since_exit: ["feature", "numeric"],
      churned: ["label", null],
    });
    expect(body.columns.find((c) => c.name === "comment")?.reason).toMatch(/free text or an id, left out/);
    expect(body.columns.find((c) => c.name === "plan_code")?.reason).toMatch(/numbers with only 5 distinct value\(s\).*categorical codes/);
    expect(body.schema).toMatchObject({ label: "churned", positive: "yes", negative: "no", id: null, time: null });
    expect(body.schema?.features.map((f) => f.name)).toEqual(["balance", "region", "plan_code", "days_since_exit"]);
    expect(body.leaks).toEqual([{ column: "days_since_exit", measure: "auc", value: 1, message: expect.stringMatching(/alone separates the label almost perfectly \(ROC AUC 1\.000\)/) }]);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("takes the chosen label, id, time and positive value", async () => {
    const body = await inspected(setupCsv({ rows: 600, noLeak: true }), { label: "churned", id: "client_id", time: "signup_date", positive: "no" });
    expect(body.schema).toMatchObject({ id: "client_id", label: "churned", time: "signup_date", positive: "no", negative: "yes" });
    expect(body.labelProposed).toBe(false);
    expect(body.leaks).toEqual([]);
    expect(roles(body)).toMatchObject({ client_id: ["id", null], signup_date: ["time", "time"] });
  });

  it("refuses a label with more than two values, a time column that is not time, and too few rows — each with a message saying what to do", async () => {
    const region = await inspected(setupCsv({ rows: 600 }), { label: "region" });
    expect(region.schema).toBeNull();
    expect(region.refusals).toEqual([{ code: "label-not-binary", message: expect.stringMatching(/the label "region" must have exactly two distinct values; found 4.*choose another column/) }]);
    expect(region.labelValues).toHaveLength(4);
    expect(region.leaks).toEqual([]);

    const time = await inspected(setupCsv({ rows: 600 }), { label: "churned", time: "region" });
    expect(time.refusals).toEqual([{ code: "time-column", message: expect.stringMatching(/the time "region" must hold ISO dates .*Choose another time column, or none/) }]);

    const few = await inspected(setupCsv({ rows: 150 }));
    expect(few.refusals).toEqual([{ code: "too-few-rows", message: "The file has 150 data rows; at least 400 are needed (2 × MIN_PERIOD_ROWS = 2 × 200): a first model and at least one period to check it on." }]);
    expect(few.schema).not.toBeNull();
  });

  it("refuses a file with no usable feature, and asks for a label when none can be proposed", async () => {
    const lines = ["ref,note,outcome", ...Array.from({ length: 500 }, (_, i) => `r${i},"text ${i}",${i % 2 ? "won" : "lost"}`)];
    const none = await inspected(lines.join("\n"), { label: "outcome", positive: "won" });
    expect(none.refusals.map((r) => r.code)).toEqual(["no-feature"]);
    expect(none.refusals[0].message).toMatch(/^No usable feature: "ref": text with 500 distinct values.*Keep at least one numeric or categorical column/);

    const unnamed = await inspected(setupCsv({ rows: 600 }).replace("churned", "status"));
    expect(unnamed).toMatchObject({ label: null, labelProposed: false, schema: null, labelValues: [] });
    expect(unnamed.refusals.map((r) => r.code)).toEqual(["no-label"]);
    expect(roles(unnamed).status).toEqual(["feature", "categorical"]);
  });

  it("asks for the positive value when neither label value is 1, true or yes", async () => {
    const body = await inspected(setupCsv({ rows: 600 }).replace(/,yes$/gm, ",left").replace(/,no$/gm, ",stayed"), { label: "churned" });
    expect(body.refusals).toEqual([{ code: "positive-value", message: expect.stringMatching(/none is 1, true, yes or y: say which counts as 1 with the positive value/) }]);
    expect(body.labelValues.map((v) => v.value).sort()).toEqual(["left", "stayed"]);
  });

  it("a large file is inspected on a worker thread, with the same answer", async () => {
    const csv = setupCsv({ rows: 30_000 });
    expect(csv.length).toBeGreaterThan(IN_THREAD_INSPECT_BYTES);
    const body = await inspected(csv, { label: "churned", time: "signup_date" });
    expect(body).toMatchObject({ rows: 30_000, refusals: [], leakCheckRows: 30_000 });
    expect(body.leaks.map((l) => l.column)).toEqual(["days_since_exit"]);
  });

  it("400 for a column that does not exist, 415 for a non-multipart body, 422 without a file", async () => {
    const missing = await inspect(setupCsv({ rows: 600 }), { label: "nope" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({ code: "bad_request:schema", message: expect.stringMatching(/"nope" is not a column; the columns are "client_id"/) });
    const json = await POST(new Request("http://localhost:3000/api/setup/inspect", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }), undefined);
    expect(json.status).toBe(415);
    const noFile = await POST(multipartRequest("/api/setup/inspect", [], {}), undefined);
    expect(noFile.status).toBe(422);
  });
});
