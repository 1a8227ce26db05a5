/**
 * Split a pipeline reason ("a; b (x; y); c") into its top-level clauses: semicolons inside
 * parentheses belong to the clause they explain.
 */
export function splitReason(reason: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < reason.length; i++) {
    const c = reason[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === ";" && depth === 0) {
      parts.push(reason.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(reason.slice(start).trim());
  return parts.filter(Boolean);
}

/** A run's reason as a list of its clauses (one clause: plain text). */
export function ReasonList({ reason, testId }: { reason: string; testId?: string }) {
  const parts = splitReason(reason);
  if (parts.length <= 1) {
    return (
      <p className="reason" data-testid={testId}>
        {reason}
      </p>
    );
  }
  return (
    <ul className="reason reason-list" data-testid={testId}>
      {parts.map((p, i) => (
        <li key={i}>{p}</li>
      ))}
    </ul>
  );
}
