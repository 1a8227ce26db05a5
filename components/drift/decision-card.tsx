import { Badge, CheckBadge } from "@/components/ui/badges";
import { fmtP, fmtScore } from "@/components/ui/format";
import type { DriftCheck } from "@/lib/queries/types";
import { SCORE_CHECK_IDS as SCORE_CHECKS } from "@/lib/vocabulary";

/** Why a run did (not) retrain and (not) redeploy: each check against its threshold, the trigger, the gate, the t-test. */
export function DecisionCard({ check }: { check: DriftCheck }) {
  const trigger = check.trigger;
  return (
    <section className="card" aria-label="Decision" data-testid="decision">
      <h2>The decision {check.runId != null ? `of run #${check.runId}` : ""}</h2>
      <div className="table-wrap">
        <table className="stack-on-phone">
          <thead>
            <tr>
              <th>Check</th>
              <th>Rule</th>
              <th className="num">Threshold</th>
              <th className="num">New F1</th>
              <th>Outcome</th>
              <th>In the retrain trigger</th>
            </tr>
          </thead>
          <tbody>
            {SCORE_CHECKS.map((id) => {
              const c = check.score[id];
              return (
                <tr key={id}>
                  <td data-label="Check">{id}</td>
                  <td data-label="Rule" className="small">
                    {RULES[id]}
                  </td>
                  <td className="num" data-label="Threshold">
                    {fmtScore(c?.threshold, 4)}
                  </td>
                  <td className="num" data-label="New F1">
                    {id === "estimated" ? fmtScore(c?.inputs?.estimatedF1Upper, 4) : fmtScore(check.newScore, 4)}
                  </td>
                  <td data-label="Outcome">
                    <CheckBadge check={c} />
                  </td>
                  <td data-label="In trigger">{trigger.includes(id) ? <Badge tone="info">yes</Badge> : <span className="muted">no</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="small">
        Retrain: {check.triggered ? <Badge tone="bad">triggered</Badge> : <Badge tone="ok">not triggered</Badge>}{" "}
        {check.fired.length > 0 ? `by ${check.fired.join(", ")}` : trigger.length ? `(trigger: ${trigger.join(", ")})` : ""}
      </p>
      {check.gate ? (
        <p className="small" data-testid="gate">
          Gate ({check.gate.rule}): challenger v{check.gate.challenger.modelVersion} F1 {fmtScore(check.gate.challenger.f1, 4)} vs champion v
          {check.gate.champion.modelVersion} F1 {fmtScore(check.gate.champion.f1, 4)} on {check.gate.testData.name} ({check.gate.testData.rows} rows) →{" "}
          {check.gate.passed ? <Badge tone="ok">challenger deployed</Badge> : <Badge tone="warn">champion kept</Badge>}
        </p>
      ) : null}
      {check.ttest && "t" in check.ttest ? (
        <p className="small muted">
          Welch t-test on {check.ttest.resamples} bootstrap F1 samples (seed {check.ttest.seed}): t = {check.ttest.t.toFixed(2)}, df = {check.ttest.df.toFixed(1)}, two-sided p{" "}
          {pText(check.ttest.pValue)}; mean bootstrap F1 challenger {fmtScore(check.ttest.challengerMeanF1)} vs champion {fmtScore(check.ttest.championMeanF1)}.
        </p>
      ) : check.ttest ? (
        <p className="small muted">t-test not available: {check.ttest.error}</p>
      ) : null}
    </section>
  );
}

/** "= 0.0312" or "< 0.0001". */
function pText(p: number | undefined): string {
  const f = fmtP(p);
  return f.startsWith("<") ? f : `= ${f}`;
}

const RULES: Record<(typeof SCORE_CHECKS)[number], string> = {
  latest: "new < deployed model's score",
  raw: "new < every previous score",
  parametric: "new < mean − 2·SD",
  nonparametric: "new < Q1 − 1.5·IQR",
  estimated: "newest unlabelled batch's estimated F1 band (upper) < test F1",
};
