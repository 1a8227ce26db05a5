import { OverviewCards } from "@/components/overview/overview-cards";
import { Hydrate, serverReads as r } from "@/app/hydrate";

export const dynamic = "force-dynamic";

/** Overview: "is the model still good, and why did it change?" at a glance. */
export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <Hydrate reads={[r.models(), r.runs(), r.drift(), r.alerts(), r.scores(), r.deployments(), r.quarantine()]}>
        <OverviewCards />
      </Hydrate>
    </>
  );
}
