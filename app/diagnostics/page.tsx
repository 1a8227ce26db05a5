import type { Metadata } from "next";
import { DependenciesCard, LatencyChart, PercentilesCard } from "@/components/diagnostics/diagnostics-panels";
import { getDb } from "@/lib/db/client";
import { timingsView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Diagnostics" };

export default async function DiagnosticsPage() {
  const timings = await timingsView(getDb());
  return (
    <>
      <h1>Diagnostics</h1>
      <LatencyChart timings={timings} />
      <PercentilesCard timings={timings} />
      <DependenciesCard />
    </>
  );
}
