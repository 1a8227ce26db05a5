"use client";

import { fmtP } from "@/components/ui/format";
import { labelValueText, termText } from "@/components/ui/schema-text";
import { useSchema } from "@/components/ui/use-schema";
import type { ModelEntry } from "@/lib/queries/types";

/*
 * What drives the risk, per version: the fitted coefficients with their 95 % Wald intervals and
 * odds ratios, on the standardised scale (per SD: the features compare with each other) and on
 * the original scale (per unit as stored). Computed at training time (lib/model/coefficients.ts).
 * A row is a term: the intercept, a numeric feature, or a categorical feature's level
 * (`feature=level`, against the dropped most frequent level), shown as termText() reads it.
 */

/** Significant digits: the original-scale estimates can range from 1e-5 (per unit of a large feature) to 1. */
const sig = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "—" : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toPrecision(3));

type Table = NonNullable<ModelEntry["coefficients"]>;

/** What a coefficient is per, on each scale; the categorical part only when the schema has categorical features. */
function scaleHeading(scale: "standardised" | "original", categorical: boolean): string {
  if (scale === "standardised") {
    return categorical
      ? "Per standard deviation of a numeric feature, per level of a categorical one against its most frequent level (the intercept: a client at the training average)"
      : "Per standard deviation of the feature (the intercept: a client at the training average)";
  }
  return categorical
    ? "Per unit of a numeric feature as stored, per level of a categorical one (the intercept: numeric features 0, categorical ones at their most frequent level)"
    : "Per unit of the feature as stored (the intercept: all features 0)";
}

function ScaleTable({ rows, scale, categorical }: { rows: Table["original"]; scale: "standardised" | "original"; categorical: boolean }) {
  return (
    <div className="table-wrap">
      <h3 className="small coef-scale">{scaleHeading(scale, categorical)}</h3>
      <table className="stack-on-phone" data-testid={`coefficients-${scale}`}>
        <thead>
          <tr>
            <th>Term</th>
            <th className="num">Coefficient</th>
            <th className="num">Std. error</th>
            <th className="num">95 % CI</th>
            <th className="num">Odds ratio</th>
            <th className="num">95 % CI of the odds ratio</th>
            <th className="num">p-value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.term}>
              <td data-label="Term">{termText(r.term)}</td>
              <td className="num" data-label="Coefficient">{sig(r.estimate)}</td>
              <td className="num" data-label="Std. error">{sig(r.standardError)}</td>
              <td className="num" data-label="95 % CI">{r.estimable ? `${sig(r.ciLower)} to ${sig(r.ciUpper)}` : "not estimable"}</td>
              <td className="num" data-label="Odds ratio">{sig(r.oddsRatio)}</td>
              <td className="num" data-label="95 % CI of the odds ratio">{r.estimable ? `${sig(r.oddsRatioLower)} to ${sig(r.oddsRatioUpper)}` : "—"}</td>
              <td className="num" data-label="p-value">{fmtP(r.pValue)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CoefficientsCard({ model }: { model: Pick<ModelEntry, "version" | "coefficients"> | null }) {
  const table = model?.coefficients ?? null;
  const schema = useSchema().data;
  const outcome = schema ? labelValueText(schema, 1) : "the positive label";
  const categorical = schema?.features.some((f) => f.type === "categorical") ?? false;
  return (
    <section className="card" aria-label="Coefficients" data-testid="coefficients">
      <h2>What drives the risk{model ? ` — version ${model.version}` : ""}</h2>
      {!model ? (
        <div className="empty">No model trained yet.</div>
      ) : !table ? (
        <div className="empty">No coefficient table for version {model.version}: it was trained before they were stored. Train a new version.</div>
      ) : (
        <>
          <p className="muted small">
            Logistic-regression coefficients on the log-odds of {outcome}, with 95 % Wald intervals from the Hessian at the optimum, on {table.rows.toLocaleString("en-US")} training
            rows. An odds ratio above 1 raises the odds of {outcome}.
          </p>
          <ScaleTable rows={table.standardised} scale="standardised" categorical={categorical} />
          <ScaleTable rows={table.original} scale="original" categorical={categorical} />
        </>
      )}
    </section>
  );
}
