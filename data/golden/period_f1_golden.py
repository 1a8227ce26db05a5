"""Golden values for the replay by period (issue 18): a history file no one here wrote by hand, cut
by quarter, each quarter's F1 of the first model computed independently with statsmodels and
scikit-learn. lib/pipeline/replay-golden.test.ts replays the same file through the product with a
retrain trigger that never fires (DRIFT_TRIGGER=estimated without batches), so one model — the
first period's — scores every later quarter, and compares its stored scores with these.

Run from the repository root with Debian's python3 (statsmodels 0.13.5, scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 data/golden/period_f1_golden.py
It writes data/golden/period_history.csv (the history: generated with numpy's seeded RandomState,
rows in no order) and data/golden/period_f1_golden.json.

- The history: 3,000 accounts opened over three years (2022–2024, an ISO date), a numeric usage
  (with 2 % empty cells) and tenure, a categorical segment, a tier code that looks like a number
  (categorical), free-text notes (left out of the schema), the label churn = Y / N; usage falls in
  the last year (drift).
- Periods: calendar quarters (UTC) of `opened`; no quarter has fewer than MIN_PERIOD_ROWS = 200 rows.
- The hold-out: the first quarter's rows in file order, each drawn with Mulberry32(20261207)
  (data/golden/mulberry32.py, the port of lib/stats/random.ts): a draw < 0.2 is held out.
- The model: statsmodels Logit (Newton, no penalty) on the other first-quarter rows, encoded as
  data/golden/encoding_golden.py does (numeric: empty cells at the training mean; categorical:
  most frequent level dropped, levels seen fewer than 10 times pooled).
- Scoring a quarter: its rows encoded with the training encoding; an empty numeric cell gets the
  mean the product imputes at ingestion (the present values of every row stored so far, this
  quarter's included); predicted 1 when p >= 0.5; F1 = sklearn.metrics.f1_score.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
import statsmodels.api as sm
from sklearn.metrics import f1_score

sys.path.insert(0, os.path.dirname(__file__))
from encoding_golden import ROOT, design_matrix  # noqa: E402
from mulberry32 import mulberry32  # noqa: E402

CSV = os.path.join(ROOT, "data", "golden", "period_history.csv")
OUT = os.path.join(ROOT, "data", "golden", "period_f1_golden.json")
SCHEMA = {
    "id": "account",
    "label": "churn",
    "positive": "Y",
    "negative": "N",
    "time": "opened",
    "features": {"usage": {"type": "numeric", "min": 0}, "tenure": {"type": "numeric", "min": 0}, "segment": "categorical", "tier": "categorical"},
}
HOLDOUT_SEED = 20261207
HOLDOUT_SHARE = 0.2


def generate():
    rng = np.random.RandomState(2026)
    n = 3000
    rows = []
    for i in rng.permutation(n):
        day = int(i * 1096 / n)  # 2022-01-01 + day
        opened = (pd.Timestamp("2022-01-01") + pd.Timedelta(days=day)).strftime("%Y-%m-%d")
        segment = ["retail", "sme", "corporate"][rng.choice(3, p=[0.5, 0.35, 0.15])]
        tier = str(rng.randint(1, 4))
        tenure = round(float(rng.exponential(30)), 1)
        usage = float(rng.gamma(4, 25)) * (0.6 if day >= 731 else 1.0)
        z = 2.2 - 0.035 * usage - 0.03 * tenure + (1.2 if segment == "retail" else 0) + (0.8 if tier == "3" else 0)
        churn = "Y" if rng.random_sample() < 1 / (1 + np.exp(-z)) else "N"
        usage_cell = "" if rng.random_sample() < 0.02 else f"{usage:.2f}"
        note = rng.choice(["renewal call", "price question", "", "moved, new address", "asked about \"premium\""])
        rows.append({"account": f"A{int(rng.randint(10**7)):07d}-{i}", "opened": opened, "segment": segment, "tier": tier, "tenure": f"{tenure}", "usage": usage_cell, "notes": note, "churn": churn})
    df = pd.DataFrame(rows, columns=["account", "opened", "segment", "tier", "tenure", "usage", "notes", "churn"])
    df.to_csv(CSV, index=False)


def quarter(opened):
    t = pd.Timestamp(opened)
    return f"{t.year}-Q{(t.month - 1) // 3 + 1}"


def encode(df, numeric, categorical, columns, means):
    X = pd.DataFrame(0.0, index=range(len(df)), columns=columns)
    for name, spec in SCHEMA["features"].items():
        kind = spec if isinstance(spec, str) else spec["type"]
        cells = df[name].tolist()
        if kind == "numeric":
            X[name] = [means[name] if c == "" else float(c) for c in cells]
            continue
        info = categorical[name]
        for i, cell in enumerate(cells):
            level = "(missing)" if cell == "" else cell
            if level in info["pooled"]:
                level = "(other)"
            if level in info["kept"]:
                X.at[i, f"{name}={level}"] = 1.0
    return X


def main():
    generate()
    df = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    df["period"] = df["opened"].map(quarter)
    periods = sorted(df["period"].unique())
    first = df[df["period"] == periods[0]].reset_index(drop=True)
    draw = mulberry32(HOLDOUT_SEED)
    held = np.array([draw() < HOLDOUT_SHARE for _ in range(len(first))])
    train, test = first[~held].reset_index(drop=True), first[held].reset_index(drop=True)
    X, numeric, categorical = design_matrix(train, SCHEMA)
    y = (train["churn"] == "Y").astype(int).to_numpy()
    fit = sm.Logit(y, sm.add_constant(X, prepend=True)).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    beta = fit.params.to_numpy()

    def scores(part, means):
        Xp = encode(part, numeric, categorical, list(X.columns), means)
        p = 1 / (1 + np.exp(-(beta[0] + Xp.to_numpy() @ beta[1:])))
        truth = (part["churn"] == "Y").astype(int).to_numpy()
        return {"rows": int(len(part)), "f1": float(f1_score(truth, (p >= 0.5).astype(int)))}

    # the product's ingestion mean: present values of every stored row so far (this file's included)
    stored = train.copy()
    out = {"periods": {}}
    # the test file: rows with an empty numeric cell are skipped, as the product's test scoring does
    complete = test[(test["usage"] != "") & (test["tenure"] != "")].reset_index(drop=True)
    out["test"] = scores(complete, {})
    for key in periods[1:]:
        part = df[df["period"] == key].reset_index(drop=True)
        stored = pd.concat([stored, part], ignore_index=True)
        means = {name: float(np.mean([float(c) for c in stored[name] if c != ""])) for name in ("usage", "tenure")}
        out["periods"][key] = scores(part, means)
    out["heldOut"] = int(held.sum())
    out["trainRows"] = int(len(train))
    out["versions"] = {"python": sys.version.split()[0], "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__, "statsmodels": sm.__version__ if hasattr(sm, "__version__") else "?"}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
