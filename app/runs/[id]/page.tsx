import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run #${id}` };
}

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d+$/.test(id)) notFound();
  const runId = Number(id);
  return (
    <>
      <p className="crumbs">
        <Link href="/runs">← Runs</Link>
      </p>
      <h1>Run #{runId}</h1>
      <Hydrate reads={[r.run(runId), r.drift()]}>
        <RunDetail id={runId} />
      </Hydrate>
    </>
  );
}
