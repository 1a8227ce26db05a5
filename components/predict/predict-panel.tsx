"use client";

import { useId, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAdminSession } from "@/components/auth/admin-session";
import { LabelBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtInt, fmtPct, fmtScore } from "@/components/ui/format";
import { ActionErrorPanel, actionErrorOf, type ActionError } from "@/components/ui/action-error";
import { csvColumnsHint, labelValueText, probabilityText } from "@/components/ui/schema-text";
import { WithSchema } from "@/components/ui/use-schema";
import { apiSend } from "@/lib/queries/fetcher";
import type { PredictionResponse, SchemaResponse } from "@/lib/queries/types";
import { CsvFileForm } from "./csv-file-form";
import { predictionsCsv, rankPredictions, unseenText, type RankedPrediction } from "./rank-predictions";
import { ScoreOneForm } from "./score-one-form";

/** Save the ranked predictions as risk-<source>.csv through a temporary link. */
function downloadPredictions(rows: readonly RankedPrediction[], schema: SchemaResponse, source: string | undefined): void {
  const blob = new Blob([predictionsCsv(rows, schema)], { type: "text/csv" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `risk-${(source ?? "predictions").replace(/\.csv$/i, "").replace(/[^\w.-]+/g, "_")}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

type PredictionResult = { response: PredictionResponse; source: string };

/** Score rows through POST /api/prediction?explain=1 as the admin: the last result or error, and whether a call is running. */
function usePrediction() {
  const { runAsAdmin } = useAdminSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PredictionResult | null>(null);
  const [error, setError] = useState<ActionError | null>(null);

  const predict = async (source: string, body: FormData | { rows: Record<string, string | number | null>[] }) => {
    setBusy(true);
    setError(null);
    try {
      const response = await runAsAdmin(() => apiSend<PredictionResponse>("/api/prediction?explain=1", body));
      setResult({ response, source });
    } catch (e) {
      setResult(null);
      setError(actionErrorOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, result, error, predict };
}

/** Predict page body: score a CSV or one client (both built from the schema), then the ranked result. */
export function PredictPanel() {
  return <WithSchema>{(schema) => <PredictPanelFor schema={schema} />}</WithSchema>;
}

function PredictPanelFor({ schema }: { schema: SchemaResponse }) {
  const id = useId();
  const { busy, result, error, predict } = usePrediction();
  return (
    <>
      <p className="muted">
        Score clients with the deployed model and call the riskiest first. Nothing is stored; add labels ({schema.label}) to get the F1. To watch a batch until
        its labels arrive, monitor it (below): that stores it.
      </p>
      <div className="two-col">
        <section className="card" aria-labelledby={`${id}-csv`}>
          <h2 id={`${id}-csv`}>Score a CSV of clients</h2>
          <ScoreFileForm id={id} schema={schema} busy={busy} predict={predict} />
        </section>
        <section className="card" aria-labelledby={`${id}-one`}>
          <h2 id={`${id}-one`}>Score one client</h2>
          <ScoreOneForm id={id} schema={schema} busy={busy} onScore={(source, row) => void predict(source, { rows: [row] })} />
        </section>
      </div>
      {error ? <ActionErrorPanel title="Could not score." error={error} maxDetails={50} testId="predict-error" /> : null}
      {result ? <PredictionsCard result={result} schema={schema} /> : null}
    </>
  );
}

type Predict = ReturnType<typeof usePrediction>["predict"];

function ScoreFileForm({ id, schema, busy, predict }: { id: string; schema: SchemaResponse; busy: boolean; predict: Predict }) {
  const [file, setFile] = useState<File | null>(null);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append("file", file, file.name);
    void predict(file.name, form);
  };
  return (
    <CsvFileForm
      inputId={`${id}-file`}
      label={`CSV file with ${csvColumnsHint(schema, "optional")}`}
      file={file}
      busy={busy}
      onFile={setFile}
      onSubmit={submit}
      submitText="Score file"
      busyText="Scoring…"
    />
  );
}

/** The scored clients, riskiest first: the score when labels were given, unseen levels, a chart and the table. */
function PredictionsCard({ result, schema }: { result: PredictionResult; schema: SchemaResponse }) {
  const ranked = useMemo(() => rankPredictions(result.response), [result]);
  const { score } = result.response;
  const unseen = unseenText(result.response.unseen);
  return (
    <section className="card" aria-label="Predictions" data-testid="predictions">
      <div className="card-head">
        <h2>
          Risk of {labelValueText(schema, 1)} — {result.source} <span className="muted small">(model v{result.response.modelVersion}, {fmtInt(ranked.length)} clients)</span>
        </h2>
        <button type="button" className="secondary" onClick={() => downloadPredictions(ranked, schema, result.source)}>
          Download CSV
        </button>
      </div>
      {score ? (
        <p data-testid="predict-score">
          Labels given: <strong>F1 {fmtScore(score.f1)}</strong> · precision {fmtScore(score.precision)} · recall{" "}
          {fmtScore(score.recall)} · accuracy {fmtScore(score.accuracy)}
        </p>
      ) : (
        <p className="muted small">No labels ({schema.label}) in the input, so no F1.</p>
      )}
      {unseen ? (
        <p className="notice warn" data-testid="predict-unseen">
          Levels the model never saw at training (they add nothing to the log-odds) — {unseen}.
        </p>
      ) : null}
      <RiskChart rows={ranked} schema={schema} />
      <p className="muted small">
        Why: what each figure adds to the log-odds of {labelValueText(schema, 1)}, compared with a client at the training average (+ raises the risk, - lowers it), largest first.
      </p>
      <PredictionsTable ranked={ranked} schema={schema} />
    </section>
  );
}

function PredictionsTable({ ranked, schema }: { ranked: RankedPrediction[]; schema: SchemaResponse }) {
  const withId = schema.id !== null;
  return (
    <div className="table-wrap scroll-y">
      <table data-testid="predictions-table" className="stack-on-phone">
        <thead>
          <tr>
            <th className="num">Rank</th>
            {withId ? <th>{schema.id}</th> : null}
            <th className="num">{capitalise(probabilityText(schema))}</th>
            <th>Predicted</th>
            <th>Why (largest effect first)</th>
            <th className="num">Input row</th>
          </tr>
        </thead>
        <tbody>
          {ranked.slice(0, 500).map((r) => (
            <tr key={`${r.inputRow}`}>
              <td className="num" data-label="Rank">{r.rank}</td>
              {withId ? <td data-label={schema.id ?? ""}>{r.id}</td> : null}
              <td className="num" data-label="Probability">
                <span className="prob-bar" style={{ ["--p" as string]: `${(r.probability * 100).toFixed(1)}%` }}>{fmtPct(r.probability)}</span>
              </td>
              <td data-label="Predicted"><LabelBadge value={r.predicted} schema={schema} /></td>
              <td data-testid="prediction-reasons" data-label="Why">
                <ul className="reasons small">
                  {r.reasons.map((why) => (
                    <li key={why.sentence} className={why.contribution > 0 ? "raises" : why.contribution < 0 ? "lowers" : undefined}>
                      {why.sentence}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="num" data-label="Input row">{r.inputRow}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ranked.length > 500 ? <p className="small muted">Showing the 500 riskiest of {fmtInt(ranked.length)}; the download has them all.</p> : null}
    </div>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function RiskChart({ rows, schema }: { rows: RankedPrediction[]; schema: SchemaResponse }) {
  const top = rows.slice(0, 15).map((r) => ({ client: r.id ?? `row ${r.inputRow}`, pct: r.probability * 100, positive: r.predicted === 1 }));
  return (
    <ChartCard
      title="Riskiest clients"
      testId="chart-risk"
      description={`${capitalise(probabilityText(schema))} of the 15 riskiest clients (red: predicted ${labelValueText(schema, 1)}).`}
      empty={top.length === 0 ? "No rows scored." : null}
    >
      <ResponsiveContainer width="100%" height={Math.max(120, 24 * top.length + 50)}>
        <BarChart data={top} layout="vertical" margin={{ top: 4, right: 20, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} label={{ value: `${probabilityText(schema)} (%)`, position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis type="category" dataKey="client" width={110} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)} %` : String(v))} />
          <Bar dataKey="pct" name="probability" isAnimationActive={false} minPointSize={2}>
            {top.map((t, i) => (
              <Cell key={i} fill={t.positive ? "#b42318" : "#2457c5"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
