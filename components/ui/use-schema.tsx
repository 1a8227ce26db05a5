"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { schemaQuery } from "@/lib/queries";
import type { SchemaResponse } from "@/lib/queries/types";
import { QueryState } from "./query-state";

/** The data schema (GET /api/schema); pages hydrate it on the server, so it is there on the first render. */
export function useSchema() {
  return useQuery(schemaQuery());
}

/** Render `children` with the schema, or the query's loading / error state. */
export function WithSchema({ children, skeleton }: { children: (schema: SchemaResponse) => ReactNode; skeleton?: ReactNode }) {
  const q = useSchema();
  return (
    <QueryState query={q} label="the data schema" skeleton={skeleton}>
      {children}
    </QueryState>
  );
}
