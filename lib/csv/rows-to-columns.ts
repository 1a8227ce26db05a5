import type { CategoricalColumn, DataColumns, FeatureColumn, NumericColumn } from "../schema/columns";
import { MISSING_LEVEL, type DataSchema } from "../schema/types";

/** The values of one row in schema feature order (lib/csv/parse-schema-csv.ts SchemaRow, or a JSON request's row). */
export interface RowValues {
  values: readonly (number | string | null)[];
  label: 0 | 1 | null;
  time?: number | null;
}

/**
 * Rows (a parsed CSV, a prediction request) as columns of `schema`: numeric values as given, an
 * empty cell NaN with its missing flag; categorical cells coded through a dictionary of this
 * data's own (first seen, first coded; an empty cell is the level "(missing)"); labels 0 when absent.
 * Cost: O(rows × features).
 */
export function columnsFromRows(schema: DataSchema, rows: readonly RowValues[]): DataColumns {
  const n = rows.length;
  const features: Record<string, FeatureColumn> = {};
  schema.features.forEach((f, j) => {
    if (f.type === "numeric") {
      const c: NumericColumn = { type: "numeric", values: new Float64Array(n), missing: new Uint8Array(n) };
      for (let i = 0; i < n; i++) {
        const v = rows[i].values[j];
        if (v === null || v === undefined) {
          c.values[i] = NaN;
          c.missing[i] = 1;
        } else c.values[i] = v as number;
      }
      features[f.name] = c;
      return;
    }
    const dictionary = new Map<string, number>();
    const levels: string[] = [];
    const codes = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const v = rows[i].values[j];
      const level = v === null || v === undefined ? MISSING_LEVEL : String(v);
      let code = dictionary.get(level);
      if (code === undefined) {
        code = levels.length;
        dictionary.set(level, code);
        levels.push(level);
      }
      codes[i] = code;
    }
    features[f.name] = { type: "categorical", codes, levels } satisfies CategoricalColumn;
  });
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) label[i] = rows[i].label ?? 0;
  const time = schema.time ? Float64Array.from(rows, (r) => r.time ?? NaN) : null;
  return { n, features, label, time, maxId: 0 };
}
