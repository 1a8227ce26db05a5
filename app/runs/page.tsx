import type { Metadata } from "next";
import { RunNow, RunsTable } from "@/components/runs/runs-panel";
import { Prefetch } from "@/components/ui/prefetch";
import { runsQuery } from "@/lib/queries";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <h1>Runs</h1>
      <RunNow />
      <Prefetch queries={[runsQuery()]}>
        <RunsTable />
      </Prefetch>
    </>
  );
}
