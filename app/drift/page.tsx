import type { Metadata } from "next";
import { DriftOverview } from "@/components/drift/drift-overview";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Drift" };

export default function DriftPage() {
  return (
    <>
      <h1>Drift</h1>
      <Hydrate reads={[r.drift()]}>
        <DriftOverview />
      </Hydrate>
    </>
  );
}
