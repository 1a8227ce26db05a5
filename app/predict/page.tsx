import type { Metadata } from "next";
import { MonitorBatchForm } from "@/components/predict/monitor-batch-form";
import { PredictPanel } from "@/components/predict/predict-panel";
import { Hydrate, type ServerRead } from "@/app/hydrate";
import { qk } from "@/lib/queries";
import { schemaView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Predict" };

/** The forms are built from the schema: it comes with the page, so a file picked before hydration finds its input. */
const schemaRead: ServerRead = { queryKey: qk.schema(), read: schemaView };

export default function PredictPage() {
  return (
    <>
      <h1>Predict</h1>
      <Hydrate reads={[schemaRead]}>
        <PredictPanel />
        <MonitorBatchForm />
      </Hydrate>
    </>
  );
}
