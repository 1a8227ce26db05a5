import type { Metadata } from "next";
import { DependenciesCard, LatencyChart, PercentilesCard } from "@/components/diagnostics/diagnostics-panels";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Diagnostics" };

export default function DiagnosticsPage() {
  return (
    <>
      <h1>Diagnostics</h1>
      <Hydrate reads={[r.timings(), r.diagnostics()]}>
        <LatencyChart />
        <PercentilesCard />
        <DependenciesCard />
      </Hydrate>
    </>
  );
}
