/*
 * A first dataset as a team would bring it to the set-up page (route tests and e2e/setup.spec.ts):
 * monthly rows over `months` months from January 2023, with an id, an ISO date, a numeric
 * feature, a categorical one, a numeric-looking code (1–5, categorical), a free-text comment, a
 * column that leaks the label (a number written after the outcome) and the label `churned`
 * (yes / no). Deterministic (a fixed linear congruential stream), so every run sees the same file.
 */

export interface SetupCsvOptions {
  rows: number;
  months?: number;
  /** leave out the leaking column */
  noLeak?: boolean;
}

const SETUP_CSV_COLUMNS = ["client_id", "signup_date", "balance", "region", "plan_code", "comment", "days_since_exit", "churned"] as const;

export function setupCsv({ rows, months = 24, noLeak = false }: SetupCsvOptions): string {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const regions = ["north", "south", "east", "west"];
  const words = ["late payment", "asked for discount", "happy", "moved office", "new manager", "complained twice", "renewed early", "quiet"];
  const header = SETUP_CSV_COLUMNS.filter((c) => !(noLeak && c === "days_since_exit"));
  const lines = [header.join(",")];
  for (let i = 0; i < rows; i++) {
    const month = Math.floor((i * months) / rows);
    const date = `${2023 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const region = regions[Math.floor(next() * 4)];
    const plan = 1 + Math.floor(next() * 5);
    const balance = Math.round(next() * 50_000) / 10;
    // strong enough effects that a logistic model finds the risky clients (F1 well above 0)
    const risk = 0.08 + (region === "east" ? 0.5 : 0) + (plan >= 4 ? 0.3 : 0) - balance / 25_000;
    const churned = next() < risk;
    const leak = churned ? String(1 + Math.floor(next() * 90)) : "0";
    const comment = `"${words[i % words.length]} #${i}"`;
    const cells = [`C${String(i).padStart(6, "0")}`, date, String(balance), region, String(plan), comment, ...(noLeak ? [] : [leak]), churned ? "yes" : "no"];
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}
