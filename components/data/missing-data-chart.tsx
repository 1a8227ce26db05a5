"use client";

import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartCard } from "@/components/ui/chart-card";
import { niceTicks, tickFormatter } from "@/components/ui/chart-utils";
import { QueryState } from "@/components/ui/query-state";
import { schemaColumns } from "@/components/ui/schema-text";
import { useSchema } from "@/components/ui/use-schema";
import { datasetsQuery } from "@/lib/queries";
import type { DatasetEntry } from "@/lib/queries/types";

export interface MissingBar {
  column: string;
  /** % of empty cells over every ingested training file (weighted by rows read) */
  missing: number;
}

/** One bar per column: the schema's (id, features, label) in schema order, then any other column a file reported. */
export function shapeMissing(datasets: readonly DatasetEntry[], columns: readonly string[]): MissingBar[] {
  const training = datasets.filter((d) => d.role !== "test");
  const rows = training.reduce((n, d) => n + d.rowsRead, 0);
  const cols = new Set<string>(columns);
  for (const d of training) for (const c of Object.keys(d.missingByColumn ?? {})) cols.add(c);
  return [...cols].map((column) => ({
    column,
    missing: rows === 0 ? 0 : (100 * training.reduce((n, d) => n + (d.missingByColumn?.[column] ?? 0) * d.rowsRead, 0)) / rows,
  }));
}

/** Share of empty cells per column across all ingested training files. */
export function MissingDataChart() {
  const q = useQuery(datasetsQuery());
  const schema = useSchema().data;
  return (
    <QueryState query={q} label="missing-data figures">
      {({ datasets }) => {
        const bars = shapeMissing(datasets, schema ? schemaColumns(schema) : []);
        const none = datasets.filter((d) => d.role !== "test").length === 0;
        const ticks = niceTicks(0, Math.max(0.1, ...bars.map((b) => b.missing)) * 1.15, 4);
        const fmt = tickFormatter(ticks);
        return (
          <ChartCard
            title="Missing data per column"
            testId="chart-missing"
            description="Empty cells in the ingested training files, % of rows read. Empty numeric features are imputed with the training mean, an empty categorical one is the level (missing); an empty label sends the row to the quarantine."
            empty={none ? "No training files ingested yet." : null}
          >
            <ResponsiveContainer width="100%" height={Math.max(160, 36 * bars.length + 50)}>
              <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 48, bottom: 18, left: 8 }}>
                <CartesianGrid stroke="#e7ebf0" horizontal={false} />
                <XAxis
                  type="number"
                  domain={[0, ticks[ticks.length - 1]]}
                  ticks={ticks}
                  tickFormatter={(v: number) => `${fmt(v)}%`}
                  tick={{ fontSize: 11 }}
                  label={{ value: "empty cells (% of rows)", position: "insideBottom", offset: -10, fontSize: 12, fill: "#5b6673" }}
                />
                <YAxis type="category" dataKey="column" width={140} tick={{ fontSize: 11 }} />
                <Tooltip formatter={(v) => (typeof v === "number" ? `${v.toFixed(2)} %` : String(v))} />
                <Bar dataKey="missing" name="missing" fill="#a15c00" isAnimationActive={false} minPointSize={2}>
                  <LabelList dataKey="missing" position="right" formatter={(v: unknown) => (typeof v === "number" ? `${v.toFixed(2)} %` : "")} style={{ fontSize: 11, fill: "#1b1f24" }} />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </ChartCard>
        );
      }}
    </QueryState>
  );
}
