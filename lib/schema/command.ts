import { isAppError } from "../errors";
import { formatInferenceReport, inferSchemaFile } from "./infer";
import { DEFAULT_SCHEMA_FILE, loadSchemaFile, schemaFileForm } from "./parse";

/*
 * `npm run pipeline -- schema infer|check` (scripts/pipeline.ts hands its arguments here). It works
 * on files only: no configuration, migration or database, so a schema can be proposed and checked
 * before the database exists.
 */

const SCHEMA_USAGE =
  "usage: npm run pipeline -- schema infer FILE.csv --label COL [--id COL] [--time COL] [--positive VALUE]\n" +
  "       npm run pipeline -- schema check [FILE]   (default: SCHEMA_FILE, else data/schema.json)";

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
}

/** `--name VALUE` options and positional arguments; null (a usage error) for an unknown option or one without a value. */
function parseOptions(args: string[], names: readonly string[]): { positional: string[]; options: Record<string, string> } | null {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("--")) {
      positional.push(args[i]);
      continue;
    }
    const name = args[i].slice(2);
    const value = args[i + 1];
    if (!names.includes(name) || value === undefined || value.startsWith("--")) return null;
    options[name] = value;
    i++;
  }
  return { positional, options };
}

/**
 * Runs `schema infer FILE.csv --label COL [--id COL] [--time COL] [--positive VALUE]` (the proposed
 * schema in its file form on `out`, so `> my-schema.json` gives a SCHEMA_FILE; the column report and
 * notes on `err`) or `schema check [FILE]` (the normalised schema on `out`). Returns the exit code:
 * 0 done, 1 an AppError (its message and code on `err`), 2 a usage error (the usage on `err`).
 */
export async function schemaCommand(args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseOptions(rest, sub === "infer" ? ["label", "id", "time", "positive"] : []);
  try {
    if (sub === "infer" && parsed && parsed.positional.length === 1 && parsed.options.label) {
      const { label, id, time, positive } = parsed.options;
      const inferred = await inferSchemaFile(parsed.positional[0], { label, id, time, positive });
      io.err(formatInferenceReport(inferred));
      io.out(`${JSON.stringify(schemaFileForm(inferred.schema), null, 2)}\n`);
      return 0;
    }
    if (sub === "check" && parsed && parsed.positional.length <= 1) {
      const file = parsed.positional[0] ?? (io.env.SCHEMA_FILE?.trim() || DEFAULT_SCHEMA_FILE);
      const schema = loadSchemaFile(file);
      io.out(`${JSON.stringify(schema, null, 2)}\n`);
      io.err(`${file}: a valid schema with ${schema.features.length} feature(s)\n`);
      return 0;
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    io.err(`error: ${e.message} (${e.code})\n`);
    return 1;
  }
  io.err(`${SCHEMA_USAGE}\n`);
  return 2;
}
