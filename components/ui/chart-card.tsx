import type { ReactNode } from "react";

/**
 * A card holding one chart: title, one-line description, the chart — or, when there is
 * nothing to draw, an explicit empty state saying why and what would fill it.
 */
export function ChartCard({
  title,
  description,
  empty,
  children,
  testId,
  actions,
}: {
  title: string;
  description?: ReactNode;
  /** when set, shown instead of the chart */
  empty?: string | null;
  children?: ReactNode;
  testId?: string;
  actions?: ReactNode;
}) {
  return (
    <section className="card chart-card" data-testid={testId} aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {description ? <p className="muted small">{description}</p> : null}
      {empty ? (
        <div className="empty" data-testid={testId ? `${testId}-empty` : undefined}>
          {empty}
        </div>
      ) : (
        <div className="chart" role="img" aria-label={`${title} chart`}>
          {children}
        </div>
      )}
    </section>
  );
}
