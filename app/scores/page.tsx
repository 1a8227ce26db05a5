import type { Metadata } from "next";
import { BatchEstimates } from "@/components/scores/batch-estimates";
import { ScoreHistory } from "@/components/scores/score-history";
import { getDb } from "@/lib/db/client";
import { deploymentsView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Scores" };

export default async function ScoresPage() {
  const deployments = await deploymentsView(getDb());
  return (
    <>
      <h1>Scores</h1>
      <ScoreHistory deployments={deployments} />
      <BatchEstimates />
    </>
  );
}
