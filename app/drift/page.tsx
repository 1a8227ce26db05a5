import type { Metadata } from "next";
import { DriftOverview } from "@/components/drift/drift-overview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Drift" };

export default function DriftPage() {
  return (
    <>
      <h1>Drift</h1>
      <DriftOverview />
    </>
  );
}
