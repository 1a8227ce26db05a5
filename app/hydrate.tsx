import "server-only";
import { dehydrate, HydrationBoundary, QueryClient, type DataTag, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { compareSelection } from "@/components/models/compare-selection";
import { scoreDeployedModel } from "@/lib/actions/scoring";
import { batchesView } from "@/lib/batches/monitor";
import { loadConfig } from "@/lib/config";
import { getDb, type Db } from "@/lib/db/client";
import {
  alertsQuery,
  datasetsQuery,
  deploymentsQuery,
  diagnosticsQuery,
  driftOldestFirst,
  driftQuery,
  modelDetailQuery,
  modelsQuery,
  quarantineQuery,
  runQuery,
  runsQuery,
  scoresQuery,
  scoringQuery,
  stabilityQuery,
  timingsQuery,
} from "@/lib/queries";
import { batchesQuery } from "@/lib/queries/batches";
import { datasetsView, modelDetailView, modelsView, scoresView } from "@/lib/reads/core";
import { deploymentsView, timingsView } from "@/lib/reads/dashboard";
import { alertsView, diagnosticsView, driftView, quarantineView, runDetailView, runsView, stabilityView } from "@/lib/reads/monitoring";
import { BatchesQuery } from "@/lib/validations/batches";
import { pageRequest } from "@/lib/validations/pagination";

/*
 * How a page gets its first data: each query key the page's widgets read is filled from the
 * server function its route handler calls (lib/reads, lib/actions, lib/batches), in a fresh
 * QueryClient for this request, and handed to the browser's cache through HydrationBoundary.
 * No HTTP to itself. After hydration the widgets fetch the API, and actions invalidate keys.
 */

/** A query key and the server read that gives exactly what the key's route answers. */
export interface ServerRead {
  queryKey: QueryKey;
  read: (db: Db) => Promise<unknown>;
}

/** Pair a queryOptions factory's key with its server read; the read must return the query's data type. */
function fromServer<T>(query: { queryKey: DataTag<QueryKey, T, unknown> }, read: (db: Db) => Promise<NoInfer<T>>): ServerRead {
  return { queryKey: query.queryKey, read };
}

/**
 * Run the reads, then render the children with their results in the browser's query cache. A
 * read that throws (say 409: no deployed model) is left out: its widget fetches in the browser
 * and shows the error state with retry.
 */
export async function Hydrate({ reads, children }: { reads: ServerRead[]; children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const db = getDb();
  await Promise.all(reads.map(({ queryKey, read }) => queryClient.prefetchQuery({ queryKey, queryFn: () => read(db) })));
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}

/**
 * Each query's server read: the function its route handler calls, with the route's default page
 * (and the query's own transform, if any). Pages pick the ones their widgets use.
 */
export const serverReads = {
  models: () => fromServer(modelsQuery(), (db) => modelsView(db)),
  model: (id: number) => fromServer(modelDetailQuery(id), (db) => modelDetailView(db, { id })),
  deployments: () => fromServer(deploymentsQuery(), (db) => deploymentsView(db)),
  datasets: () => fromServer(datasetsQuery(), (db) => datasetsView(db)),
  scores: () => fromServer(scoresQuery(), (db) => scoresView(db)),
  scoring: () => fromServer(scoringQuery(), (db) => scoreDeployedModel(db, loadConfig())),
  batches: () => fromServer(batchesQuery(), (db) => batchesView(db, pageRequest(BatchesQuery.parse({})))),
  drift: () => fromServer(driftQuery(), async (db) => driftOldestFirst(await driftView(db))),
  runs: () => fromServer(runsQuery(), (db) => runsView(db)),
  run: (id: number) => fromServer(runQuery(id), (db) => runDetailView(db, { id })),
  alerts: () => fromServer(alertsQuery(), (db) => alertsView(db)),
  quarantine: () => fromServer(quarantineQuery(), (db) => quarantineView(db)),
  stability: () => fromServer(stabilityQuery(), (db) => stabilityView(db)),
  diagnostics: () => fromServer(diagnosticsQuery(), (db) => diagnosticsView(db)),
  timings: () => fromServer(timingsQuery(), (db) => timingsView(db)),
};

/** The Models page: the version list, then the details of the versions it shows (which depend on the list and `?version=`). */
export async function modelsPageReads(picked: number | null): Promise<ServerRead[]> {
  const models = await modelsView(getDb());
  const { detailIds } = compareSelection(models.models, picked);
  return [fromServer(modelsQuery(), async () => models), serverReads.deployments(), ...detailIds.map(serverReads.model)];
}
