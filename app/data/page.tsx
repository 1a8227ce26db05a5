import type { Metadata } from "next";
import { LedgerTable } from "@/components/data/ledger-table";
import { MissingDataChart } from "@/components/data/missing-data-chart";
import { QuarantineTable } from "@/components/data/quarantine-table";
import { shapeStability } from "@/components/data/shape-stability";
import { StabilityChart } from "@/components/data/stability-chart";
import { UploadForm } from "@/components/data/upload-form";
import { getDb } from "@/lib/db/client";
import { snapshotsView } from "@/lib/reads/dashboard";
import { quarantineView } from "@/lib/reads/monitoring";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data" };

export default async function DataPage() {
  const db = getDb();
  const [snapshots, quarantine] = await Promise.all([snapshotsView(db), quarantineView(db, { limit: 300 })]);
  return (
    <>
      <h1>Data</h1>
      <UploadForm />
      <LedgerTable />
      <div className="two-col">
        <MissingDataChart />
        <StabilityChart series={shapeStability(snapshots)} />
      </div>
      <QuarantineTable rows={quarantine.rows} total={quarantine.total} />
    </>
  );
}
