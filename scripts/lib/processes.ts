import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/*
 * Processes and servers of the benchmark scripts (npm run bench, npm run loadtest): /proc
 * readings (RSS, process trees, which process listens on a port), free loopback ports.
 */

/**
 * The environment of the app server on top of the caller's (npm start, the bench, the load test).
 * MALLOC_ARENA_MAX=2: glibc gives each thread that allocates its own malloc arena (up to 8 per
 * core) and keeps them; the worker threads of trainings and runs then leave their peaks in the
 * server's RSS. With two arenas the RSS after a run with a training stays near where it was
 * (npm run loadtest, 200,000 rows: +64 MB between the first and last 10 s with it, +125 MB without).
 * A value the caller sets wins.
 */
export function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: "2", ...env };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function procStatus(pid: number): Record<string, string> | null {
  try {
    const out: Record<string, string> = {};
    for (const line of fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n")) {
      const i = line.indexOf(":");
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
    }
    return out;
  } catch {
    return null;
  }
}
export const kB = (v: string | undefined) => (v ? Number(v.replace(/\s*kB$/, "")) : 0);

/** pid and every descendant (from /proc/<pid>/task/<pid>/children or PPid scan). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url: string, timeoutS: number, child?: ChildProcess): Promise<boolean> {
  const end = Date.now() + timeoutS * 1000;
  while (Date.now() < end) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) return false;
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      if (r.status < 500) return true;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  return false;
}

/** The pid in `pids` that owns a socket listening on `port` (via /proc/net/tcp*). */
export function listeningPid(pids: number[], port: number): number | undefined {
  const inodes = new Set<string>();
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length > 9 && c[3] === "0A" && parseInt(c[1].split(":")[1], 16) === port) inodes.add(c[9]);
    }
  }
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const l = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(l);
        if (m && inodes.has(m[1])) return pid;
      }
    } catch {
      /* exited or not ours */
    }
  }
  return undefined;
}

