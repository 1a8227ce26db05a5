"""Golden values for the whole product on the committed "wide" data (data/wide): what
app/api/own-data.test.ts checks the product's answers against, computed independently with
statsmodels / scikit-learn / scipy on the same rows.

Run from the repository root with Debian's python3 (statsmodels 0.13.5, scikit-learn 1.2.1, scipy 1.10.1):
    /usr/bin/python3 data/golden/wide_pipeline_golden.py
It writes data/golden/wide_pipeline_golden.json.

- The model: statsmodels Logit (no penalty, as the product's Newton fit) on the encoding of
  data/golden/encoding_golden.py (same rows: the four source files, exact duplicates dropped).
- The test file data/wide/test/wide_test.csv encoded with the TRAINING encoding: numeric cells as
  numbers (rows with an empty numeric cell are skipped, as the product's test scoring does), a
  categorical level the training never saw, or one pooled into "(other)" when "(other)" was not kept,
  adds nothing (all its dummies 0). Probabilities p = 1 / (1 + exp(-x·β)); predicted 1 when p >= 0.5.
  F1 = sklearn.metrics.f1_score, ROC AUC = sklearn.metrics.roc_auc_score.
- Feature drift between the rows of wide_2024-01.csv (reference) and the rows of wide_2024-04.csv
  that are not exact copies of rows of the earlier files (current; the product keeps the first copy):
  numeric monthly_spend: scipy.stats.ks_2samp on the present values (statistic, p-value, method="auto");
  categorical region: scipy.stats.chi2_contingency on the counts of every level of either side
  ("(missing)" for an empty cell), correction=False; scipy.spatial.distance.jensenshannon(base=2) of the
  two count vectors.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp
from sklearn.metrics import f1_score, roc_auc_score

sys.path.insert(0, os.path.dirname(__file__))
from encoding_golden import DATA, MISSING_LEVEL, OTHER_LEVEL, ROOT, design_matrix, fit_terms, load_rows  # noqa: E402

OUT = os.path.join(ROOT, "data", "golden", "wide_pipeline_golden.json")


def encode_test(df, schema, numeric, categorical, columns):
    keep = np.ones(len(df), dtype=bool)
    for name, spec in schema["features"].items():
        kind = spec if isinstance(spec, str) else spec["type"]
        if kind == "numeric":
            keep &= (df[name] != "").to_numpy()
    df = df[keep].reset_index(drop=True)
    X = pd.DataFrame(0.0, index=range(len(df)), columns=columns)
    for name, spec in schema["features"].items():
        kind = spec if isinstance(spec, str) else spec["type"]
        if kind == "numeric":
            X[name] = df[name].astype(float)
            continue
        info = categorical[name]
        for i, cell in enumerate(df[name].tolist()):
            level = MISSING_LEVEL if cell == "" else cell
            if level in info["pooled"]:
                level = OTHER_LEVEL
            if level in info["kept"]:
                X.at[i, f"{name}={level}"] = 1.0
    y = (df[schema["label"]] == schema["positive"]).to_numpy(dtype=int)
    return X, y


def file_rows(name):
    return pd.read_csv(os.path.join(DATA, name), dtype=str, keep_default_na=False)


def main():
    with open(os.path.join(DATA, "schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    df, _ = load_rows(schema)
    y = (df[schema["label"]] == schema["positive"]).to_numpy(dtype=np.float64)
    X, numeric, categorical = design_matrix(df, schema)
    terms, _ = fit_terms(X, y)
    beta = np.array([t["estimate"] for t in terms])
    test = pd.read_csv(os.path.join(DATA, "test", "wide_test.csv"), dtype=str, keep_default_na=False)
    Xt, yt = encode_test(test, schema, numeric, categorical, list(X.columns))
    p = 1 / (1 + np.exp(-(beta[0] + Xt.to_numpy() @ beta[1:])))
    pred = (p >= 0.5).astype(int)

    ref = file_rows("wide_2024-01.csv").drop_duplicates(keep="first")
    earlier = pd.concat([file_rows(f) for f in ("wide_2024-01.csv", "wide_2024-02.csv", "wide_2024-03.csv")], ignore_index=True)
    cur = file_rows("wide_2024-04.csv").drop_duplicates(keep="first")
    seen = set(map(tuple, earlier.to_numpy().tolist()))
    cur = cur[[tuple(r) not in seen for r in cur.to_numpy().tolist()]]
    spend = lambda d: d["monthly_spend"][d["monthly_spend"] != ""].astype(float).to_numpy()
    ks = ks_2samp(spend(ref), spend(cur))
    levels = lambda d: d["region"].replace("", MISSING_LEVEL).value_counts()
    rc, cc = levels(ref), levels(cur)
    union = sorted(set(rc.index) | set(cc.index))
    table = np.array([[rc.get(l, 0) for l in union], [cc.get(l, 0) for l in union]])
    chi2, chi_p, dof, _ = chi2_contingency(table, correction=False)
    out = {
        "command": "/usr/bin/python3 data/golden/wide_pipeline_golden.py",
        "versions": {"python": sys.version.split()[0], "scipy": scipy.__version__, "sklearn": sklearn.__version__, "pandas": pd.__version__},
        "test": {"rows": int(len(yt)), "f1": float(f1_score(yt, pred)), "rocAuc": float(roc_auc_score(yt, p))},
        "drift": {
            "referenceRows": int(len(ref)),
            "currentRows": int(len(cur)),
            "monthly_spend": {"ksStatistic": float(ks.statistic), "ksPValue": float(ks.pvalue)},
            "region": {"levels": union, "chi2": float(chi2), "df": int(dof), "pValue": float(chi_p), "js": float(jensenshannon(table[0], table[1], base=2))},
        },
    }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2, allow_nan=False)
        fh.write("\n")
    print(json.dumps(out["test"]), json.dumps(out["drift"]["region"]["chi2"]))


if __name__ == "__main__":
    main()
