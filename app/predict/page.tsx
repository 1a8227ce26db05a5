import type { Metadata } from "next";
import { MonitorBatchForm } from "@/components/predict/monitor-batch-form";
import { PredictPanel } from "@/components/predict/predict-panel";

export const metadata: Metadata = { title: "Predict" };

export default function PredictPage() {
  return (
    <>
      <h1>Predict</h1>
      <p className="muted">Score clients with the deployed model and call the riskiest first. Nothing is stored; add labels (exited) to get the F1. To watch a batch until its labels arrive, monitor it (below): that stores it.</p>
      <PredictPanel />
      <MonitorBatchForm />
    </>
  );
}
