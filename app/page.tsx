import { OverviewCards } from "@/components/overview/overview-cards";
import { Prefetch } from "@/components/ui/prefetch";
import { getDb } from "@/lib/db/client";
import { countRejectedRows } from "@/lib/db/datasets";
import { alertsQuery, driftQuery, modelsQuery, runsQuery, scoresQuery } from "@/lib/queries";
import { deploymentsView } from "@/lib/reads/dashboard";

export const dynamic = "force-dynamic";

/** Overview: "is the model still good, and why did it change?" at a glance. */
export default async function OverviewPage() {
  const db = getDb();
  const [deployments, quarantined] = await Promise.all([deploymentsView(db), countRejectedRows(db)]);
  return (
    <>
      <h1>Overview</h1>
      <Prefetch queries={[modelsQuery(), runsQuery(), driftQuery(), alertsQuery(), scoresQuery()]}>
        <OverviewCards deployments={deployments} quarantined={quarantined} />
      </Prefetch>
    </>
  );
}
