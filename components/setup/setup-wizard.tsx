"use client";

import { useId, useState } from "react";
import { useAdminSession } from "@/components/auth/admin-session";
import { useRoleGate } from "@/components/auth/use-access";
import { ActionButton } from "@/components/ui/action-button";
import { ActionErrorPanel, actionErrorOf, type ActionError } from "@/components/ui/action-error";
import { fmtInt } from "@/components/ui/format";
import { apiSend } from "@/lib/queries/fetcher";
import type { SetupInspection, SetupState } from "@/lib/queries/types";
import { PERIOD_GRANULARITIES } from "@/lib/time/periods";
import { ColumnTable } from "./column-table";
import { columnWith, mergeChoices, proposedChoices, schemaFileOf, type Choices, type ColumnChoice } from "./setup-choices";

type By = (typeof PERIOD_GRANULARITIES)[number] | "all";
type Named = { label?: string; id?: string; time?: string; positive?: string };

function inspectForm(file: File, named: Named): FormData {
  const form = new FormData();
  form.append("file", file, file.name);
  for (const [k, v] of Object.entries(named)) if (v) form.append(k, v);
  return form;
}

/** The file, its inspection and the person's choices; re-inspects when the label, id, time or positive value changes. */
function useSetupDraft() {
  const { runAsAdmin } = useAdminSession();
  const [file, setFile] = useState<File | null>(null);
  const [inspection, setInspection] = useState<SetupInspection | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [positive, setPositive] = useState<string | null>(null);
  const [by, setBy] = useState<By>("month");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);

  const inspect = async (f: File, named: Named, keep: { choices: Choices; touched: Set<string> } | null) => {
    setBusy(true);
    setError(null);
    try {
      const r = await runAsAdmin(() => apiSend<SetupInspection>("/api/setup/inspect", inspectForm(f, named)));
      setInspection(r);
      setChoices(keep ? mergeChoices(r, keep.choices, keep.touched) : proposedChoices(r));
      setPositive(r.schema?.positive ?? named.positive ?? null);
    } catch (e) {
      setError(actionErrorOf(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = (f: File | null) => {
    setFile(f);
    setInspection(null);
    setTouched(new Set());
    if (f) void inspect(f, {}, null);
  };

  const change = (column: string, choice: ColumnChoice) => {
    if (!file) return;
    const before = choices[column];
    const next = { ...choices, [column]: choice };
    const nextTouched = new Set(touched).add(column);
    setTouched(nextTouched);
    const keyRole = (r: string | undefined) => r === "label" || r === "id" || r === "time";
    if (!keyRole(choice.role) && !keyRole(before?.role)) {
      setChoices(next);
      return;
    }
    // one column per key role: the one chosen now takes it from the one that had it
    for (const [name, c] of Object.entries(next)) if (name !== column && c.role === choice.role && keyRole(choice.role)) next[name] = { ...c, role: "ignored" };
    const label = columnWith(next, "label");
    void inspect(file, { label, id: columnWith(next, "id"), time: columnWith(next, "time"), positive: label === columnWith(choices, "label") ? (positive ?? undefined) : undefined }, { choices: next, touched: nextTouched });
  };

  const pickPositive = (value: string) => {
    setPositive(value);
    if (file && inspection?.refusals.some((r) => r.code === "positive-value")) {
      void inspect(file, { label: columnWith(choices, "label"), id: columnWith(choices, "id"), time: columnWith(choices, "time"), positive: value }, { choices, touched });
    }
  };

  return { file, choose, inspection, choices, change, positive, pickPositive, by, setBy, busy, error };
}

/** Choose a CSV, read its inspection, confirm the schema: POST /api/setup (the parent then shows the progress). */
export function SetupWizard({ onStarted }: { onStarted: (state: SetupState) => void }) {
  const id = useId();
  const [dragging, setDragging] = useState(false);
  const d = useSetupDraft();
  // the set-up (its inspection too) is the admin's
  const gate = useRoleGate("admin");
  const built = d.inspection ? schemaFileOf(d.inspection, d.choices, d.positive) : null;
  const time = columnWith(d.choices, "time");
  const blocked = d.inspection ? (d.inspection.refusals[0]?.message ?? (built && "problem" in built ? built.problem : null)) : "Choose a CSV file first.";

  return (
    <>
      <section className="card" aria-labelledby={`${id}-file`}>
        <h2 id={`${id}-file`}>1. The CSV</h2>
        <div className={`dropzone${dragging ? " dragging" : ""}`} data-testid="setup-dropzone" {...dropTarget(setDragging, (f) => (gate.denied ? undefined : d.choose(f)))}>
          <p>
            <strong>Drop a CSV here</strong> or choose it: one labelled table with a header line, one row per client (optionally over time).
          </p>
          <label htmlFor={`${id}-input`}>CSV file to set up with</label>
          <input id={`${id}-input`} type="file" accept=".csv,text/csv" disabled={d.busy || gate.denied} {...gate.describe} onChange={(e) => d.choose(e.target.files?.[0] ?? null)} />
          {gate.note}
        </div>
        {d.file ? (
          <p className="small muted" role="status">
            {d.file.name} ({fmtInt(d.file.size)} bytes){d.busy ? " — reading the columns…" : ""}
          </p>
        ) : null}
        {d.error ? <ActionErrorPanel title="The file cannot be read" error={d.error} maxDetails={10} testId="setup-error" /> : null}
      </section>
      {d.inspection ? <Review d={d} time={time} /> : null}
      {d.inspection ? (
        <section className="card" aria-labelledby={`${id}-confirm`}>
          <h2 id={`${id}-confirm`}>3. Confirm</h2>
          {blocked ? (
            <div className="error-panel" role="alert" data-testid="setup-refusals">
              <strong>{d.inspection.refusals.length > 0 ? "This file cannot be set up as it is." : "Not yet:"}</strong>
              <ul>
                {d.inspection.refusals.length > 0 ? d.inspection.refusals.map((r) => <li key={r.code}>{r.message}</li>) : <li>{blocked}</li>}
              </ul>
            </div>
          ) : (
            <p className="small">
              The schema is stored (it cannot change afterwards), the file is ingested {time && d.by !== "all" ? `and replayed ${d.by} by ${d.by}` : "as one period"}, the first model trained and deployed.
            </p>
          )}
          <ActionButton
            label="Set up"
            title="Set up with this schema?"
            description="The schema is stored in the database for good (another schema needs a new database), then the file is ingested and the first model trained and deployed."
            confirmLabel="Set up"
            needs="admin"
            disabled={blocked !== null || d.busy}
            testId="setup-confirm"
            action={() => {
              const form = new FormData();
              form.append("file", d.file!, d.file!.name);
              form.append("schema", JSON.stringify((built as { schema: object }).schema));
              if (time && d.by !== "all") form.append("by", d.by);
              return apiSend<SetupState>("/api/setup", form);
            }}
            successMessage={() => "Set-up started."}
            onSuccess={onStarted}
          />
        </section>
      ) : null}
    </>
  );
}

/** Drag-and-drop of one file: `dragging` while a file is over the target, `onFile` with the dropped one. */
function dropTarget(dragging: (on: boolean) => void, onFile: (file: File | null) => void) {
  const over = (on: boolean) => (e: React.DragEvent) => {
    e.preventDefault();
    dragging(on);
  };
  return {
    onDragOver: over(true),
    onDragLeave: over(false),
    onDrop: (e: React.DragEvent) => {
      over(false)(e);
      onFile(e.dataTransfer.files[0] ?? null);
    },
  };
}

/** Step 2: the label's positive value, the time granularity, the column table with its leak warnings. */
function Review({ d, time }: { d: ReturnType<typeof useSetupDraft>; time: string | undefined }) {
  const inspection = d.inspection!;
  const activeLeaks = inspection.leaks.filter((l) => d.choices[l.column]?.role === "feature");
  return (
    <section className="card" aria-label="2. The columns">
      <h2>2. The columns</h2>
      <div className="fields setup-fields">
        <label className="field">
          <span>Label value that counts as 1 {inspection.label ? `(label: ${inspection.label})` : ""}</span>
          <select aria-label="Positive label value" value={d.positive ?? ""} disabled={d.busy || inspection.labelValues.length !== 2} onChange={(e) => d.pickPositive(e.target.value)}>
            <option value="" disabled>
              {inspection.labelValues.length === 2 ? "choose…" : "choose a label with two values"}
            </option>
            {inspection.labelValues.length === 2
              ? inspection.labelValues.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.value} ({fmtInt(v.count)} rows)
                  </option>
                ))
              : null}
          </select>
        </label>
        {time ? (
          <label className="field">
            <span>Replay by (time column: {time})</span>
            <select aria-label="Time granularity" value={d.by} disabled={d.busy} onChange={(e) => d.setBy(e.target.value as By)}>
              {PERIOD_GRANULARITIES.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
              <option value="all">whole file (one period)</option>
            </select>
          </label>
        ) : (
          <p className="small muted">No time column: the whole file is one period. Choose the role “time” for a column of ISO dates to replay it period by period.</p>
        )}
      </div>
      {activeLeaks.length > 0 ? (
        <p className="notice warn" role="status" data-testid="setup-leak-summary">
          {activeLeaks.length === 1 ? `1 column may leak the label: ${activeLeaks[0].column}.` : `${activeLeaks.length} columns may leak the label: ${activeLeaks.map((l) => l.column).join(", ")}.`} Checked on the first {fmtInt(inspection.leakCheckRows)} rows.
        </p>
      ) : null}
      <ColumnTable inspection={inspection} choices={d.choices} busy={d.busy} onChange={d.change} />
      {inspection.notes.length > 0 ? (
        <ul className="small muted">
          {inspection.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
