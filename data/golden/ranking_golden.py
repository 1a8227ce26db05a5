"""Golden values for lib/metrics/ranking.test.ts.

Run from the repository root with Debian's python3 (scikit-learn 1.2.1, numpy 1.24.2):
    /usr/bin/python3 data/golden/ranking_golden.py

The data set is rebuilt in the test from the same Mulberry32 stream (see tiedScores() there).
"""
import math
import sys
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (average_precision_score, brier_score_loss, log_loss,
                             precision_recall_curve, roc_auc_score, roc_curve)

sys.path.insert(0, "data/golden")
from mulberry32 import mulberry32  # noqa: E402


def tied_scores(seed, n):
    """Scores on a grid of 1/40 (many ties), exact 0s and 1s, labels ~35 % positive."""
    r = mulberry32(seed)
    y, s = [], []
    for i in range(n):
        u, v, w = r(), r(), r()
        label = 1 if u < 0.35 else 0
        score = math.floor(min(1.0, 0.6 * v + 0.4 * label * w + 0.15 * w) * 40) / 40
        if i % 97 == 0:
            score = 1.0
        if i % 89 == 3:
            score = 0.0
        y.append(label)
        s.append(score)
    return np.array(y), np.array(s)


def continuous_scores(seed, n):
    r = mulberry32(seed)
    y, s = [], []
    for _ in range(n):
        u, v = r(), r()
        p = v * v
        s.append(p)
        y.append(1 if u < p else 0)
    return np.array(y), np.array(s)


print("sklearn", sklearn.__version__, "numpy", np.__version__)
for name, (y, s) in {"tied": tied_scores(2026, 400), "continuous": continuous_scores(7, 300)}.items():
    print(f"--- {name}: n={len(y)} positives={y.sum()} distinct scores={len(np.unique(s))}")
    print("rocAuc", repr(roc_auc_score(y, s)))
    print("averagePrecision", repr(average_precision_score(y, s)))
    print("brierScore", repr(brier_score_loss(y, s)))
    print("logLoss", repr(log_loss(y, s)))
    pt, pp = calibration_curve(y, s, n_bins=10, strategy="quantile")
    print("probTrue", [repr(v) for v in pt])
    print("probPred", [repr(v) for v in pp])
    bins = np.percentile(s, np.linspace(0, 1, 11) * 100)
    print("edges", [repr(v) for v in bins])
    print("counts", np.bincount(np.searchsorted(bins[1:-1], s), minlength=11).tolist())
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    print("rocPoints", len(fpr))
    prec, rec, thr2 = precision_recall_curve(y, s)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.where(prec + rec > 0, prec + rec, 1), 0)[:-1]
    k = int(np.argmax(f1[::-1]))  # first maximum from the highest threshold down
    print("maxF1", repr(f1[::-1][k]), "at threshold", repr(thr2[::-1][k]))
    iso = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(s, y)
    probe = np.array([-0.1, 0.0, 0.0125, 0.1, 0.33, 0.5, 0.61, 0.77, 0.9, 0.999, 1.0, 1.3])
    print("isotonic", [repr(v) for v in iso.predict(probe)])

# Edge cases
print("--- edge cases")
print("logLoss clipped", repr(log_loss([0, 1, 1, 0], [0.0, 1.0, 0.0, 1.0])))
print("logLoss one class with labels=[0,1]", repr(log_loss([1, 1, 1], [0.9, 0.6, 0.2], labels=[0, 1])))
print("brier one class", repr(brier_score_loss([0, 0, 0], [0.1, 0.2, 0.7])))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print("AP no positives", repr(average_precision_score([0, 0, 0], [0.1, 0.2, 0.7])), [str(x.message) for x in w])
try:
    roc_auc_score([1, 1, 1], [0.1, 0.2, 0.7])
except ValueError as e:
    print("rocAuc one class ->", e)
print("rocAuc all tied", repr(roc_auc_score([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])))
print("AP all tied", repr(average_precision_score([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])))
pt, pp = calibration_curve([0, 1, 0, 1, 1], [0.2, 0.2, 0.2, 0.2, 0.2], n_bins=10, strategy="quantile")
print("calibration all tied", pt.tolist(), pp.tolist())

# Curves of the tied set, full length (thresholds decreasing), for ranking.test.ts
import json  # noqa: E402
y, s = tied_scores(2026, 400)
fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
prec, rec, thr2 = precision_recall_curve(y, s)
print("--- tied curves")
print("roc fpr", json.dumps(fpr.tolist()))
print("roc tpr", json.dumps(tpr.tolist()))
print("pr thresholds (descending)", json.dumps(thr2[::-1].tolist()))
print("pr precision (descending thresholds)", json.dumps(prec[:-1][::-1].tolist()))
print("pr recall (descending thresholds)", json.dumps(rec[:-1][::-1].tolist()))

# Hosmer-Lemeshow on the quantile calibration table (df = number of bins, held-out data) and
# chi-square tails, for estimated-performance.test.ts and chi-square.test.ts
from scipy import stats  # noqa: E402
print("--- Hosmer-Lemeshow")
for name, (y, s) in {"tied": tied_scores(2026, 400), "continuous": continuous_scores(7, 300)}.items():
    pt, pp = calibration_curve(y, s, n_bins=10, strategy="quantile")
    bins = np.percentile(s, np.linspace(0, 1, 11) * 100)
    n = np.bincount(np.searchsorted(bins[1:-1], s), minlength=11)
    n = n[n > 0]
    H = float(np.sum(n * (pt - pp) ** 2 / (pp * (1 - pp))))
    print(name, "statistic", repr(H), "df", len(n), "p", repr(stats.chi2.sf(H, len(n))))
for x, df in [(3.84, 1), (0.5, 2), (7.0, 3), (12.3, 10), (40.0, 9), (0.01, 5), (150.0, 10)]:
    print("chi2.sf", x, df, repr(stats.chi2.sf(x, df)))
