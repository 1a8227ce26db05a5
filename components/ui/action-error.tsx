"use client";

import { ActionCancelled } from "@/components/auth/admin-session";
import { ApiError, errorMessage } from "@/lib/queries/fetcher";
import type { ErrorDetail } from "@/lib/queries/types";

/** What an action (score, monitor a batch) failed with: the API's message and its row/column problems. */
export interface ActionError {
  message: string;
  details: ErrorDetail[];
}

/** The error panel of a failed action: a title, the message, and the first `maxDetails` problems. */
export function ActionErrorPanel({ title, error, maxDetails, testId }: { title: string; error: ActionError; maxDetails: number; testId: string }) {
  return (
    <div className="error-panel" role="alert" data-testid={testId}>
      <strong>{title}</strong>
      <p>{error.message}</p>
      {error.details.length > 0 ? (
        <ul>
          {error.details.slice(0, maxDetails).map((d, i) => (
            <li key={i}>
              {d.row != null ? `row ${d.row}` : ""}
              {d.column ? ` · ${d.column}` : ""}: {d.problem}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The ActionError of what an action threw: the cancel message, the API's message and problems, or the error's text. */
export function actionErrorOf(e: unknown): ActionError {
  return { message: e instanceof ActionCancelled ? e.message : errorMessage(e), details: e instanceof ApiError ? e.details : [] };
}
