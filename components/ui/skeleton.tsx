/** A grey placeholder block that pulses while data loads (announced to screen readers). */
export function Skeleton({ height = 120, label = "Loading", width }: { height?: number; label?: string; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} role="status" aria-label={label} />;
}

/** A page-shaped skeleton for loading.tsx: a title, stat tiles and chart cards. */
export function PageSkeleton({ title, stats = 0, cards = 2 }: { title: string; stats?: number; cards?: number }) {
  return (
    <div aria-busy="true">
      <h1>{title}</h1>
      {stats > 0 ? (
        <div className="grid">
          {Array.from({ length: stats }, (_, i) => (
            <div className="card" key={i}>
              <Skeleton height={64} label={`Loading ${title}`} />
            </div>
          ))}
        </div>
      ) : null}
      {Array.from({ length: cards }, (_, i) => (
        <div className="card" key={i}>
          <Skeleton height={16} width="30%" label={`Loading ${title}`} />
          <div style={{ height: 12 }} />
          <Skeleton height={220} label={`Loading ${title}`} />
        </div>
      ))}
    </div>
  );
}
