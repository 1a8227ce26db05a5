"use client";

import { useEffect, useState } from "react";
import { fmtAgo, fmtDateTime } from "./format";

/**
 * "5 min ago", rendered after mount (the server's clock and the browser's differ, so the server
 * renders the absolute time and the browser swaps in the relative one: no hydration mismatch).
 * Refreshes every 30 s; the absolute time stays in the tooltip.
 */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!iso) return null;
  return (
    <time dateTime={iso} title={fmtDateTime(iso)}>
      {now === null ? fmtDateTime(iso) : fmtAgo(iso, now)}
    </time>
  );
}
