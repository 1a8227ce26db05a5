"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useAdminSession } from "@/components/auth/admin-session";
import { Badge, LabelBadge } from "@/components/ui/badges";
import { fmtInt, fmtPct, fmtScore } from "@/components/ui/format";
import { batchesKey, type BatchCreated } from "@/lib/queries/batches";
import { ActionErrorPanel, actionErrorOf, type ActionError } from "@/components/ui/action-error";
import { csvColumnsHint, labelValueText, probabilityText } from "@/components/ui/schema-text";
import { WithSchema } from "@/components/ui/use-schema";
import { apiSend } from "@/lib/queries/fetcher";
import type { SchemaResponse } from "@/lib/queries/types";
import { CsvFileForm } from "./csv-file-form";

/**
 * Predict page: store a CSV of clients without labels as a monitored batch (POST /api/batches) —
 * its predictions, feature drift and estimated F1 with a 95 % band; the realized F1 follows on
 * the Scores page when their labels are ingested.
 */
export function MonitorBatchForm() {
  return <WithSchema>{(schema) => <MonitorBatchFormFor schema={schema} />}</WithSchema>;
}

function MonitorBatchFormFor({ schema }: { schema: SchemaResponse }) {
  const id = useId();
  const queryClient = useQueryClient();
  const { runAsAdmin } = useAdminSession();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BatchCreated | null>(null);
  const [error, setError] = useState<ActionError | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append("file", file, file.name);
    setBusy(true);
    setError(null);
    try {
      setResult(await runAsAdmin(() => apiSend<BatchCreated>("/api/batches", form)));
      await queryClient.invalidateQueries({ queryKey: batchesKey() });
    } catch (err) {
      setResult(null);
      setError(actionErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="monitor-batch">
      <h2 id={`${id}-title`}>Monitor a batch before its labels arrive</h2>
      <p className="muted small">
        Stores the clients&apos; predictions and estimates precision, recall and F1 from the model&apos;s probabilities, with a 95 % band. When
        labelled rows for the same clients are ingested later, the realized F1 appears beside the estimate on the Scores page.
      </p>
      <CsvFileForm
        inputId={`${id}-file`}
        label={`CSV without ${schema.label}, with ${csvColumnsHint(schema, "absent")}`}
        file={file}
        busy={busy}
        onFile={setFile}
        onSubmit={submit}
        submitText="Monitor as a batch"
        busyText="Storing…"
        needs="operator"
      />
      {error ? <ActionErrorPanel title="Could not store the batch." error={error} maxDetails={20} testId="monitor-batch-error" /> : null}
      {result ? <BatchResult result={result} schema={schema} /> : null}
    </section>
  );
}

/** What the stored batch looks like: its estimated scores, its feature drift and its riskiest clients. */
function BatchResult({ result, schema }: { result: BatchCreated; schema: SchemaResponse }) {
  const b = result.batch;
  return (
    <div data-testid="monitor-batch-result">
      <p>
        {result.alreadyMonitored ? "Already monitored: " : "Stored "}
        <strong>{b.name}</strong> ({fmtInt(b.rows)} clients, model v{b.modelVersion}).{" "}
        <Link href="/scores">See it on the Scores page</Link>.
      </p>
      <div className="grid">
        <div className="card stat">
          <div className="label">Estimated F1</div>
          <div className="value" data-testid="batch-estimated-f1">
            {fmtScore(b.estimate.f1.estimate)}
          </div>
          <div className="sub">
            95 % band {fmtScore(b.estimate.f1.lower)} – {fmtScore(b.estimate.f1.upper)}
          </div>
        </div>
        <div className="card stat">
          <div className="label">Estimated precision · recall</div>
          <div className="value">
            {fmtScore(b.estimate.precision.estimate)} · {fmtScore(b.estimate.recall.estimate)}
          </div>
          <div className="sub">
            {fmtInt(b.estimate.predictedPositive)} predicted {labelValueText(schema, 1)}; {b.calibrated ? "probabilities calibrated on the test data first" : "probabilities used as they are (well calibrated on the test data)"}
          </div>
        </div>
        <div className="card stat">
          <div className="label">Feature drift vs training data</div>
          <div className="value">{b.driftedFeatures.length === 0 ? <Badge tone="ok">none</Badge> : <Badge tone="bad">{b.driftedFeatures.length} drifted</Badge>}</div>
          <div className="sub">{b.driftedFeatures.length === 0 ? "KS and PSI within their thresholds" : b.driftedFeatures.join(", ")}</div>
        </div>
      </div>
      <details>
        <summary>Riskiest {b.riskiest.length} clients of the batch</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{schema.id ?? "Row"}</th>
                <th className="num">{probabilityText(schema)}</th>
                <th>Predicted</th>
              </tr>
            </thead>
            <tbody>
              {b.riskiest.map((r) => (
                <tr key={r.row}>
                  <td>{schema.id !== null ? r.id : r.row + 1}</td>
                  <td className="num">{fmtPct(r.probability)}</td>
                  <td><LabelBadge value={Number(cellOf(r, "predicted") ?? cellOf(r, schema.label) ?? 0)} schema={schema} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/** A riskiest row's predicted label by name: the generic `predicted`, or the schema's own label column. */
function cellOf(row: object, key: string): unknown {
  return (row as Record<string, unknown>)[key];
}
