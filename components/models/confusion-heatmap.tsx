import { fmtInt, fmtPct, fmtScore } from "@/components/ui/format";

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Blend from white to the accent colour by share (0–1); text switches to white on dark cells. */
function heat(share: number, good: boolean): { fill: string; text: string } {
  const [r, g, b] = good ? [31, 122, 58] : [180, 35, 24];
  const t = 0.12 + 0.88 * Math.min(1, Math.max(0, share));
  const mix = (c: number) => Math.round(255 + (c - 255) * t);
  return { fill: `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`, text: t > 0.55 ? "#fff" : "#1b1f24" };
}

/**
 * The 2×2 confusion matrix as an SVG heatmap: rows = actual, columns = predicted; colour
 * intensity = share of the actual class (correct cells green, errors red). `classes` names the
 * label's two values (0, then 1), e.g. "churned = no" and "churned = yes".
 */
export function ConfusionHeatmap({ confusion, title, classes = ["0", "1"] }: { confusion: ConfusionCounts; title: string; classes?: readonly [string, string] }) {
  const { tp, fp, tn, fn } = confusion;
  const actual0 = tn + fp || 1;
  const actual1 = fn + tp || 1;
  const cells = [
    { row: 0, col: 0, label: "TN", n: tn, share: tn / actual0, good: true },
    { row: 0, col: 1, label: "FP", n: fp, share: fp / actual0, good: false },
    { row: 1, col: 0, label: "FN", n: fn, share: fn / actual1, good: false },
    { row: 1, col: 1, label: "TP", n: tp, share: tp / actual1, good: true },
  ];
  const size = 110;
  const left = 92;
  const top = 40;
  const w = left + size * 2 + 8;
  const h = top + size * 2 + 8;
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" style={{ maxWidth: 360 }} role="img" aria-label={`${title}: TN ${tn}, FP ${fp}, FN ${fn}, TP ${tp}`} className="heatmap">
      <text x={left + size} y={12} textAnchor="middle" fontSize={12} fill="#5b6673">
        predicted
      </text>
      <text x={left + size / 2} y={30} textAnchor="middle" fontSize={12}>
        {classes[0]}
      </text>
      <text x={left + size * 1.5} y={30} textAnchor="middle" fontSize={12}>
        {classes[1]}
      </text>
      <text x={12} y={top + size} textAnchor="middle" fontSize={12} fill="#5b6673" transform={`rotate(-90 12 ${top + size})`}>
        actual
      </text>
      <text x={left - 8} y={top + size / 2 + 4} textAnchor="end" fontSize={12}>
        {classes[0]}
      </text>
      <text x={left - 8} y={top + size * 1.5 + 4} textAnchor="end" fontSize={12}>
        {classes[1]}
      </text>
      {cells.map((c) => {
        const { fill, text } = heat(c.share, c.good);
        const x = left + c.col * size;
        const y = top + c.row * size;
        return (
          <g key={c.label} className="heat-cell">
            <rect x={x + 2} y={y + 2} width={size - 4} height={size - 4} rx={6} fill={fill} />
            <text x={x + size / 2} y={y + size / 2 - 6} textAnchor="middle" fontSize={20} fontWeight={650} fill={text}>
              {fmtInt(c.n)}
            </text>
            <text x={x + size / 2} y={y + size / 2 + 14} textAnchor="middle" fontSize={11} fill={text}>
              {c.label} · {fmtPct(c.share, 0)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function ScoreFigures({ f1, precision, recall, accuracy }: { f1: number; precision: number; recall: number; accuracy: number }) {
  return (
    <dl className="figures">
      <div>
        <dt>F1</dt>
        <dd>{fmtScore(f1)}</dd>
      </div>
      <div>
        <dt>Precision</dt>
        <dd>{fmtScore(precision)}</dd>
      </div>
      <div>
        <dt>Recall</dt>
        <dd>{fmtScore(recall)}</dd>
      </div>
      <div>
        <dt>Accuracy</dt>
        <dd>{fmtScore(accuracy)}</dd>
      </div>
    </dl>
  );
}
