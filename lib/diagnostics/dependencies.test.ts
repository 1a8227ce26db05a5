import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDependencyChecks } from "../db/diagnostics";
import { createTestDb } from "../testing/temp-db";
import { checkDependencies, dependencyStatus, refreshDependencyCache } from "./dependencies";

/*
 * The npm client is pointed at registries on 127.0.0.1 only: a fake registry serving
 * packuments, a port nothing listens on, and a server that accepts and never answers.
 */

let project: string;
const servers: http.Server[] = [];

function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
}

const PACKUMENTS: Record<string, string[]> = { alpha: ["1.0.0", "2.0.0"], beta: ["1.2.3"], gamma: ["3.0.0", "3.1.0"] };

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), "dra-deps-"));
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "fake", version: "1.0.0", dependencies: { alpha: "^1.0.0", beta: "1.2.3" }, devDependencies: { gamma: "^3.0.0" } }),
  );
  for (const [name, version] of [["alpha", "1.0.0"], ["beta", "1.2.3"]]) {
    fs.mkdirSync(path.join(project, "node_modules", name), { recursive: true });
    fs.writeFileSync(path.join(project, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
  }
});

afterAll(() => {
  for (const s of servers) s.closeAllConnections?.(), s.close();
  fs.rmSync(project, { recursive: true, force: true });
});

describe("dependencyStatus", () => {
  it("compares installed and latest with semver", () => {
    expect(dependencyStatus("1.0.0", "2.0.0").status).toBe("outdated");
    expect(dependencyStatus("1.10.0", "1.9.0").status).toBe("current");
    expect(dependencyStatus("2.0.0", "2.0.0").status).toBe("current");
    expect(dependencyStatus("2.0.0-rc.1", "2.0.0").status).toBe("outdated");
    expect(dependencyStatus(null, "2.0.0")).toMatchObject({ status: "unknown", reason: expect.stringMatching(/not installed/) });
    expect(dependencyStatus("1.0.0", null).status).toBe("unknown");
    expect(dependencyStatus("banana", "1.0.0").status).toBe("unknown");
  });
});

describe("checkDependencies", () => {
  it("lists every dependency and devDependency with declared, installed, latest and status (fake registry)", async () => {
    const registry = await listen((req, res) => {
      const name = decodeURIComponent((req.url ?? "/").slice(1));
      const versions = PACKUMENTS[name];
      if (!versions) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          name,
          "dist-tags": { latest: versions[versions.length - 1] },
          versions: Object.fromEntries(versions.map((v) => [v, { name, version: v, dist: { tarball: `${registry}${name}/-/${name}-${v}.tgz`, shasum: "0".repeat(40) } }])),
        }),
      );
    });
    const deps = await checkDependencies({ cwd: project, timeoutMs: 20_000, env: { npm_config_registry: registry, npm_config_cache: path.join(project, ".npm-cache") } });
    expect(deps).toEqual([
      { name: "alpha", declared: "^1.0.0", installed: "1.0.0", latest: "2.0.0", status: "outdated", reason: null },
      { name: "beta", declared: "1.2.3", installed: "1.2.3", latest: "1.2.3", status: "current", reason: null },
      { name: "gamma", declared: "^3.0.0", installed: null, latest: null, status: "unknown", reason: expect.stringMatching(/not installed/) },
    ]);
  });

  it("offline (nothing listens on the registry port) → every status unknown with the reason, quickly", async () => {
    const t0 = Date.now();
    const deps = await checkDependencies({ cwd: project, timeoutMs: 15_000, env: { npm_config_registry: "http://127.0.0.1:9/" } });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(deps).toHaveLength(3);
    for (const d of deps) {
      expect(d.status).toBe("unknown");
      expect(d.latest).toBeNull();
      expect(d.reason).toMatch(/ECONNREFUSED|unreachable/);
    }
    expect(deps.find((d) => d.name === "alpha")?.installed).toBe("1.0.0");
  });

  it("a registry that accepts and never answers → unknown after the timeout, never a hang", async () => {
    const hanging = await listen(() => {
      /* never respond */
    });
    const t0 = Date.now();
    const deps = await checkDependencies({ cwd: project, timeoutMs: 2000, env: { npm_config_registry: hanging } });
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(6000);
    for (const d of deps) {
      expect(d.status).toBe("unknown");
      expect(d.reason).toMatch(/did not answer within 2 s|timed out|ETIMEDOUT|unreachable/i);
    }
  });

  it("refreshDependencyCache stores the results with checkedAt", async () => {
    const t = createTestDb();
    try {
      const { checkedAt } = await refreshDependencyCache(t.db, { cwd: project, timeoutMs: 10_000, env: { npm_config_registry: "http://127.0.0.1:9/" } });
      const rows = await listDependencyChecks(t.db);
      expect(rows.map((r) => r.name)).toEqual(["alpha", "beta", "gamma"]);
      expect(rows.every((r) => r.checkedAt.getTime() === checkedAt.getTime() && r.status === "unknown" && r.reason)).toBe(true);
      // a second refresh replaces, not appends
      await refreshDependencyCache(t.db, { cwd: project, timeoutMs: 10_000, env: { npm_config_registry: "http://127.0.0.1:9/" } });
      expect(await listDependencyChecks(t.db)).toHaveLength(3);
    } finally {
      await t.cleanup();
    }
  });
});
