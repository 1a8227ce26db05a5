#!/usr/bin/python3
"""The pandas / scikit-learn side of `npm run bench` (scripts/bench.ts). A benchmark tool only,
never a runtime dependency of the app. Run with Debian's interpreter, which has the apt packages
python3-pandas and python3-sklearn:

  /usr/bin/python3 scripts/bench_reference.py ingest --source DIR --out deduped.csv
      read_csv of every *.csv in DIR + concat + drop_duplicates + to_csv: what
      `npm run pipeline -- ingest` does (read, dedupe, store), the pandas way.
  /usr/bin/python3 scripts/bench_reference.py train --data deduped.csv --test test.csv [--model-out m.pkl]
      read_csv + LogisticRegression(solver="liblinear", C=1) on the 3 raw features + f1_score on
      the test file: what `npm run pipeline -- train` does (read, fit, score). Empty feature cells
      are filled with the column mean of the training rows (fillna(mean), as the app imputes);
      no scaling, as sklearn users usually do. --model-out pickles the fitted model (and the
      feature order) for scripts/bench_flask.py. --converged also fits the unpenalised
      maximum-likelihood model on standardised features (data/bench/reference-sklearn.md).

Each prints one JSON object on stdout (timings in seconds, measured inside the process; the bench
also times the whole process from outside).
"""
import argparse
import glob
import json
import os
import pickle
import sys
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

FEATURES = ["lastmonth_activity", "lastyear_activity", "number_of_employees"]
LABEL = "exited"


def ingest(args):
    files = sorted(glob.glob(os.path.join(args.source, "*.csv")))
    t = time.perf_counter()
    frames = [pd.read_csv(f) for f in files]
    t_read = time.perf_counter() - t
    df = pd.concat(frames, ignore_index=True)
    rows_in = len(df)
    t = time.perf_counter()
    df = df.drop_duplicates()
    t_dedupe = time.perf_counter() - t
    t = time.perf_counter()
    df.to_csv(args.out, index=False)
    t_write = time.perf_counter() - t
    return {
        "files": len(files),
        "rowsIn": rows_in,
        "rowsOut": len(df),
        "duplicates": rows_in - len(df),
        "readS": t_read,
        "dedupeS": t_dedupe,
        "writeS": t_write,
    }


def blas_info():
    try:
        from threadpoolctl import threadpool_info

        return [
            {k: i.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
            for i in threadpool_info()
        ]
    except Exception as e:  # threadpoolctl missing or failing: say so, it is only a note
        return [{"error": str(e)}]


def train(args):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    t = time.perf_counter()
    df = pd.read_csv(args.data)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    means = df[FEATURES].mean()
    X = df[FEATURES].fillna(means).to_numpy(dtype=np.float64)
    y = df[LABEL].to_numpy()
    model = LogisticRegression(solver="liblinear", C=1)
    model.fit(X, y)
    t_fit = time.perf_counter() - t
    t = time.perf_counter()
    test = pd.read_csv(args.test)
    Xt = test[FEATURES].fillna(means).to_numpy(dtype=np.float64)
    f1 = float(f1_score(test[LABEL].to_numpy(), model.predict(Xt)))
    t_score = time.perf_counter() - t
    converged = None
    if args.converged:
        # The maximum-likelihood fit liblinear approximates: no penalty, standardised features,
        # tight tolerance; coefficients mapped back to raw units. A Newton/IRLS solver should
        # reach these to ~1e-6; liblinear (penalised, stopped by a loose relative tolerance on
        # unscaled features) can differ, mostly in the intercept.
        from sklearn.preprocessing import StandardScaler

        sc = StandardScaler().fit(X)
        mle = LogisticRegression(penalty=None, solver="lbfgs", tol=1e-12, max_iter=10_000).fit(sc.transform(X), y)
        raw = mle.coef_[0] / sc.scale_
        converged = {
            "how": 'LogisticRegression(penalty=None, solver="lbfgs", tol=1e-12) on StandardScaler features',
            "f1": float(f1_score(test[LABEL].to_numpy(), mle.predict(sc.transform(Xt)))),
            "interceptRaw": float(mle.intercept_[0] - raw @ sc.mean_),
            "coefficientsRaw": dict(zip(FEATURES, map(float, raw))),
            "interceptStandardised": float(mle.intercept_[0]),
            "coefficientsStandardised": dict(zip(FEATURES, map(float, mle.coef_[0]))),
            "scaler": {f: {"mean": float(m), "std": float(s)} for f, m, s in zip(FEATURES, sc.mean_, sc.scale_)},
        }
    if args.model_out:
        with open(args.model_out, "wb") as fh:
            pickle.dump({"model": model, "features": FEATURES, "means": means.to_dict()}, fh)
    import sklearn

    return {
        "trainRows": len(df),
        "testRows": len(test),
        "f1": f1,
        "intercept": float(model.intercept_[0]),
        "coefficients": dict(zip(FEATURES, map(float, model.coef_[0]))),
        "nIter": int(np.max(model.n_iter_)),
        "converged": converged,
        "imputationMeans": {k: float(v) for k, v in means.items()},
        "readS": t_read,
        "fitS": t_fit,
        "scoreS": t_score,
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__, "sklearn": sklearn.__version__},
        "blas": blas_info(),
        "openblasEnv": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("ingest")
    i.add_argument("--source", required=True)
    i.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--test", required=True)
    t.add_argument("--model-out")
    t.add_argument("--converged", action="store_true", help="also fit the unpenalised model (reference figures only; not timed by the bench)")
    args = p.parse_args()
    out = ingest(args) if args.cmd == "ingest" else train(args)
    out["importS"] = T_IMPORT
    out["processS"] = time.perf_counter() - T0
    print(json.dumps(out))


T_IMPORT = time.perf_counter() - T0

if __name__ == "__main__":
    main()
