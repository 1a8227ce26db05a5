import { applyMigrations } from "../db/migrate";
import { createDatabase, startCluster } from "./postgres-cluster";

/**
 * Vitest globalSetup of the "postgresql" project: a throwaway cluster for this test run, and a
 * migrated template database that each test file's database copies (CREATE DATABASE … TEMPLATE).
 */
export default function setup(): () => void {
  const cluster = startCluster();
  const template = createDatabase(cluster.adminUrl, "dra_template", { bin: cluster.bin });
  applyMigrations(template);
  process.env.DRA_TEST_PG_ADMIN_URL = cluster.adminUrl;
  process.env.DRA_TEST_PG_BIN = cluster.bin;
  process.env.DRA_TEST_PG_TEMPLATE = "dra_template";
  return () => cluster.stop();
}
