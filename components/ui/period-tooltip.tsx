import type { ReactNode } from "react";
import type { PeriodGranularity } from "@/lib/time/periods";
import { fmtInt } from "./format";
import { periodText, type PeriodSpan } from "./period-axis";

/** What Recharts hands a custom tooltip, plus the granularity the axis is labelled with. */
export interface PeriodTooltipProps<P> {
  active?: boolean;
  payload?: readonly { payload: P }[];
  by: PeriodGranularity | null;
}

/**
 * A Recharts tooltip for a chart on the period axis: `body` gets the hovered point and its period
 * in words ("Mar 2024 (1 Mar 2024 – 31 Mar 2024)"; null on the index axis). Pass it as
 * `<Tooltip content={<Tip by={axis.by} />} />`.
 */
export function periodTooltip<P extends { period: PeriodSpan | null }>(body: (p: P, period: string | null) => ReactNode) {
  return function PeriodTooltip({ active, payload, by }: PeriodTooltipProps<P>) {
    if (!active || !payload?.length) return null;
    const p = payload[0].payload;
    return <div className="tooltip">{body(p, periodText(p.period, by))}</div>;
  };
}

/** The tooltip lines every period chart shows: the period of the data (`what` it is), the rows it covers, the run. */
export function PeriodLines({ period, rows, runId, what = "data of" }: { period: string | null; rows: number; runId?: number | null; what?: string }) {
  return (
    <>
      {period ? (
        <div>
          {what} {period}
        </div>
      ) : null}
      <div>
        {fmtInt(rows)} rows{runId !== undefined ? ` · ${runId != null ? `run #${runId}` : "no run"}` : ""}
      </div>
    </>
  );
}
