import type { Metadata } from "next";
import { CoefficientsCard } from "@/components/models/coefficients-table";
import { ComparePicker } from "@/components/models/compare-picker";
import { ConfusionCard, DeploymentTimeline, ModelActions, ModelsTable } from "@/components/models/models-panel";
import { RankingComparison } from "@/components/models/ranking-charts";
import { shapeRankingSeries } from "@/components/models/shape-ranking";
import { Prefetch } from "@/components/ui/prefetch";
import { getDb } from "@/lib/db/client";
import { modelsQuery } from "@/lib/queries";
import { deploymentsView, versionComparisonView, versionScoresView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ version?: string }> }) {
  const { version } = await searchParams;
  const db = getDb();
  const picked = version && /^\d{1,9}$/.test(version) ? Number(version) : null;
  const [deployments, scores, comparison] = await Promise.all([deploymentsView(db), versionScoresView(db), versionComparisonView(db, { pick: picked })]);
  const live = deployments.at(-1) ?? null;
  const selected = picked ?? live?.modelVersion ?? scores.at(-1)?.modelVersion ?? null;
  const selectedDetail = [comparison.primary, comparison.other].find((d) => d?.model.version === selected) ?? comparison.primary;
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
      <div className="page-head">
        <h2>Compare versions</h2>
        <ComparePicker choices={comparison.choices} primary={comparison.primary?.model.version ?? null} selected={comparison.other?.model.version ?? null} />
      </div>
      <RankingComparison series={shapeRankingSeries([comparison.primary, comparison.other])} />
      <CoefficientsCard model={selectedDetail?.model ?? null} />
    </>
  );
}
