"""Golden values for lib/model/coefficients.test.ts.

Run from the repository root with Debian's python3 (statsmodels 0.13.5, scipy 1.10.1):
    /usr/bin/python3 data/golden/coefficients_golden.py

The data set is rebuilt in the test from the same Mulberry32 stream (goldenClients() there).
"""
import math
import sys

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

sys.path.insert(0, "data/golden")
from mulberry32 import mulberry32  # noqa: E402


def golden_clients(seed, n):
    r = mulberry32(seed)
    X, y = [], []
    for _ in range(n):
        lm = math.floor(r() * 1000)
        ly = math.floor(lm * 3 + r() * 2000)
        ne = math.floor(1 + r() * 300)
        eta = 1.0 - 0.004 * lm + 0.0006 * ly - 0.003 * ne
        p = 1 / (1 + math.exp(-eta))
        X.append([lm, ly, ne])
        y.append(1 if r() < p else 0)
    return np.array(X, float), np.array(y)


print("statsmodels", statsmodels.__version__, "scipy", scipy.__version__)
X, y = golden_clients(99, 500)
print("n", len(y), "positives", int(y.sum()))
Z = (X - X.mean(0)) / X.std(0, ddof=1)  # lib/model/logistic.ts z-scores with the sample SD
for name, design in (("original", X), ("standardised", Z)):
    fit = sm.Logit(y, sm.add_constant(design)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
    ci = fit.conf_int()
    print(f"--- {name}")
    print("params", [repr(v) for v in fit.params])
    print("bse", [repr(v) for v in fit.bse])
    print("z", [repr(v) for v in fit.tvalues])
    print("pvalues", [repr(v) for v in fit.pvalues])
    print("ciLower", [repr(v) for v in ci[:, 0]])
    print("ciUpper", [repr(v) for v in ci[:, 1]])
    print("oddsRatio", [repr(v) for v in np.exp(fit.params)])

print("--- normal distribution (scipy.stats.norm)")
for z in [0.0, 0.5, 1.0, 1.959963984540054, 3.0, 5.0, 8.0, 12.0, 30.0]:
    print("sf", z, repr(stats.norm.sf(z)))
for p in [1e-10, 0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.995, 1 - 1e-10]:
    print("ppf", p, repr(stats.norm.ppf(p)))
