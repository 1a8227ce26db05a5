import type { Metadata } from "next";
import Link from "next/link";
import { LedgerTable } from "@/components/data/ledger-table";
import { MissingDataChart } from "@/components/data/missing-data-chart";
import { QuarantineTable } from "@/components/data/quarantine-table";
import { Stability } from "@/components/data/stability-chart";
import { UploadForm } from "@/components/data/upload-form";
import { Hydrate, serverReads as r, type ServerRead } from "@/app/hydrate";
import { qk } from "@/lib/queries";
import { schemaView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data" };

/** The upload form's columns and the missing-data chart's bars come from the schema. */
const schemaRead: ServerRead = { queryKey: qk.schema(), read: schemaView };

export default function DataPage() {
  return (
    <>
      <h1>Data</h1>
      <p className="small muted">
        A new database? <Link href="/setup">Set up a first dataset</Link> from one CSV: its columns are inferred, you confirm them, and the first model is trained and deployed.
      </p>
      <Hydrate reads={[schemaRead, r.datasets(), r.stability(), r.quarantine()]}>
        <UploadForm />
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
