import type { Metadata } from "next";
import { BatchEstimates } from "@/components/scores/batch-estimates";
import { ScoreHistory } from "@/components/scores/score-history";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Scores" };

export default function ScoresPage() {
  return (
    <>
      <h1>Scores</h1>
      <Hydrate reads={[r.scores(), r.drift(), r.deployments(), r.runs(), r.batches(), r.scoring()]}>
        <ScoreHistory />
        <BatchEstimates />
      </Hydrate>
    </>
  );
}
