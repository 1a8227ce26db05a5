import { tickFormatter } from "@/components/ui/chart-utils";

/**
 * The props of the F1 (0–1) y-axis shared by the score-history and batch-estimate charts, to
 * spread on a Recharts `<YAxis>` (props, not a wrapper component, so Recharts still sees a YAxis).
 */
export function f1YAxisProps(yTicks: number[], width: number) {
  return {
    domain: [yTicks[0], yTicks[yTicks.length - 1]] as [number, number],
    ticks: yTicks,
    allowDataOverflow: true,
    tickFormatter: tickFormatter(yTicks),
    width,
    tick: { fontSize: 11 },
    label: { value: "F1 (0–1)", angle: -90, position: "insideLeft" as const, offset: 4, fill: "#5b6673", fontSize: 12 },
  };
}
