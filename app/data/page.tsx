import type { Metadata } from "next";
import { LedgerTable } from "@/components/data/ledger-table";
import { MissingDataChart } from "@/components/data/missing-data-chart";
import { QuarantineTable } from "@/components/data/quarantine-table";
import { Stability } from "@/components/data/stability-chart";
import { UploadForm } from "@/components/data/upload-form";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data" };

export default function DataPage() {
  return (
    <>
      <h1>Data</h1>
      <UploadForm />
      <Hydrate reads={[r.datasets(), r.stability(), r.quarantine()]}>
        <LedgerTable />
        <div className="two-col">
          <MissingDataChart />
          <Stability />
        </div>
        <QuarantineTable />
      </Hydrate>
    </>
  );
}
