import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config";
import { ServerUnreachableError, runApiCalls, writeReport } from "./apicalls-report";
import { runCli } from "./lib/cli";

/*
 * npm run apicalls -- [--base-url http://localhost:3000] [--out data/reports/apireturns.json]
 *                     [--test-data FILE] [--token TOKEN]
 * Calls every read endpoint and a prediction on the test data against a running server and
 * writes the answers to one JSON report. Exit 0 when every call was answered without a 5xx,
 * 1 when one failed or the server is unreachable, 2 on a usage error.
 */

const USAGE = "usage: npm run apicalls -- [--base-url URL] [--out FILE] [--test-data CSV] [--token ADMIN_TOKEN]";

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "base-url": { type: "string" },
        out: { type: "string", default: "data/reports/apireturns.json" },
        "test-data": { type: "string" },
        token: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const baseUrl = values["base-url"] ?? `http://localhost:${config.PORT}`;
  try {
    new URL(baseUrl);
  } catch {
    console.error(`--base-url must be a URL like http://localhost:3000 (got "${baseUrl}")\n${USAGE}`);
    return 2;
  }
  try {
    const report = await runApiCalls({ baseUrl, testDataPath: values["test-data"] ?? config.TEST_DATA, token: values.token ?? config.ADMIN_TOKEN });
    writeReport(report, values.out);
    for (const c of report.calls) console.log(`${c.ok ? "ok  " : "FAIL"} ${String(c.status ?? "---").padEnd(3)} ${c.method.padEnd(4)} ${c.path} (${c.ms.toFixed(0)} ms)`);
    console.log(`report: ${values.out}`);
    if (!report.ok) {
      console.error(`${report.failed.length} call(s) failed: ${report.failed.join("; ")}`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ServerUnreachableError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

runCli(() => main(process.argv.slice(2)));
