import type { Metadata } from "next";
import { ConfusionCard, DeploymentTimeline, ModelActions, ModelsTable } from "@/components/models/models-panel";
import { Prefetch } from "@/components/ui/prefetch";
import { getDb } from "@/lib/db/client";
import { modelsQuery } from "@/lib/queries";
import { deploymentsView, versionScoresView } from "@/lib/views/dashboard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ version?: string }> }) {
  const { version } = await searchParams;
  const db = getDb();
  const [deployments, scores] = await Promise.all([deploymentsView(db), versionScoresView(db)]);
  const live = deployments.at(-1) ?? null;
  const selected = version && /^\d+$/.test(version) ? Number(version) : (live?.modelVersion ?? scores.at(-1)?.modelVersion ?? null);
  return (
    <>
      <div className="page-head">
        <h1>Models</h1>
        <ModelActions canRollBack={live?.previousModelVersionId != null} deployedVersion={live?.modelVersion ?? null} />
      </div>
      <Prefetch queries={[modelsQuery()]}>
        <ModelsTable selectedVersion={selected} />
      </Prefetch>
      <div className="two-col">
        <ConfusionCard score={scores.find((s) => s.modelVersion === selected)} version={selected} />
        <DeploymentTimeline deployments={deployments} />
      </div>
    </>
  );
}
