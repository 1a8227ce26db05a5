import { getDb } from "@/lib/db/client";
import { getCurrentDeployment } from "@/lib/db/models";
import { datasetsView, modelsView } from "@/lib/views/core";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const db = getDb();
  const [deployment, { models }, { datasets }] = await Promise.all([getCurrentDeployment(db), modelsView(db), datasetsView(db)]);
  const deployed = models.find((m) => m.deployed);
  return (
    <>
      <h1>Overview</h1>
      <div className="grid">
        <div className="card stat" data-testid="deployed-model">
          <div className="label">Deployed model</div>
          {deployment && deployed ? (
            <>
              <div className="value">v{deployed.version}</div>
              <div className="sub">since {deployment.deployedAt.toISOString().replace("T", " ").slice(0, 16)} UTC · {deployed.trainedRows} training rows</div>
            </>
          ) : (
            <>
              <div className="value">none</div>
              <div className="sub">No model is deployed yet: add CSV files to the source folder and run the full process.</div>
            </>
          )}
        </div>
        <div className="card stat">
          <div className="label">F1 on test data</div>
          <div className="value" data-testid="deployed-f1">{deployed?.f1 != null ? deployed.f1.toFixed(3) : "—"}</div>
          <div className="sub">{deployment?.reason ?? ""}</div>
        </div>
      </div>
      <div className="card">
        <h2>Ingestion ledger</h2>
        {datasets.length === 0 ? (
          <div className="empty">No files ingested yet.</div>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>File</th><th>Role</th><th className="num">Read</th><th className="num">Accepted</th><th className="num">Duplicates</th><th className="num">Rejected</th><th className="num">Imputed</th><th>Ingested</th>
                </tr>
              </thead>
              <tbody>
                {datasets.map((d) => (
                  <tr key={d.id}>
                    <td>{d.name}</td><td>{d.role}</td><td className="num">{d.rowsRead}</td><td className="num">{d.rowsAccepted}</td><td className="num">{d.duplicates}</td><td className="num">{d.rejected}</td><td className="num">{d.imputed}</td><td>{d.ingestedAt.replace("T", " ").slice(0, 19)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
