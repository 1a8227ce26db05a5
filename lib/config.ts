import path from "node:path";
import { z } from "zod";
import { parseScoreCheckIds } from "./drift/score-checks";
import { isAppError } from "./errors";
import { AppError } from "./errors";

/**
 * Configuration from the environment (API.md, "Configuration"), validated once.
 * A bad value throws with a message naming the variable and what it accepts.
 */
const BOOL = z
  .enum(["", "0", "1", "false", "true", "no", "yes"], { message: "must be 1/true/yes or 0/false/no (or empty)" })
  .default("")
  .transform((v) => v === "1" || v === "true" || v === "yes");

const fields = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/app.db")
    .refine(
      (v) => v.startsWith("file:") || /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(v),
      "must be a SQLite URL starting with file: (e.g. file:./data/app.db) or a PostgreSQL URL postgresql://user:password@host:port/database",
    ),
  SOURCE_DIR: z.string().min(1).default("data/sourcedata"),
  TEST_DATA: z.string().min(1).default("data/testdata/testdata.csv"),
  /** the schema file (lib/schema/parse.ts) the first ingestion stores; unset: data/schema.json, and a stored schema is used as it is */
  SCHEMA_FILE: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** the address `npm start` binds (Next.js's convention); unset or empty: every interface */
  HOSTNAME: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
  /** behind a reverse proxy: take the client's address from its X-Forwarded-For (else the peer address, whatever the header says) */
  TRUST_PROXY: BOOL,
  /** with users: keep every read (GET of a viewer route, the pages) open to anyone on purpose (lib/auth/access.ts) */
  PUBLIC_READ: BOOL,
  /** with users: /api/metrics needs no sign-in (for a Prometheus scraper) */
  METRICS_PUBLIC: BOOL,
  /** the auth proxy mode (with TRUST_PROXY): the request header a proxy in front sets to the signed-in person's name, e.g. X-Forwarded-Email */
  AUTH_PROXY_HEADER: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim().toLowerCase() : undefined))
    .pipe(z.string().regex(/^[a-z0-9-]+$/, "must be an HTTP header name (letters, digits and -)").optional()),
  /** the auth proxy mode: a name the proxy sends that no user has becomes a viewer (1, the default) or is refused (0) */
  AUTH_PROXY_AUTO_CREATE: z
    .enum(["", "0", "1", "false", "true", "no", "yes"], { message: "must be 1/true/yes or 0/false/no (or empty)" })
    .default("1")
    .transform((v) => v !== "0" && v !== "false" && v !== "no"),
  /** a session ends this many hours after sign-in */
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 90).default(12),
  /** a session ends after this many minutes without a request */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60 * 90).default(60),
  /** the session cookie's Secure flag: auto (when the request came over HTTPS, or X-Forwarded-Proto says so behind TRUST_PROXY), 1 always, 0 never */
  SECURE_COOKIES: z.enum(["auto", "1", "0"], { message: "must be auto, 1 or 0" }).default("auto"),
  ADMIN_TOKEN: z
    .string()
    .min(8, "must be at least 8 characters when set")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PIPELINE_CRON: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined)),
  DRIFT_TRIGGER: z
    .string()
    .default("latest")
    .transform((v, ctx) => {
      try {
        return parseScoreCheckIds(v);
      } catch (e) {
        if (!isAppError(e)) throw e;
        ctx.addIssue({ code: "custom", message: e.message });
        return z.NEVER;
      }
    }),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(50),
  ALERT_WEBHOOK_URL: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined))
    .pipe(z.url().optional()),
  LOCK_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  /** /api/health says "degraded" while the database file's volume has less free space than this (MB) */
  MIN_FREE_MB: z.coerce.number().min(0).default(100),
  /** a cap on the SQLite file (PRAGMA max_page_count on every connection, pages of 4 KiB): a quota, and how the full-volume path is tested */
  SQLITE_MAX_PAGE_COUNT: z.coerce.number().int().positive().optional(),
  /** categorical levels seen fewer times than this in the training rows are pooled into "(other)" (lib/model/encoding.ts) */
  MIN_LEVEL_COUNT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /**
   * fewest rows a period of a replay (or of the set-up page's history) may hold: smaller periods are
   * merged into the next one; the set-up page refuses a file with fewer than 2 × MIN_PERIOD_ROWS rows
   * (a first model and at least one period to check it on)
   */
  MIN_PERIOD_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(200),
  /** where the PDF report is kept; unset: a "reports" folder beside the SQLite file, so each database has its own */
  REPORT_DIR: z.string().min(1).optional(),
});
const schema = fields.transform((c) => ({ ...c, REPORT_DIR: c.REPORT_DIR ?? defaultReportDir(c.DATABASE_URL) }));
const NAMES = Object.keys(fields.shape);

/** A "reports" folder beside the SQLite file; on PostgreSQL data/reports (a cache: instances regenerate it, lib/report). */
export function defaultReportDir(databaseUrl: string): string {
  return databaseUrl.startsWith("file:") ? path.join(path.dirname(sqlitePath(databaseUrl)), "reports") : path.resolve(/*turbopackIgnore: true*/ process.cwd(), "data", "reports");
}

export type Config = z.infer<typeof schema>;

/** Parse and validate the configuration; throws AppError("bad_request:config") naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Parsed again only when a variable it reads (or the folder relative paths resolve from) changed:
  // the prediction route asks for it per request, and the zod parse was 12 % of a request's CPU.
  // In a server (pinConfig) not even that is looked at again: building the key was 5 % of it.
  if (env === process.env && cached && pinned.is) return { ...cached.config };
  let key = process.cwd();
  for (const n of NAMES) key += `\u0001${env[n] ?? "\u0000"}`;
  if (env === process.env && key === cached?.key) return { ...cached.config };
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new AppError("bad_request:config", `Invalid configuration — ${lines.join("; ")}`);
  }
  if (env === process.env) cached = { key, config: parsed.data };
  return { ...parsed.data };
}

let cached: { key: string; config: Config } | null = null;
const pinned = ((globalThis as unknown as { __draConfigPinned?: { is: boolean } }).__draConfigPinned ??= { is: false });

/**
 * For a server process, whose environment is set once when it starts (scripts/serve.ts): from now
 * on loadConfig() answers what it parsed, without reading the environment again.
 */
export function pinConfig(): void {
  pinned.is = true;
}

/** Absolute path of the SQLite file a `file:` URL names, relative paths resolved from the project root (cwd). */
export function sqlitePath(databaseUrl: string): string {
  const p = databaseUrl.replace(/^file:/, "");
  return path.isAbsolute(p) ? p : path.resolve(/*turbopackIgnore: true*/ process.cwd(), p);
}
