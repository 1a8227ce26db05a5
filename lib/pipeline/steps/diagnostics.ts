import type { Db } from "../../db/client";
import { dependencyCacheAge, refreshDependencyCache, refreshDependencyCacheInBackground } from "../../diagnostics/dependencies";
import { summarizeIntegrity } from "../../diagnostics/integrity";
import type { FullProcessOptions, PipelineStep } from "./types";

const DEFAULT_DEPENDENCY_MAX_AGE_MS = 3_600_000;
const DEFAULT_DEPENDENCY_TIMEOUT_MS = 15_000;

/** Refresh the dependency cache as `options.dependencies` says, when it is stale; says what it did. */
async function refreshDependencies(db: Db, options: FullProcessOptions): Promise<string> {
  const mode = options.dependencies ?? "await";
  if (mode === "skip") return "cache not refreshed (skipped)";
  const maxAge = options.dependencyMaxAgeMs ?? DEFAULT_DEPENDENCY_MAX_AGE_MS;
  const last = await dependencyCacheAge(db);
  if (last && Date.now() - last.getTime() < maxAge) return `cache fresh (checked ${last.toISOString()})`;
  const opts = { cwd: options.cwd, timeoutMs: options.dependencyTimeoutMs ?? DEFAULT_DEPENDENCY_TIMEOUT_MS, env: options.dependencyEnv };
  if (mode === "background") {
    void refreshDependencyCacheInBackground(db, "pipeline", { ...opts, maxAgeMs: maxAge });
    return "refresh started in the background";
  }
  const { dependencies } = await refreshDependencyCache(db, opts);
  const count = (s: string) => dependencies.filter((d) => d.status === s).length;
  const unknown = count("unknown") ? ` (${dependencies.find((d) => d.status === "unknown")?.reason})` : "";
  return `refreshed: ${count("current")} current, ${count("outdated")} outdated, ${count("unknown")} unknown${unknown}`;
}

/** Integrity of the training data and the dependency cache. */
export const diagnostics: PipelineStep = {
  name: "diagnostics",
  async run(ctx) {
    const integrity = await summarizeIntegrity(ctx.db);
    const deps = await refreshDependencies(ctx.db, ctx.options);
    return `${integrity.summary}; dependencies: ${deps}`;
  },
};
