import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import type { Db } from "../db/client";
import { listDependencyChecks, replaceDependencyChecks, type NewDependencyCheck } from "../db/diagnostics";

/*
 * Dependency status (DESIGN.md "Dependencies"): every dependency and devDependency of
 * package.json with its declared range, the installed version (node_modules/<name>/
 * package.json) and the latest version on the registry, from ONE `npm outdated --json`
 * call. npm lists a package there whenever installed, wanted and latest differ, so a
 * package it does not list is at its latest version. The call has a hard timeout, no
 * retries and a fetch timeout: an offline or slow registry yields status `unknown` with the
 * reason, never a hang.
 */

export type DependencyStatus = NewDependencyCheck;

export interface DependencyCheckOptions {
  /** project folder holding package.json and node_modules (default: cwd) */
  cwd?: string;
  /** overall limit for the npm call (default 20 s) */
  timeoutMs?: number;
  /** extra environment for npm (tests point npm_config_registry at an unreachable port) */
  env?: Record<string, string | undefined>;
}

interface OutdatedEntry {
  current?: string;
  wanted?: string;
  latest?: string;
}

type NpmAnswer = { ok: true; outdated: Record<string, OutdatedEntry> } | { ok: false; reason: string };

function readDeclaredDependencies(cwd: string): { name: string; declared: string; dev: boolean }[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return [
    ...Object.entries(pkg.dependencies ?? {}).map(([name, declared]) => ({ name, declared, dev: false })),
    ...Object.entries(pkg.devDependencies ?? {}).map(([name, declared]) => ({ name, declared, dev: true })),
  ];
}

function installedVersion(cwd: string, name: string): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(cwd, "node_modules", name, "package.json"), "utf8")) as { version?: string };
    return typeof pkg.version === "string" ? pkg.version : null;
  } catch {
    return null;
  }
}

function runNpmOutdated(cwd: string, timeoutMs: number, env: Record<string, string | undefined>): Promise<NpmAnswer> {
  const seconds = Math.round(timeoutMs / 1000);
  return new Promise((resolve) => {
    execFile(
      process.platform === "win32" ? "npm.cmd" : "npm",
      ["outdated", "--json"],
      {
        cwd,
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 8 * 1024 * 1024,
        env: {
          ...process.env,
          npm_config_fetch_retries: "0",
          npm_config_fetch_timeout: String(Math.max(1000, timeoutMs - 500)),
          npm_config_update_notifier: "false",
          npm_config_audit: "false",
          npm_config_fund: "false",
          ...env,
        },
      },
      (error, stdout) => {
        const err = error as (NodeJS.ErrnoException & { killed?: boolean; signal?: string }) | null;
        if (err?.killed || err?.signal === "SIGKILL") {
          resolve({ ok: false, reason: `npm outdated did not answer within ${seconds} s (registry slow or unreachable)` });
          return;
        }
        if (err?.code === "ENOENT") {
          resolve({ ok: false, reason: "the npm client was not found on PATH" });
          return;
        }
        // npm exits 1 when something is outdated: the JSON on stdout is still the answer.
        let parsed: unknown;
        try {
          parsed = stdout.trim() === "" ? {} : JSON.parse(stdout);
        } catch {
          resolve({ ok: false, reason: `npm outdated printed no JSON${err ? ` (${err.message.split("\n")[0]})` : ""}` });
          return;
        }
        const e = (parsed as { error?: { code?: string; summary?: string } }).error;
        if (e) {
          resolve({ ok: false, reason: `registry unreachable: ${e.code ?? "error"}${e.summary ? ` — ${e.summary.split("\n")[0]}` : ""}` });
          return;
        }
        resolve({ ok: true, outdated: parsed as Record<string, OutdatedEntry> });
      },
    );
  });
}

/** current when installed ≥ latest (semver), outdated when lower, unknown when either is missing or not a version. */
export function dependencyStatus(installed: string | null, latest: string | null): { status: DependencyStatus["status"]; reason: string | null } {
  if (!installed) return { status: "unknown", reason: "not installed (no node_modules/<name>/package.json)" };
  if (!latest) return { status: "unknown", reason: "latest version unknown" };
  const i = semver.valid(installed);
  const l = semver.valid(latest);
  if (!i || !l) return { status: "unknown", reason: `not comparable as semver (installed ${installed}, latest ${latest})` };
  return semver.lt(i, l) ? { status: "outdated", reason: null } : { status: "current", reason: null };
}

/** Check every declared package. Never throws for registry trouble; never takes longer than timeoutMs (plus reading files). */
export async function checkDependencies({ cwd = /*turbopackIgnore: true*/ process.cwd(), timeoutMs = 20_000, env = {} }: DependencyCheckOptions = {}): Promise<DependencyStatus[]> {
  const declared = readDeclaredDependencies(cwd);
  const answer = await runNpmOutdated(cwd, timeoutMs, env);
  return declared.map(({ name, declared: range }) => {
    const installed = installedVersion(cwd, name);
    if (!answer.ok) return { name, declared: range, installed, latest: null, status: "unknown", reason: answer.reason };
    const entry = answer.outdated[name];
    const latest = entry ? (entry.latest ?? null) : installed;
    return { name, declared: range, installed, latest, ...dependencyStatus(installed, latest) };
  });
}

/** Run the check and replace the cache in the database. */
export async function refreshDependencyCache(db: Db, opts: DependencyCheckOptions = {}): Promise<{ checkedAt: Date; dependencies: DependencyStatus[] }> {
  const dependencies = await checkDependencies(opts);
  const checkedAt = new Date();
  await replaceDependencyChecks(db, dependencies, checkedAt);
  return { checkedAt, dependencies };
}

/** When the cache was last filled, or null if never. */
export async function dependencyCacheAge(db: Db): Promise<Date | null> {
  const rows = await listDependencyChecks(db);
  return rows.length ? rows.reduce((a, r) => (r.checkedAt > a ? r.checkedAt : a), rows[0].checkedAt) : null;
}

const inFlight = new Map<string, Promise<unknown>>();

/**
 * Refresh in the background unless a refresh for this database is already running or the
 * cache is younger than maxAgeMs. Errors are logged, never thrown: callers (the full
 * process, server start) must not wait for or fail on the registry.
 */
export function refreshDependencyCacheInBackground(db: Db, key: string, opts: DependencyCheckOptions & { maxAgeMs?: number } = {}): Promise<unknown> {
  const existing = inFlight.get(key);
  if (existing) return existing;
  const p = (async () => {
    const last = await dependencyCacheAge(db);
    if (last && opts.maxAgeMs !== undefined && Date.now() - last.getTime() < opts.maxAgeMs) return;
    await refreshDependencyCache(db, opts);
  })()
    .catch((e) => console.error("[dependencies] refresh failed:", (e as Error).message))
    .finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** Resolve when every background refresh started by this process has finished (tests, shutdown). */
export async function waitForDependencyRefreshes(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
}
