import type { Metadata } from "next";
import { RunNow, RunsTable } from "@/components/runs/runs-panel";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <h1>Runs</h1>
      <RunNow />
      <Hydrate reads={[r.runs()]}>
        <RunsTable />
      </Hydrate>
    </>
  );
}
