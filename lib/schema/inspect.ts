import { parse } from "csv-parse/sync";
import type { AppError } from "../errors";
import { inspectColumns, type ColumnInspection } from "./infer";
import { findLeaks, type Leak, type LeakColumn } from "./leaks";
import { isPlainDecimal, labelParser } from "./parse";
import type { DataSchema } from "./types";

/*
 * What the set-up page shows about a CSV before it becomes the first dataset (POST
 * /api/setup/inspect): the column report and proposed schema of inspectColumns, the label's values,
 * the features that leak the label (lib/schema/leaks.ts) and what the product cannot take
 * (refusals), each with a code and a message saying what to change.
 */

/** The leak check reads at most this many data rows (the first ones), so its cost is bounded whatever the file's size. */
const LEAK_CHECK_MAX_ROWS = 200_000;

export const REFUSAL_CODES = ["no-label", "label-not-binary", "positive-value", "time-column", "no-feature", "too-few-rows"] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export interface SetupInspection extends Omit<ColumnInspection, "problems"> {
  leaks: Leak[];
  /** data rows the leak check read (at most LEAK_CHECK_MAX_ROWS, rows without a readable label left out) */
  leakCheckRows: number;
  refusals: Refusal[];
  /** rows the product needs at least: 2 × MIN_PERIOD_ROWS (a first model and a period to check it on) */
  minRows: number;
}

export interface SetupInspectOptions {
  label?: string;
  id?: string;
  time?: string;
  positive?: string;
  name: string;
  minPeriodRows: number;
}

/** Inspect an uploaded CSV for the set-up page; a broken file, or an option naming no column, throws (400/415/422) as inferSchema does. */
export async function inspectSetupCsv(content: Buffer, opts: SetupInspectOptions): Promise<SetupInspection> {
  const { problems, ...inspection } = await inspectColumns(content, { ...opts, proposeLabel: opts.label === undefined });
  const refusals = refusalsOf(inspection, problems, opts);
  const { leaks, rows } = inspection.schema ? leaksOf(content, inspection.schema) : { leaks: [], rows: 0 };
  // the notes name the CLI's flags; on the set-up page they are roles of the column table
  const notes = inspection.notes.map((n) => n.replace(/pass --(id|time) (\S+?)( to make it| if it)/g, 'choose the role "$1" for $2$3').replace(/^no --id/, "no id column"));
  return { ...inspection, notes, leaks, leakCheckRows: rows, refusals, minRows: 2 * opts.minPeriodRows };
}

function refusalsOf(inspection: Omit<ColumnInspection, "problems">, problems: AppError[], opts: SetupInspectOptions): Refusal[] {
  const strip = (m: string) => m.replace(`${opts.name}: `, "").replace(/--positive VALUE/, "the positive value").replace(/--(label|id|time|positive)\b/g, "the $1");
  const refusals: Refusal[] = [];
  if (inspection.label === null) {
    refusals.push({ code: "no-label", message: "Choose the label: the column with the outcome to predict (two values, such as 0/1 or yes/no). No column is named like one (label, target, churn, exited, y) with two values." });
  }
  for (const p of problems) {
    const message = strip(p.message);
    if (/no column can be a feature/.test(p.message)) {
      refusals.push({ code: "no-feature", message: `No usable feature: ${message.replace(/^no column can be a feature: /, "")}. Keep at least one numeric or categorical column besides the label, id and time.` });
    } else if (/--time|the time/.test(p.message)) refusals.push({ code: "time-column", message: `${message}. Choose another time column, or none.` });
    else if (inspection.labelValues.length === 2) refusals.push({ code: "positive-value", message: `${message}.` });
    else refusals.push({ code: "label-not-binary", message: `${message}. The product predicts a label with exactly two values: choose another column or recode this one.` });
  }
  if (inspection.rows < 2 * opts.minPeriodRows) {
    refusals.push({
      code: "too-few-rows",
      message: `The file has ${inspection.rows} data rows; at least ${2 * opts.minPeriodRows} are needed (2 × MIN_PERIOD_ROWS = 2 × ${opts.minPeriodRows}): a first model and at least one period to check it on.`,
    });
  }
  return refusals;
}

/** The leak check on the first LEAK_CHECK_MAX_ROWS rows with a readable label: each feature of the proposed schema alone against the label. */
function leaksOf(content: Buffer, schema: DataSchema): { leaks: Leak[]; rows: number } {
  const readLabel = labelParser(schema);
  const names = [schema.label, ...schema.features.map((f) => f.name)].map((n) => n.toLowerCase());
  let at: number[] = [];
  const labels: number[] = [];
  const cells: string[][] = schema.features.map(() => []);
  let header = true;
  // the file was read once already (inspectColumns): it is valid CSV; records are handed over and not kept
  parse(content, {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    to_line: LEAK_CHECK_MAX_ROWS * 2 + 1,
    on_record: (fields: string[]) => {
      if (header) {
        header = false;
        at = names.map((n) => fields.findIndex((h) => h.toLowerCase() === n));
        return null;
      }
      if (labels.length >= LEAK_CHECK_MAX_ROWS || fields.every((f) => f === "")) return null;
      const y = readLabel(fields[at[0]] ?? "");
      if (y === null) return null;
      labels.push(y);
      for (let j = 0; j < cells.length; j++) cells[j].push(fields[at[j + 1]] ?? "");
      return null;
    },
  });
  const columns: LeakColumn[] = schema.features.map((f, j) =>
    f.type === "numeric"
      ? { name: f.name, type: "numeric", values: Float64Array.from(cells[j], (c) => (c !== "" && isPlainDecimal(c) ? Number(c) : NaN)) }
      : { name: f.name, type: "categorical", values: cells[j] },
  );
  return { leaks: findLeaks(columns, labels), rows: labels.length };
}
