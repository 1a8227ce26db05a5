"""Golden values for the schema-generic encoding + logistic fit (lib/model/encoding.ts and the
coefficient table built on it), on the committed "wide" data (data/wide, written by
scripts/generate-wide-data.ts).

Run from the repository root with Debian's python3 (statsmodels 0.13.5, pandas 1.5.3, numpy 1.24.2):
    /usr/bin/python3 data/golden/encoding_golden.py
It writes data/golden/encoding_golden.json (every float with all its digits: Python's repr, which
round-trips) and prints a short summary.

The rows: the source files data/wide/wide_*.csv (not the test file) in name order, concatenated;
exact duplicate rows (every cell's text equal) dropped, the first kept; rows whose label is neither
the schema's positive nor its negative text dropped. Every cell is read as text, and only an empty
cell is missing.

The encoding rules (what the TypeScript side must reproduce):
- numeric feature: missing cells are imputed with the mean of the present values (over the rows
  above); term name = the column name.
- categorical feature: the cell text as is (so "007" != "7"); a missing cell is the level
  "(missing)"; levels seen fewer than 10 times are pooled into "(other)" (only when at least one
  level is pooled; "(other)" is then a level like any other, never pooled again); the level with
  the highest count (ties: the smallest by Python string comparison `<`) is the reference level,
  dropped; the other levels become 0/1 columns named `feature=level`, ordered by level text
  (Python `sorted`, i.e. by code point).
- design columns: the features in the schema file's order, each categorical's dummies in the order
  above; plus an intercept, first, named "(intercept)".

The fit: statsmodels.api.Logit(y, sm.add_constant(X)).fit(method="newton", tol=1e-12, maxiter=100,
disp=0) on the raw (unstandardised) design, y = 1 for the positive label. Per term: estimate, Wald
standard error, z, two-sided normal p-value, 95 % Wald interval (conf_int), odds ratio exp(estimate).
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "data", "wide")
OUT = os.path.join(ROOT, "data", "golden", "encoding_golden.json")
MISSING_LEVEL = "(missing)"
OTHER_LEVEL = "(other)"
MIN_LEVEL_COUNT = 10


def load_rows(schema):
    files = sorted(f for f in os.listdir(DATA) if f.startswith("wide_") and f.endswith(".csv"))
    frames = [pd.read_csv(os.path.join(DATA, f), dtype=str, keep_default_na=False) for f in files]
    df = pd.concat(frames, ignore_index=True)
    read = len(df)
    df = df.drop_duplicates(keep="first")
    deduped = len(df)
    df = df[df[schema["label"]].isin([schema["positive"], schema["negative"]])].reset_index(drop=True)
    summary = {"files": files, "rowsRead": read, "duplicatesDropped": read - deduped, "invalidLabelsDropped": deduped - len(df)}
    return df, summary


def encode_numeric(cells):
    present = [float(c) for c in cells if c != ""]
    mean = math.fsum(present) / len(present)  # the correctly rounded sum: any accurate summation agrees to an ulp
    column = np.array([mean if c == "" else float(c) for c in cells], dtype=np.float64)
    return column, {"mean": mean, "missing": len(cells) - len(present)}


def encode_categorical(name, cells):
    raw = [MISSING_LEVEL if c == "" else c for c in cells]
    counts = pd.Series(raw).value_counts().to_dict()
    pooled = sorted(level for level, n in counts.items() if n < MIN_LEVEL_COUNT)
    if pooled:
        raw = [OTHER_LEVEL if counts[v] < MIN_LEVEL_COUNT else v for v in raw]
        counts = pd.Series(raw).value_counts().to_dict()
    reference = min(counts, key=lambda level: (-counts[level], level))
    kept = sorted(level for level in counts if level != reference)
    values = np.array(raw, dtype=object)
    columns = {f"{name}={level}": (values == level).astype(np.float64) for level in kept}
    info = {
        "reference": reference,
        "kept": kept,
        "pooled": pooled,
        "counts": {level: int(counts[level]) for level in sorted(counts)},
    }
    return columns, info


def design_matrix(df, schema):
    columns, numeric, categorical = {}, {}, {}
    for name, spec in schema["features"].items():
        kind = spec if isinstance(spec, str) else spec["type"]
        cells = df[name].tolist()
        if kind == "numeric":
            columns[name], numeric[name] = encode_numeric(cells)
        else:
            dummies, categorical[name] = encode_categorical(name, cells)
            columns.update(dummies)
    return pd.DataFrame(columns), numeric, categorical


def fit_terms(X, y):
    fit = sm.Logit(y, sm.add_constant(X, prepend=True)).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    ci = np.asarray(fit.conf_int(alpha=0.05))
    names = ["(intercept)"] + list(X.columns)
    terms = [
        {
            "term": term,
            "estimate": float(fit.params.iloc[i]),
            "stdError": float(fit.bse.iloc[i]),
            "z": float(fit.tvalues.iloc[i]),
            "pValue": float(fit.pvalues.iloc[i]),
            "ciLower": float(ci[i, 0]),
            "ciUpper": float(ci[i, 1]),
            "oddsRatio": float(np.exp(fit.params.iloc[i])),
        }
        for i, term in enumerate(names)
    ]
    info = {
        "converged": bool(fit.mle_retvals["converged"]),
        "iterations": int(fit.mle_retvals["iterations"]),
        "logLikelihood": float(fit.llf),
        "nullLogLikelihood": float(fit.llnull),
    }
    return terms, info


def main():
    with open(os.path.join(DATA, "schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    df, rows = load_rows(schema)
    y = (df[schema["label"]] == schema["positive"]).to_numpy(dtype=np.float64)
    X, numeric, categorical = design_matrix(df, schema)
    terms, fit = fit_terms(X, y)
    out = {
        "command": "/usr/bin/python3 data/golden/encoding_golden.py",
        "versions": {"python": sys.version.split()[0], "statsmodels": statsmodels.__version__, "pandas": pd.__version__, "numpy": np.__version__},
        "data": {**rows, "n": len(df), "positives": int(y.sum())},
        "numeric": numeric,
        "categorical": categorical,
        "columns": list(X.columns),
        "fit": fit,
        "terms": terms,
    }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2, allow_nan=False)
        fh.write("\n")
    print(f"n={len(df)} positives={int(y.sum())} columns={X.shape[1]} converged={fit['converged']} iterations={fit['iterations']}")
    print(f"written {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
