import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { PrismaPg } from "@prisma/adapter-pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { pgDriver, pgPool, prismaPgClass } from "./postgres";

/*
 * Which database a DATABASE_URL names, and the Prisma driver adapters for it. `file:…` is
 * SQLite (the default); `postgresql://…` / `postgres://…` is PostgreSQL. Used by the app
 * (lib/db/client.ts: runtimeAdapter) and by the Prisma CLI (prisma.config.ts: migrationAdapter).
 *
 * The PostgreSQL side (pg, @prisma/adapter-pg) is loaded when a postgresql:// URL is first used
 * (lib/db/postgres.ts): a process on SQLite never loads it.
 *
 * The migration adapters carry four workarounds, each verified needed with Prisma 6.19.3's
 * wasm schema engine on these machines (../shared/notes/postgresql.md).
 */

export type Provider = "sqlite" | "postgresql";

export function providerOf(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got ${url.split(":")[0]}:…`);
}

export function isPostgres(url: string): boolean {
  return providerOf(url) === "postgresql";
}

/** The Prisma driver adapter the app's client uses for this URL (PostgreSQL: over this thread's pool of that URL). */
export function runtimeAdapter(url: string, { timeoutMs }: { timeoutMs?: number } = {}) {
  if (providerOf(url) === "postgresql") return new (prismaPgClass())(pgPool(url));
  return new PrismaBetterSQLite3({ url, ...(timeoutMs ? { timeout: timeoutMs } : {}) });
}

// (1) catalog types "char"/name (and their arrays) read as text, else "Column type 'name' could not be deserialized"
const AS_TEXT: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };
const fix = (r?: pg.QueryResult) => {
  for (const f of r?.fields ?? []) f.dataTypeID = AS_TEXT[f.dataTypeID] ?? f.dataTypeID;
  return r;
};

// (2) each migration file runs as ONE simple query (the adapter splits scripts at every ";", quotes or not)
type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
const wholeScript = (a: PgAdapter) =>
  Object.assign(a, {
    executeScript: async (sql: string) => {
      try {
        await (a.underlyingDriver() as pg.Pool).query(sql);
      } catch (e) {
        (a as unknown as { onError(e: unknown): never }).onError(e);
      }
    },
  });

/** The connection settings of a postgresql:// URL as discrete fields (a connectionString would beat `database`). */
function pgConfigOf(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  };
}

/** The PostgreSQL migration adapter factory, its classes defined once pg is loaded (they extend pg's and the adapter's). */
function pgMigrationFactory(url: string): PrismaPg {
  const pgLib = pgDriver();
  const PrismaPgClass = prismaPgClass();
  class CatalogAsTextClient extends pgLib.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...a: any[]): any {
      const cb = a[a.length - 1]; // pg.Pool#query passes a callback
      if (typeof cb === "function") a[a.length - 1] = (e: Error, r: pg.QueryResult) => cb(e, fix(r));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const res = (super.query as any)(...a);
      return typeof res?.then === "function" ? res.then(fix) : res;
    }
  }

  // (3) shadow database: discrete config, and its pool closed before DROP DATABASE
  class PgMigrationFactory extends PrismaPgClass {
    readonly #cfg: pg.PoolConfig;
    constructor() {
      // allowExitOnIdle: the CLI's pool does not hold the process open once the work is done.
      const cfg = { ...pgConfigOf(url), Client: CatalogAsTextClient, allowExitOnIdle: true };
      super(cfg);
      this.#cfg = cfg;
    }
    override async connect() {
      return wholeScript(await super.connect());
    }
    override async connectToShadowDb() {
      const admin = await this.connect();
      const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = wholeScript(await new PrismaPgClass({ ...this.#cfg, database }).connect());
      const close = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await close();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
        await admin.dispose();
      };
      return shadow;
    }
  }
  return new PgMigrationFactory();
}

// (4) the SQLite shadow database gets whole migration files (executeRaw's prepare() takes one statement)
class SqliteMigrationFactory extends PrismaBetterSQLite3 {
  override async connectToShadowDb() {
    const s = await super.connectToShadowDb();
    const raw = s.executeRaw.bind(s);
    s.executeRaw = async (q) => {
      try {
        return await raw(q);
      } catch (e) {
        if (q.args.length) throw e;
        await s.executeScript(q.sql);
        return 0;
      }
    };
    return s;
  }
}

/** The adapter factory the Prisma CLI (migrate deploy / diff / status) uses for this URL. */
export function migrationAdapter(url: string) {
  return providerOf(url) === "sqlite" ? new SqliteMigrationFactory({ url }) : pgMigrationFactory(url);
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, "$1:***@");
}
