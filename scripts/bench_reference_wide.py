#!/usr/bin/python3
"""The pandas / scikit-learn reference for the "wide" data (scripts/generate-wide-data.ts): 8 numeric
and 4 categorical features, a yes/no label. A benchmark tool only, never a runtime dependency of the
app. Run with Debian's interpreter (apt packages python3-pandas, python3-sklearn):

  npx tsx scripts/generate-wide-data.ts --out /tmp/wide --rows 1000000 --files 12
  /usr/bin/python3 scripts/bench_reference_wide.py --source /tmp/wide --test /tmp/wide/test/wide_test.csv

--schema defaults to SOURCE/schema.json; the column names and types come from it, none is written
here. Prints one JSON object on stdout, timings in seconds measured inside the process (the bench
also times the whole process from outside):

  ingest  read_csv of every *.csv in SOURCE (the id, time and categorical columns as text, so "007"
          stays "007"; only an empty cell is missing, so a level such as "NA" stays a level) +
          concat + drop_duplicates + to_csv to a temporary file; rowsPerSecond = rows read / seconds.
  train   read_csv of that deduplicated file, rows whose label is neither the positive nor the
          negative value dropped, then
            Pipeline([ColumnTransformer([
                ("num", Pipeline([SimpleImputer(strategy="mean"), StandardScaler()]), numeric),
                ("cat", OneHotEncoder(drop="first", handle_unknown="ignore"), categorical)]),
              LogisticRegression(C=1.0, max_iter=1000)])
          with missing categorical cells filled with "(missing)" (the product's level for them);
          then F1 and ROC AUC on the test file (positive class: the schema's positive value).
          `seconds` covers read + fit; scoring the test file is reported apart (scoreSeconds).

scikit-learn accepts drop="first" together with handle_unknown="ignore" from 1.0 on (Debian 12 has
1.2.1): an unknown level at transform is encoded as all zeros, i.e. as the dropped first level, with
a warning. drop="first" drops the alphabetically first level, not the most frequent one as the
product's encoding does (data/golden/encoding_golden.py), and nothing is pooled; the model differs in
parametrisation and penalty, so compare F1 and AUC, not coefficients.
"""
import argparse
import glob
import json
import os
import sys
import tempfile
import time
import warnings

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, roc_auc_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

T_IMPORT = time.perf_counter() - T0
MISSING_LEVEL = "(missing)"


def load_schema(file):
    with open(file, encoding="utf-8") as fh:
        s = json.load(fh)
    kind = {name: spec if isinstance(spec, str) else spec["type"] for name, spec in s["features"].items()}
    s["numeric"] = [f for f, k in kind.items() if k == "numeric"]
    s["categorical"] = [f for f, k in kind.items() if k == "categorical"]
    return s


def read(file, schema):
    text = [c for c in (schema.get("id"), schema.get("time"), schema["label"]) if c] + schema["categorical"]
    return pd.read_csv(file, dtype={c: str for c in text}, keep_default_na=False, na_values=[""])


def ingest(source, schema, out):
    files = sorted(glob.glob(os.path.join(source, "*.csv")))
    t = time.perf_counter()
    df = pd.concat([read(f, schema) for f in files], ignore_index=True)
    rows = len(df)
    df = df.drop_duplicates()
    df.to_csv(out, index=False)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "rows": rows, "rowsPerSecond": rows / seconds, "files": len(files), "rowsOut": len(df), "duplicates": rows - len(df)}


def design(df, schema):
    X = df[schema["numeric"] + schema["categorical"]].copy()
    X[schema["categorical"]] = X[schema["categorical"]].fillna(MISSING_LEVEL)
    return X


def labelled(df, schema):
    return df[df[schema["label"]].isin([schema["positive"], schema["negative"]])]


def train(data, test_file, schema):
    t = time.perf_counter()
    df = labelled(read(data, schema), schema)
    y = (df[schema["label"]] == schema["positive"]).to_numpy(dtype=np.int8)
    model = Pipeline([
        ("encode", ColumnTransformer([
            ("num", Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())]), schema["numeric"]),
            ("cat", OneHotEncoder(drop="first", handle_unknown="ignore"), schema["categorical"]),
        ])),
        ("logit", LogisticRegression(C=1.0, max_iter=1000)),
    ])
    model.fit(design(df, schema), y)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    test = labelled(read(test_file, schema), schema)
    yt = (test[schema["label"]] == schema["positive"]).to_numpy(dtype=np.int8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # unknown levels in the test file: all-zero, as documented
        Xt = design(test, schema)
        f1 = float(f1_score(yt, model.predict(Xt)))
        auc = float(roc_auc_score(yt, model.predict_proba(Xt)[:, 1]))
    logit = model.named_steps["logit"]
    return {
        "seconds": seconds,
        "f1": f1,
        "rocAuc": auc,
        "rows": len(df),
        "testRows": len(test),
        "positiveShare": float(y.mean()),
        "designColumns": int(logit.coef_.shape[1]),
        "nIter": int(np.max(logit.n_iter_)),
        "scoreSeconds": time.perf_counter() - t,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", required=True, help="folder of source CSV files")
    p.add_argument("--test", required=True, help="labelled test CSV file")
    p.add_argument("--schema", help="schema file (default: SOURCE/schema.json)")
    args = p.parse_args()
    schema = load_schema(args.schema or os.path.join(args.source, "schema.json"))
    with tempfile.TemporaryDirectory(prefix="bench-wide-") as tmp:
        deduped = os.path.join(tmp, "deduped.csv")
        out = {"ingest": ingest(args.source, schema, deduped), "train": train(deduped, args.test, schema)}
    out["versions"] = {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__, "sklearn": sklearn.__version__}
    out["importSeconds"] = T_IMPORT
    out["processSeconds"] = time.perf_counter() - T0
    print(json.dumps(out))


if __name__ == "__main__":
    main()
