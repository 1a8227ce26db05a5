import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/*
 * A throwaway PostgreSQL cluster for tests (Debian's postgresql package; see
 * ../shared/notes/postgresql.md): initdb in a temp folder (not under /root: the postgres user
 * must reach it), trust auth, loopback only, fsync off. Started by the vitest globalSetup of the
 * postgresql project and by the two-instance test; stopped and deleted at the end.
 */

export interface PgCluster {
  /** postgresql://postgres@127.0.0.1:PORT/postgres (the maintenance database) */
  adminUrl: string;
  port: number;
  bin: string;
  dir: string;
  stop: () => void;
}

/** The newest installed PostgreSQL's bin folder, or null when the package is not installed. */
export function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")));
  versions.sort((a, b) => Number(a) - Number(b));
  return versions.length ? path.join(root, versions[versions.length - 1], "bin") : null;
}

/** A free-looking loopback port: the cluster's own start fails loudly if it is taken. */
function pickPort(): number {
  return 20_000 + ((process.pid * 7 + Date.now()) % 20_000);
}

/** A temp folder for a cluster, and a runner of its programs (as the postgres user when we are root: initdb refuses root). */
function clusterFolder(bin: string): { dir: string; run: (cmd: string, args: string[]) => Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dra-pg-"));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : path.join(bin, cmd), asRoot ? ["-u", "postgres", "--", path.join(bin, cmd), ...args] : args, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    execFileSync("chown", ["postgres:postgres", dir]);
  }
  return { dir, run };
}

/** Start the server of `dir`/data on a free port; the cluster it makes stops it and deletes `dir`. */
function startServer(bin: string, dir: string, run: (cmd: string, args: string[]) => Buffer): PgCluster {
  let port = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    port = pickPort() + attempt;
    try {
      run("pg_ctl", [
        "-D", path.join(dir, "data"), "-l", path.join(dir, "log"), "-w", "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c TimeZone=UTC`,
        "start",
      ]);
      break;
    } catch (e) {
      if (attempt === 4) throw new Error(`could not start PostgreSQL: ${(e as Error).message}\n${fs.existsSync(path.join(dir, "log")) ? fs.readFileSync(path.join(dir, "log"), "utf8") : ""}`);
    }
  }
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    bin,
    dir,
    stop: () => {
      try {
        run("pg_ctl", ["-D", path.join(dir, "data"), "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function startCluster(): PgCluster {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  const { dir, run } = clusterFolder(bin);
  run("initdb", ["-N", "-D", path.join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"]);
  return startServer(bin, dir, run);
}

/**
 * A real hot standby of the cluster `primaryAdminUrl` names: a base backup (pg_basebackup -R:
 * standby.signal and the primary's address written), started on its own port. It serves reads,
 * `pg_is_in_recovery()` is true, and every write fails with read_only_sql_transaction (25006) —
 * what an app pointed at a standby (or at a primary being restored) meets. `promote()` makes it
 * a primary of its own (pg_ctl promote).
 */
export function startStandby(primaryAdminUrl: string, { bin }: { bin: string }): PgCluster & { promote: () => void } {
  const { dir, run } = clusterFolder(bin);
  const u = new URL(primaryAdminUrl);
  run("pg_basebackup", ["-h", u.hostname, "-p", u.port, "-U", u.username, "-D", path.join(dir, "data"), "-R", "-X", "stream", "-c", "fast"]);
  const standby = startServer(bin, dir, run);
  return { ...standby, promote: () => void run("pg_ctl", ["-D", path.join(dir, "data"), "-w", "promote"]) };
}

/** The URL of another database on the cluster an admin URL names. */
function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** CREATE DATABASE (optionally as a copy of a template database), synchronously with the cluster's createdb. */
export function createDatabase(adminUrl: string, name: string, { template, bin }: { template?: string; bin: string }): string {
  const u = new URL(adminUrl);
  execFileSync(path.join(bin, "createdb"), ["-h", u.hostname, "-p", u.port, "-U", u.username, ...(template ? ["-T", template] : []), name], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  return databaseUrl(adminUrl, name);
}

/** DROP DATABASE … WITH (FORCE): connections still open on it are closed. */
export function dropDatabase(adminUrl: string, name: string, { bin }: { bin: string }): void {
  const u = new URL(adminUrl);
  execFileSync(path.join(bin, "dropdb"), ["-h", u.hostname, "-p", u.port, "-U", u.username, "--force", "--if-exists", name], { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
}
