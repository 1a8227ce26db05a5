import path from "node:path";
import { defineConfig } from "prisma/config";
import { migrationAdapter, providerOf } from "./lib/db/adapters";

// Without DATABASE_URL the CLI falls back to downloading a query engine (see notes).
process.env.DATABASE_URL ??= "file:./data/app.db";
const url = process.env.DATABASE_URL;
// The URL picks the schema (both generated from prisma/models.prisma), the migrations and the adapter.
const provider = providerOf(url);

export default defineConfig({
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => migrationAdapter(url),
});
