import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../config";
import { AppError } from "../errors";

/**
 * Apply pending Prisma migrations to the database DATABASE_URL names, creating its folder.
 * Runs the Prisma CLI (`migrate deploy`, wasm schema engine; see shared/notes/prisma-offline.md)
 * so the migration history stays Prisma's own and `prisma migrate` keeps working on it.
 */
export function applyMigrations(databaseUrl: string, cwd: string = process.cwd()): void {
  fs.mkdirSync(path.dirname(sqlitePath(databaseUrl)), { recursive: true });
  const cli = path.join(cwd, "node_modules", "prisma", "build", "index.js");
  try {
    execFileSync(process.execPath, [cli, "migrate", "deploy"], {
      cwd,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
    const out = `${err.stdout?.toString() ?? ""}\n${err.stderr?.toString() ?? ""}`.trim();
    throw new AppError("internal:migrate", `Could not apply database migrations to ${databaseUrl}: ${out || err.message}`);
  }
}
