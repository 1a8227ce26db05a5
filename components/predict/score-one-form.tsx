"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { knownLevels } from "@/components/ui/schema-text";
import { summaryStatsQuery } from "@/lib/queries";
import type { SchemaFeature, SchemaResponse } from "@/lib/queries/types";
import { MISSING_LEVEL } from "@/lib/schema/types";

/*
 * "Score one client", built from the schema: a text input for the id column, a number input per
 * numeric feature (the schema's bounds as min / max), a text input offering the known levels
 * (GET /api/summarystats) per categorical feature. No label input: the model predicts it.
 */

export type OneRow = Record<string, string | number | null>;

/** The typed cells as a prediction row named as the CSV headers: numbers for numeric features, the text (or null when empty) for categorical ones. */
export function oneClientRow(schema: Pick<SchemaResponse, "id" | "features">, cells: Readonly<Record<string, string>>): OneRow {
  const row: OneRow = {};
  if (schema.id !== null) row[schema.id] = (cells[schema.id] ?? "").trim() || "client";
  for (const f of schema.features) {
    const text = (cells[f.name] ?? "").trim();
    row[f.name] = f.type === "numeric" ? Number(text) : text === "" ? null : text;
  }
  return row;
}

/** What the numeric input's placeholder says about its bounds, e.g. "number ≥ 0" or "0 to 120". */
function boundsHint(f: SchemaFeature): string {
  const min = f.min ?? null;
  const max = f.max ?? null;
  if (min !== null && max !== null) return `${min} to ${max}`;
  if (min !== null) return `number ≥ ${min}`;
  if (max !== null) return `number ≤ ${max}`;
  return "number";
}

function FeatureInput({ inputId, feature, value, levels, onChange }: { inputId: string; feature: SchemaFeature; value: string; levels: string[]; onChange: (v: string) => void }) {
  if (feature.type === "numeric") {
    return (
      <input
        id={inputId}
        name={feature.name}
        type="number"
        min={feature.min ?? undefined}
        max={feature.max ?? undefined}
        step="any"
        inputMode="decimal"
        required
        placeholder={boundsHint(feature)}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <>
      <input
        id={inputId}
        name={feature.name}
        type="text"
        list={`${inputId}-levels`}
        autoComplete="off"
        placeholder={levels.length > 0 ? `e.g. ${levels[0]}` : "a level"}
        title="a level of the feature; empty counts as the level (missing)"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={`${inputId}-levels`} data-testid={`levels-${feature.name}`}>
        {levels.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
    </>
  );
}

/** The known levels of each categorical feature (none asked for when the schema has no categorical feature). */
function useKnownLevels(schema: Pick<SchemaResponse, "features">): (feature: string) => string[] {
  const categorical = schema.features.some((f) => f.type === "categorical");
  const stats = useQuery({ ...summaryStatsQuery("training"), enabled: categorical });
  return (feature) => knownLevels(stats.data?.columns, feature).filter((l) => l !== MISSING_LEVEL);
}

export function ScoreOneForm({ id, schema, busy, onScore }: { id: string; schema: SchemaResponse; busy: boolean; onScore: (source: string, row: OneRow) => void }) {
  const [cells, setCells] = useState<Record<string, string>>({});
  const levelsOf = useKnownLevels(schema);
  const set = (name: string) => (v: string) => setCells((c) => ({ ...c, [name]: v }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const row = oneClientRow(schema, cells);
    onScore(schema.id !== null ? `client ${String(row[schema.id])}` : "one client", row);
  };
  return (
    <form onSubmit={submit} className="fields" data-testid="score-one-form">
      {schema.id !== null ? (
        <div className="field">
          <label htmlFor={`${id}-one-id`}>{schema.id}</label>
          <input id={`${id}-one-id`} name={schema.id} type="text" placeholder="the client's id" value={cells[schema.id] ?? ""} onChange={(e) => set(schema.id as string)(e.target.value)} />
        </div>
      ) : null}
      {schema.features.map((f, j) => (
        <div className="field" key={f.name}>
          <label htmlFor={`${id}-one-${j}`}>{f.name}</label>
          <FeatureInput inputId={`${id}-one-${j}`} feature={f} value={cells[f.name] ?? ""} levels={f.type === "categorical" ? levelsOf(f.name) : []} onChange={set(f.name)} />
        </div>
      ))}
      <div className="field">
        <button type="submit" disabled={busy}>
          {busy ? "Scoring…" : "Score client"}
        </button>
      </div>
    </form>
  );
}
