import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareTemplate } from "./temp-db";

/** Vitest globalSetup: migrate one template database that every integration test copies. */
export default function setup(): () => void {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dra-template-")), "template.db");
  prepareTemplate(file);
  process.env.DRA_TEST_TEMPLATE_DB = file;
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
