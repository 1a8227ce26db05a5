import fs from "node:fs";
import { z } from "zod";
import { AppError } from "../errors";
import type { DataSchema, FeatureSpec } from "./types";

/*
 * The schema file (`SCHEMA_FILE`, DESIGN.md "Schema, time and people"): reading and checking it,
 * the one JSON form it is stored and compared in, what differs between two schemas, and how a
 * label cell is read against it.
 */

/** The demo schema (the course data in data/sourcedata); `SCHEMA_FILE` overrides it. */
export const DEFAULT_SCHEMA_FILE = "data/schema.json";

/** Longest column name a schema accepts (names are stored and shown on every page). */
export const MAX_NAME_LENGTH = 200;

/**
 * A plain decimal number as the CSV readers accept it: optional sign, digits with an optional
 * decimal point, an optional complete exponent (`1e-05`, as pandas and R write small floats).
 * Not: thousands separators, decimal commas, `NaN`, `Infinity`, hex. The caller trims.
 */
const PLAIN_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isPlainDecimal(s: string): boolean {
  return PLAIN_DECIMAL.test(s);
}

const text = (what: string) => z.string({ error: (iss) => (iss.input === undefined ? "is missing" : `must be ${what}`) });
const columnName = text("a column name (text)");
const labelValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (iss) => (iss.input === undefined ? "is missing" : "must be a text, a number or true/false"),
});
const bound = z.number({ error: "must be a finite number or null" }).nullable().optional();

/** `{…}` with a readable message for an unknown key (a typo such as "minimum") or a non-object. */
const objectError = (iss: { code: string; keys?: string[] }) =>
  iss.code === "unrecognized_keys" ? `has an unknown key: ${(iss.keys ?? []).map((k) => `"${k}"`).join(", ")}` : "must be a JSON object";

const FEATURE_FORMS = `"numeric", "categorical", { "type": "numeric", "min"?: number, "max"?: number } or { "type": "categorical" }`;
const NumericSpec = z.strictObject({ type: z.literal("numeric"), min: bound, max: bound }, { error: objectError });
const CategoricalSpec = z.strictObject({ type: z.literal("categorical") }, { error: objectError });
type FileFeature = "numeric" | "categorical" | z.infer<typeof NumericSpec> | z.infer<typeof CategoricalSpec>;

/** One feature's spec, checked against the form its `type` names so the message points at the wrong field. */
const FileFeature = z.unknown().transform((v, ctx): FileFeature => {
  if (v === "numeric" || v === "categorical") return v;
  const type = typeof v === "object" && v !== null ? (v as { type?: unknown }).type : undefined;
  const spec = type === "numeric" ? NumericSpec : type === "categorical" ? CategoricalSpec : null;
  if (spec === null) {
    ctx.addIssue({ code: "custom", message: `must be ${FEATURE_FORMS}` });
    return z.NEVER;
  }
  const r = spec.safeParse(v);
  if (r.success) return r.data;
  for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
  return z.NEVER;
});

/** The file form, as written by hand or by `pipeline -- schema infer` (schemaFileForm). */
const SchemaFile = z.strictObject(
  {
    id: columnName.nullable(),
    label: columnName,
    positive: labelValue,
    negative: labelValue.optional(),
    time: columnName.nullable().optional(),
    features: z.record(z.string(), FileFeature, { error: (iss) => (iss.input === undefined ? "is missing" : "must be an object { name: type }") }),
  },
  { error: objectError },
);
type SchemaFile = z.infer<typeof SchemaFile>;

function schemaError(source: string, message: string): AppError {
  return new AppError("unprocessable:schema", `${source}: ${message}`);
}

/** `features.region.min` → `feature "region": "min"`, so a message names the field as the user sees it. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "the schema file";
  if (path[0] === "features" && path.length > 1) {
    const rest = path.slice(2).map(String).join(".");
    return `feature "${String(path[1])}"${rest ? `: "${rest}"` : ""}`;
  }
  return `"${path.map(String).join(".")}"`;
}

/**
 * Checks a schema file's parsed JSON and returns the normalised DataSchema: features in the file's
 * key order (note: JSON objects put integer-like keys such as "2020" first), every field present,
 * names trimmed (as the CSV header is), positive / negative as their text (`1` → "1", `true` →
 * "true").
 *
 * A missing `negative` is derived from `positive`: "1" → "0", "true" → "false", "yes" → "no",
 * "y" → "n", keeping the positive's case pattern ("Yes" → "No", "TRUE" → "FALSE"); any other
 * positive needs `negative` written out.
 *
 * Throws AppError `unprocessable:schema`, the message naming `source` and the field: wrong shape
 * or type, an unknown key, an empty name or one over 200 characters, no feature, a column used
 * twice (id, label, time and features compared case-insensitively, as the CSV header is),
 * min > max, positive equal to negative (as labelParser compares them).
 */
export function parseSchema(json: unknown, source: string): DataSchema {
  const parsed = SchemaFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${fieldName(i.path)} ${i.message}`);
    throw schemaError(source, issues.join("; "));
  }
  const file = parsed.data;
  const positive = labelText(file.positive, "positive", source);
  const schema: DataSchema = {
    id: file.id === null ? null : checkedName(file.id, '"id"', source),
    label: checkedName(file.label, '"label"', source),
    positive,
    negative: file.negative === undefined ? deriveNegative(positive, source) : labelText(file.negative, "negative", source),
    time: file.time == null ? null : checkedName(file.time, '"time"', source),
    features: normalisedFeatures(file.features, source),
  };
  checkColumnsDistinct(schema, source);
  if (sameLabelValue(schema.positive, schema.negative)) {
    throw schemaError(source, `"positive" (${JSON.stringify(schema.positive)}) and "negative" (${JSON.stringify(schema.negative)}) are the same label value`);
  }
  return schema;
}

function checkedName(raw: string, field: string, source: string): string {
  const name = raw.trim();
  if (name === "") throw schemaError(source, `${field} must not be empty`);
  if (name.length > MAX_NAME_LENGTH) throw schemaError(source, `${field} is longer than ${MAX_NAME_LENGTH} characters`);
  return name;
}

function labelText(v: string | number | boolean, field: string, source: string): string {
  const s = String(v).trim();
  if (s === "") throw schemaError(source, `"${field}" must not be empty`);
  return s;
}

function normalisedFeatures(features: SchemaFile["features"], source: string): FeatureSpec[] {
  const out: FeatureSpec[] = [];
  for (const [key, spec] of Object.entries(features)) {
    const name = checkedName(key, `a feature name ("${key}")`, source);
    if (spec === "categorical" || (typeof spec === "object" && spec.type === "categorical")) {
      out.push({ name, type: "categorical" });
      continue;
    }
    const min = typeof spec === "object" && spec.type === "numeric" ? (spec.min ?? null) : null;
    const max = typeof spec === "object" && spec.type === "numeric" ? (spec.max ?? null) : null;
    if (min !== null && max !== null && min > max) throw schemaError(source, `feature "${name}": min (${min}) is greater than max (${max})`);
    out.push({ name, type: "numeric", min, max });
  }
  if (out.length === 0) throw schemaError(source, `"features" is empty: name at least one feature column`);
  return out;
}

const NEGATIVE_OF: Record<string, string> = { "1": "0", true: "false", yes: "no", y: "n" };

/** The label value counted as 0 when the file names only the positive one (see parseSchema). */
function deriveNegative(positive: string, source: string): string {
  const lower = positive.toLowerCase();
  const negative = isPlainDecimal(positive) && Number(positive) === 1 ? "0" : NEGATIVE_OF[lower];
  if (negative === undefined) {
    throw schemaError(source, `"negative" is missing and cannot be derived from "positive": ${JSON.stringify(positive)}; write "negative": the label value counted as 0`);
  }
  if (positive === positive.toUpperCase() && positive !== lower) return negative.toUpperCase();
  if (positive[0] !== lower[0]) return negative[0].toUpperCase() + negative.slice(1);
  return negative;
}

function checkColumnsDistinct(s: DataSchema, source: string): void {
  const roles: [string, string][] = [];
  if (s.id !== null) roles.push([s.id, '"id"']);
  roles.push([s.label, '"label"']);
  if (s.time !== null) roles.push([s.time, '"time"']);
  for (const f of s.features) roles.push([f.name, `feature "${f.name}"`]);
  const seen = new Map<string, string>();
  for (const [name, role] of roles) {
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw schemaError(source, `column "${name}" is used twice (${first} and ${role}); CSV headers are matched case-insensitively`);
    }
    seen.set(key, role);
  }
}

/**
 * Reads and checks a schema file (parseSchema). Throws AppError `bad_request:schema` when the file
 * cannot be read, `unprocessable:schema` when it is not JSON or not a valid schema; the message
 * names the path.
 */
export function loadSchemaFile(path: string): DataSchema {
  let raw: string;
  try {
    raw = fs.readFileSync(path, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "there is no such file" : (e as Error).message;
    throw new AppError("bad_request:schema", `schema file ${path} cannot be read: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw schemaError(path, `not valid JSON (${(e as Error).message})`);
  }
  return parseSchema(json, path);
}

/**
 * The schema as stable JSON, for storing it and comparing two schemas: fixed key order, features
 * in schema order, every field present. Two schemas are the same exactly when these strings are
 * equal (and then schemaDifferences is empty).
 */
export function canonicalSchemaJson(s: DataSchema): string {
  return JSON.stringify({
    id: s.id,
    label: s.label,
    positive: s.positive,
    negative: s.negative,
    time: s.time,
    features: s.features.map((f) => (f.type === "numeric" ? { name: f.name, type: f.type, min: f.min, max: f.max } : { name: f.name, type: f.type })),
  });
}

type FileFeatureForm = "numeric" | "categorical" | { type: "numeric"; min?: number; max?: number };

/**
 * The file form of a schema (what `pipeline -- schema infer` prints and a SCHEMA_FILE holds):
 * a feature is "categorical", "numeric" when unbounded, else `{ "type": "numeric", "min"?, "max"? }`.
 * parseSchema(schemaFileForm(s)) gives s back.
 */
export function schemaFileForm(s: DataSchema): object {
  const features: Record<string, FileFeatureForm> = {};
  for (const f of s.features) {
    if (f.type === "categorical" || (f.min === null && f.max === null)) features[f.name] = f.type;
    else features[f.name] = { type: "numeric", ...(f.min !== null ? { min: f.min } : {}), ...(f.max !== null ? { max: f.max } : {}) };
  }
  return { id: s.id, label: s.label, positive: s.positive, negative: s.negative, time: s.time, features };
}

const shown = (v: string | number | null) => (v === null ? "none" : typeof v === "number" ? String(v) : JSON.stringify(v));

/**
 * What differs between the stored schema and the one wanted (a SCHEMA_FILE), one readable line
 * each, e.g. `feature "region": stored as categorical, the file says numeric`; empty exactly when
 * canonicalSchemaJson agrees. Names are compared as written (case counts).
 */
export function schemaDifferences(stored: DataSchema, wanted: DataSchema): string[] {
  const out: string[] = [];
  for (const k of ["id", "label", "positive", "negative", "time"] as const) {
    if (stored[k] !== wanted[k]) out.push(`${k}: stored ${shown(stored[k])}, the file says ${shown(wanted[k])}`);
  }
  const storedByName = new Map(stored.features.map((f) => [f.name, f]));
  const wantedNames = new Set(wanted.features.map((f) => f.name));
  for (const w of wanted.features) {
    const s = storedByName.get(w.name);
    if (!s) out.push(`feature "${w.name}" is not in the stored schema`);
    else out.push(...featureDifferences(s, w));
  }
  for (const s of stored.features) if (!wantedNames.has(s.name)) out.push(`feature "${s.name}" is stored but not in the file`);
  const common = (fs: FeatureSpec[], other: Set<string>) => fs.map((f) => f.name).filter((n) => other.has(n));
  const storedOrder = common(stored.features, wantedNames);
  const wantedOrder = common(wanted.features, new Set(storedByName.keys()));
  if (storedOrder.join("\u0000") !== wantedOrder.join("\u0000")) {
    out.push(`features are in another order: stored ${storedOrder.join(", ")}; the file says ${wantedOrder.join(", ")}`);
  }
  return out;
}

function featureDifferences(s: FeatureSpec, w: FeatureSpec): string[] {
  if (s.type !== w.type) return [`feature "${s.name}": stored as ${s.type}, the file says ${w.type}`];
  if (s.type !== "numeric" || w.type !== "numeric") return [];
  const out: string[] = [];
  if (s.min !== w.min) out.push(`feature "${s.name}": stored min ${shown(s.min)}, the file says ${shown(w.min)}`);
  if (s.max !== w.max) out.push(`feature "${s.name}": stored max ${shown(s.max)}, the file says ${shown(w.max)}`);
  return out;
}

/** Whether two label values read the same (labelParser's comparison). */
function sameLabelValue(a: string, b: string): boolean {
  return isPlainDecimal(a) && isPlainDecimal(b) ? Number(a) === Number(b) : a.toLowerCase() === b.toLowerCase();
}

/**
 * A reader of label cells for `schema`: 1 when the trimmed cell equals `positive`, 0 when it equals
 * `negative`, null otherwise (a third value, or an empty cell: the row is rejected). Text compares
 * case-insensitively; when the cell and the schema value are both plain decimal numbers they
 * compare as numbers, so "1.0" reads as "1" (pandas writes an integer column with gaps as floats).
 * The comparisons are prepared once, so the returned function costs a trim and a few string
 * compares per cell (it runs once per row of every file).
 */
export function labelParser(schema: Pick<DataSchema, "positive" | "negative">): (cell: string) => 0 | 1 | null {
  const pos = schema.positive;
  const neg = schema.negative;
  const posLower = pos.toLowerCase();
  const negLower = neg.toLowerCase();
  const posNumber = isPlainDecimal(pos) ? Number(pos) : null;
  const negNumber = isPlainDecimal(neg) ? Number(neg) : null;
  const anyNumber = posNumber !== null || negNumber !== null;
  return (cell: string) => {
    const s = cell.trim();
    if (s === pos) return 1;
    if (s === neg) return 0;
    if (anyNumber && isPlainDecimal(s)) {
      const n = Number(s);
      if (n === posNumber) return 1;
      if (n === negNumber) return 0;
      return null;
    }
    const lower = s.toLowerCase();
    if (lower === posLower) return 1;
    if (lower === negLower) return 0;
    return null;
  };
}

/** One label cell read against `schema` (labelParser; build the parser once when reading many rows). */
export function labelValueOf(schema: Pick<DataSchema, "positive" | "negative">, cell: string): 0 | 1 | null {
  return labelParser(schema)(cell);
}
