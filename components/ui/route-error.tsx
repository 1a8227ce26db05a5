"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";

/**
 * The error boundary of a route segment: says what failed, offers a retry that re-renders the
 * segment on the server (router.refresh) and resets the boundary, and a way back to the Overview.
 */
export function RouteError({ error, reset, page }: { error: Error & { digest?: string }; reset: () => void; page: string }) {
  const router = useRouter();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="error-panel page-error" role="alert" data-testid="route-error">
      <h1>{page} could not be shown</h1>
      <p>
        {error.message && !error.message.includes("Server Components render")
          ? error.message
          : "The server hit an error while preparing this page. It has been logged."}
        {error.digest ? <span className="muted small"> (reference {error.digest})</span> : null}
      </p>
      <div className="form-row">
        <button
          type="button"
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          Retry
        </button>
        <Link href="/">Back to the Overview</Link>
      </div>
    </div>
  );
}
