"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "@/lib/queries/fetcher";
import { Skeleton } from "./skeleton";

/**
 * Render a query's three states: a skeleton while loading, an error panel with a retry button,
 * or the children with the data. A failed refresh over existing data keeps the data and says so.
 */
export function QueryState<T>({
  query,
  label,
  skeleton,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  skeleton?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <>{skeleton ?? <Skeleton height={180} label={`Loading ${label}`} />}</>;
  if (query.isError && query.data === undefined) {
    return <ErrorPanel label={label} message={errorMessage(query.error)} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  return (
    <>
      {query.isError ? (
        <p className="notice warn" role="status">
          Could not refresh {label}: {errorMessage(query.error)}{" "}
          <button type="button" className="link-button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </p>
      ) : null}
      {children(query.data as T)}
    </>
  );
}

export function ErrorPanel({ label, message, onRetry, retrying }: { label: string; message: string; onRetry: () => void; retrying?: boolean }) {
  return (
    <div className="error-panel" role="alert" data-testid="error-panel">
      <strong>Could not load {label}.</strong>
      <p>{message}</p>
      <button type="button" onClick={onRetry} disabled={retrying}>
        {retrying ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}
