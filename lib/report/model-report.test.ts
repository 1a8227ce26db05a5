import { describe, expect, it } from "vitest";
import { TINY_TEST_DATA, seedDeployedModel } from "../testing/api";
import { useTestDb } from "../testing/temp-db";
import { collectReportData, renderReportPdf } from "./model-report";

const t = useTestDb();

describe("model report", () => {
  it("carries the deployed version's coefficient table, threshold and ranking metrics, and renders them", async () => {
    const { model } = await seedDeployedModel(t.db);
    const data = await collectReportData(t.db, { testData: TINY_TEST_DATA });
    const stored = await t.db.modelVersion.findUniqueOrThrow({ where: { id: model.id } });
    expect(data.coefficientTable).toEqual(JSON.parse(stored.coefficients!));
    expect(data.coefficientTable!.standardised).toHaveLength(4);
    expect(data.threshold).toEqual({ value: 0.5, rule: "fixed" });
    const score = await t.db.score.findFirstOrThrow({ where: { modelVersionId: model.id, kind: "test" } });
    expect(data.ranking).toEqual({ rocAuc: score.rocAuc, averagePrecision: score.averagePrecision, brierScore: score.brierScore, logLoss: score.logLoss });
    const pdf = await renderReportPdf(data);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // a version without a stored table (trained before it existed) still renders
    expect((await renderReportPdf({ ...data, coefficientTable: null, ranking: null })).length).toBeGreaterThan(1000);
  });
});
