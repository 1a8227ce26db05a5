import type { Metadata } from "next";
import { ConfusionCard, DeploymentTimeline, ModelActions, ModelComparison, ModelsTable } from "@/components/models/models-panel";
import { parseVersionParam } from "@/components/models/compare-selection";
import { Hydrate, modelsPageReads, type ServerRead } from "@/app/hydrate";
import { qk } from "@/lib/queries";
import { schemaView } from "@/lib/reads/core";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

/** The label's words in the confusion matrix, coefficients and charts come from the schema. */
const schemaRead: ServerRead = { queryKey: qk.schema(), read: schemaView };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ version?: string }> }) {
  const picked = parseVersionParam((await searchParams).version);
  return (
    <Hydrate reads={[schemaRead, ...(await modelsPageReads(picked))]}>
      <div className="page-head">
        <h1>Models</h1>
        <ModelActions />
      </div>
      <ModelsTable picked={picked} />
      <div className="two-col">
        <ConfusionCard picked={picked} />
        <DeploymentTimeline />
      </div>
      <ModelComparison picked={picked} />
    </Hydrate>
  );
}
