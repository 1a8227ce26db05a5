"use client";

import { Badge } from "@/components/ui/badges";
import { fmtInt } from "@/components/ui/format";
import type { SetupInspection } from "@/lib/queries/types";
import { ROLES, ROLE_TEXT, type Choices, type ColumnChoice, type FeatureKind, type Role } from "./setup-choices";

type Leak = SetupInspection["leaks"][number];

/**
 * The inspected columns: what the inference says (role, type, distinct values, missing share, a
 * sample, why), and the person's choice of role and feature type. A leaking column carries its
 * warning and a one-click "Leave out".
 */
export function ColumnTable({
  inspection,
  choices,
  busy,
  onChange,
}: {
  inspection: SetupInspection;
  choices: Choices;
  busy: boolean;
  onChange: (column: string, choice: ColumnChoice) => void;
}) {
  const leaks = new Map(inspection.leaks.map((l) => [l.column, l]));
  return (
    <div className="table-wrap">
      <table data-testid="setup-columns">
        <caption className="small muted">
          {fmtInt(inspection.rows)} data rows. Inferred roles and types are proposals: change a role or a type where the data means something else.
        </caption>
        <thead>
          <tr>
            <th>Column</th>
            <th>Inferred</th>
            <th className="num">Distinct</th>
            <th className="num">Missing</th>
            <th>Sample</th>
            <th>Role</th>
            <th>Type</th>
          </tr>
        </thead>
        <tbody>
          {inspection.columns.map((c) => (
            <ColumnRow key={c.name} column={c} choice={choices[c.name]} leak={leaks.get(c.name)} busy={busy} onChange={(choice) => onChange(c.name, choice)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The inference's reasons name the CLI's flags (`--label`); on the page they are roles. */
function pageWords(reason: string): string {
  return reason.replace(/ \(--(label|id|time)\)/g, "");
}

function ColumnRow({
  column: c,
  choice,
  leak,
  busy,
  onChange,
}: {
  column: SetupInspection["columns"][number];
  choice: ColumnChoice | undefined;
  leak: Leak | undefined;
  busy: boolean;
  onChange: (choice: ColumnChoice) => void;
}) {
  const current = choice ?? { role: c.role, type: "categorical" as FeatureKind };
  const leaking = leak !== undefined && current.role === "feature";
  return (
    <>
      <tr data-testid={`setup-column-${c.name}`} className={leaking ? "leak-row" : undefined}>
        <td>
          <strong>{c.name}</strong> {leak ? <Badge tone={leaking ? "bad" : "muted"}>leaks the label?</Badge> : null}
        </td>
        <td className="small wrap">
          <strong>
            {ROLE_TEXT[c.role]}
            {c.type ? ` · ${c.type}` : ""}
          </strong>
          <br />
          <span className="muted">{pageWords(c.reason)}</span>
        </td>
        <td className="num">
          {fmtInt(c.distinct)}
          {c.distinctCapped ? "+" : ""}
        </td>
        <td className="num">{(100 * c.missing).toFixed(1)} %</td>
        <td className="small mono sample">{c.sample.slice(0, 3).map((v) => (v.length > 18 ? `${v.slice(0, 17)}…` : v)).join(", ")}</td>
        <td>
          <select aria-label={`Role of ${c.name}`} value={current.role} disabled={busy} onChange={(e) => onChange({ ...current, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_TEXT[r]}
              </option>
            ))}
          </select>
        </td>
        <td>
          {current.role === "feature" ? (
            <select aria-label={`Type of ${c.name}`} value={current.type} disabled={busy} onChange={(e) => onChange({ ...current, type: e.target.value as FeatureKind })}>
              <option value="numeric">numeric</option>
              <option value="categorical">categorical</option>
            </select>
          ) : (
            <span className="muted">—</span>
          )}
        </td>
      </tr>
      {leaking ? (
        <tr className="leak-row" data-testid={`setup-leak-${c.name}`}>
          <td colSpan={7}>
            <div className="notice bad leak-warning" role="alert">
              {leak.message}{" "}
              <button type="button" className="link-button" onClick={() => onChange({ ...current, role: "ignored" })}>
                Leave out {c.name}
              </button>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
