"use client";

import { useId, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useAdminSession } from "@/components/auth/admin-session";
import { ExitBadge } from "@/components/ui/badges";
import { ChartCard } from "@/components/ui/chart-card";
import { fmtInt, fmtPct, fmtScore } from "@/components/ui/format";
import { ActionErrorPanel, actionErrorOf, type ActionError } from "@/components/ui/action-error";
import { apiSend } from "@/lib/queries/fetcher";
import type { PredictionResponse } from "@/lib/queries/types";
import { CsvFileForm } from "./csv-file-form";

export interface RankedPrediction {
  rank: number;
  corporation: string;
  probability: number;
  exited: 0 | 1;
  /** position in the uploaded file (1 = first data row) */
  inputRow: number;
  /** why, in words: each feature's contribution to the log-odds, largest first (from ?explain=1) */
  reasons: { sentence: string; contribution: number }[];
}

/** Riskiest first; ties keep input order. */
function rankPredictions(p: PredictionResponse): RankedPrediction[] {
  return p.predictions
    .map((x, i) => ({ ...x, inputRow: i + 1 }))
    .sort((a, b) => b.probability - a.probability || a.inputRow - b.inputRow)
    .map((x, i) => ({
      rank: i + 1,
      corporation: x.corporation,
      probability: x.probability,
      exited: x.exited,
      inputRow: x.inputRow,
      reasons: (x.explanation?.contributions ?? []).map((c) => ({ sentence: c.sentence, contribution: c.contribution })),
    }));
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function predictionsCsv(rows: readonly RankedPrediction[]): string {
  return ["rank,corporation,probability,predicted_exited,input_row", ...rows.map((r) => [r.rank, csvCell(r.corporation), r.probability.toFixed(6), r.exited, r.inputRow].join(","))].join("\n") + "\n";
}

/** Save the ranked predictions as risk-<source>.csv through a temporary link. */
function downloadPredictions(rows: readonly RankedPrediction[], source: string | undefined): void {
  const blob = new Blob([predictionsCsv(rows)], { type: "text/csv" });
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

  const predict = async (source: string, body: FormData | { rows: Record<string, string | number>[] }) => {
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

export function PredictPanel() {
  const id = useId();
  const { busy, result, error, predict } = usePrediction();
  return (
    <>
      <div className="two-col">
        <section className="card" aria-labelledby={`${id}-csv`}>
          <h2 id={`${id}-csv`}>Score a CSV of clients</h2>
          <ScoreFileForm id={id} busy={busy} predict={predict} />
        </section>
        <section className="card" aria-labelledby={`${id}-one`}>
          <h2 id={`${id}-one`}>Score one client</h2>
          <ScoreOneForm id={id} busy={busy} predict={predict} />
        </section>
      </div>
      {error ? <ActionErrorPanel title="Could not score." error={error} maxDetails={50} testId="predict-error" /> : null}
      {result ? <PredictionsCard result={result} /> : null}
    </>
  );
}

type Predict = ReturnType<typeof usePrediction>["predict"];

function ScoreFileForm({ id, busy, predict }: { id: string; busy: boolean; predict: Predict }) {
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
      label="CSV file (corporation, lastmonth_activity, lastyear_activity, number_of_employees; exited optional)"
      file={file}
      busy={busy}
      onFile={setFile}
      onSubmit={submit}
      submitText="Score file"
      busyText="Scoring…"
    />
  );
}

const EMPTY_CLIENT = { corporation: "", lastmonth_activity: "", lastyear_activity: "", number_of_employees: "" };
type ClientFields = typeof EMPTY_CLIENT;

function ScoreOneForm({ id, busy, predict }: { id: string; busy: boolean; predict: Predict }) {
  const [one, setOne] = useState<ClientFields>(EMPTY_CLIENT);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const row = {
      corporation: one.corporation.trim() || "client",
      lastmonth_activity: Number(one.lastmonth_activity),
      lastyear_activity: Number(one.lastyear_activity),
      number_of_employees: Number(one.number_of_employees),
    };
    void predict(`client ${row.corporation}`, { rows: [row] });
  };
  const field = (name: keyof ClientFields, label: string, numeric = true) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        type={numeric ? "number" : "text"}
        min={numeric ? 0 : undefined}
        step="any"
        inputMode={numeric ? "decimal" : undefined}
        required={numeric}
        value={one[name]}
        onChange={(e) => setOne((o) => ({ ...o, [name]: e.target.value }))}
      />
    </div>
  );
  return (
    <form onSubmit={submit} className="fields">
      {field("corporation", "Client id", false)}
      {field("lastmonth_activity", "Activity last month")}
      {field("lastyear_activity", "Activity last year")}
      {field("number_of_employees", "Number of employees")}
      <div className="field">
        <button type="submit" disabled={busy}>
          {busy ? "Scoring…" : "Score client"}
        </button>
      </div>
    </form>
  );
}

/** The scored clients, riskiest first: the score when labels were given, a chart and the table. */
function PredictionsCard({ result }: { result: PredictionResult }) {
  const ranked = useMemo(() => rankPredictions(result.response), [result]);
  const { score } = result.response;
  return (
    <section className="card" aria-label="Predictions" data-testid="predictions">
      <div className="card-head">
        <h2>
          Risk of exit — {result.source} <span className="muted small">(model v{result.response.modelVersion}, {fmtInt(ranked.length)} clients)</span>
        </h2>
        <button type="button" className="secondary" onClick={() => downloadPredictions(ranked, result.source)}>
          Download CSV
        </button>
      </div>
      {score ? (
        <p data-testid="predict-score">
          Labels given: <strong>F1 {fmtScore(score.f1)}</strong> · precision {fmtScore(score.precision)} · recall{" "}
          {fmtScore(score.recall)} · accuracy {fmtScore(score.accuracy)}
        </p>
      ) : (
        <p className="muted small">No labels (exited) in the input, so no F1.</p>
      )}
      <RiskChart rows={ranked} />
      <p className="muted small">
        Why: what each figure adds to the log-odds of exiting, compared with a client at the training average (+ raises the risk, - lowers it), largest first.
      </p>
      <PredictionsTable ranked={ranked} />
    </section>
  );
}

function PredictionsTable({ ranked }: { ranked: RankedPrediction[] }) {
  return (
    <div className="table-wrap scroll-y">
      <table data-testid="predictions-table" className="stack-on-phone">
        <thead>
          <tr>
            <th className="num">Rank</th>
            <th>Client</th>
            <th className="num">Probability of exit</th>
            <th>Predicted</th>
            <th>Why (largest effect first)</th>
            <th className="num">Input row</th>
          </tr>
        </thead>
        <tbody>
          {ranked.slice(0, 500).map((r) => (
            <tr key={`${r.inputRow}`}>
              <td className="num" data-label="Rank">{r.rank}</td>
              <td data-label="Client">{r.corporation}</td>
              <td className="num" data-label="Probability">
                <span className="prob-bar" style={{ ["--p" as string]: `${(r.probability * 100).toFixed(1)}%` }}>{fmtPct(r.probability)}</span>
              </td>
              <td data-label="Predicted"><ExitBadge exited={r.exited} /></td>
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

function RiskChart({ rows }: { rows: RankedPrediction[] }) {
  const top = rows.slice(0, 15).map((r) => ({ client: r.corporation, pct: r.probability * 100, exits: r.exited }));
  return (
    <ChartCard title="Riskiest clients" testId="chart-risk" description="Probability of exit of the 15 riskiest clients (red: predicted to exit)." empty={top.length === 0 ? "No rows scored." : null}>
      <ResponsiveContainer width="100%" height={Math.max(120, 24 * top.length + 50)}>
        <BarChart data={top} layout="vertical" margin={{ top: 4, right: 20, bottom: 18, left: 8 }}>
          <CartesianGrid stroke="#e7ebf0" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} label={{ value: "probability of exit (%)", position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }} />
          <YAxis type="category" dataKey="client" width={110} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(1)} %` : String(v))} />
          <Bar dataKey="pct" name="probability" isAnimationActive={false} minPointSize={2}>
            {top.map((t, i) => (
              <Cell key={i} fill={t.exits ? "#b42318" : "#2457c5"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
