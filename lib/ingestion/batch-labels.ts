import { matchBatchLabels, type RealizedCounts } from "../db/batches";
import type { Db } from "../db/client";
import { f1FromConfusion } from "../metrics/classification";

/*
 * Labels arriving for monitored batches (lib/batches/monitor.ts): what an ingestion does after
 * its commit, kept here (not in lib/batches) so that the ingestion depends on nothing above it.
 */

/** Realized scores of a batch's labelled rows from their confusion counts (zero_division = 0, as classificationScores). */
export function realizedScores({ tp, fp, tn, fn }: Omit<RealizedCounts, "batchId">) {
  const rows = tp + fp + tn + fn;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    f1: f1FromConfusion({ tp, fp, tn, fn }),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    accuracy: ratio(tp + tn, rows),
    confusion: { tp, fp, tn, fn },
    rows,
  };
}
export type RealizedScores = ReturnType<typeof realizedScores>;

/**
 * The hook after an ingestion commits: rows of the newly ingested file whose corporation is a
 * still-unlabelled client of a monitored batch give that client its label, and each batch that
 * got labels has its realized scores (over all its labelled rows) stored beside the estimate.
 * Returns the ids of the batches that got labels.
 */
export async function recordBatchLabels(db: Db, { datasetId }: { datasetId: number }): Promise<number[]> {
  return matchBatchLabels(db, { datasetId }, (counts) => {
    const realized = realizedScores(counts);
    return { realized, f1: realized.f1 };
  });
}

