import { AppError } from "../errors";

/**
 * Unpenalised logistic regression by Newton's method (= IRLS) on a sparse design with an
 * intercept: k terms give a (k+1)×(k+1) system per step. The design's scaling is the design's
 * business (lib/model/encoding.ts: standardised numerics, 0/1 dummies); here zᵢ is row i as
 * the design gives it. The mean log-loss, its gradient
 *   g = (1/n) Σ (pᵢ − yᵢ)·[1, zᵢ]
 * and Hessian
 *   H = (1/n) Σ pᵢ(1 − pᵢ)·[1, zᵢ][1, zᵢ]ᵀ
 * are sums over rows, accumulated chunk by chunk (a map over row ranges, a reduce by adding):
 * memory stays at a few numbers per chunk whatever n is, and the same shape runs distributed.
 * Only a row's nonzeros are visited: O(nnz) for the gradient, O(nnz²) for the Hessian.
 * Each step solves H·δ = g by Cholesky; a step that does not lower the loss is halved
 * (backtracking), so nearly separable data cannot make it diverge. It stops when max |g| <
 * `tolerance` (converged) or after `maxIterations` steps. Typically 5–8 steps (each one pass).
 *
 * Reference: scikit-learn `LogisticRegression(penalty=None, solver="newton-cholesky")` solves
 * the same problem; lib/model/newton.test.ts pins its coefficients.
 */

export interface NewtonOptions {
  maxIterations: number;
  /** stop when every component of the mean gradient is below this */
  tolerance: number;
  /** rows per chunk of the map-reduce */
  chunkRows?: number;
}

export interface NewtonFit {
  /** [intercept, w1..wk] on the design's scale */
  weights: number[];
  iterations: number;
  converged: boolean;
  /** mean log-loss at the returned weights */
  logLoss: number;
  /** max |mean gradient| at the returned weights */
  gradientMax: number;
  /** mean gradient at the returned weights */
  gradient: number[];
  /** mean Hessian at the returned weights, row-major (k+1)², for standard errors: Cov = H⁻¹ / n */
  hessian: number[];
}

/**
 * Rows of a design matrix, sparse: `row(i, idx, val)` writes row i's nonzero terms — term indices
 * 0..k−1, distinct, in any order, into `idx`, their values into `val` (both of length ≥ k) — and
 * returns how many. The intercept is implicit (not written). lib/model/encoding.ts designOf builds
 * one from a schema's columns.
 */
export interface SparseRows {
  n: number;
  /** number of terms (design columns besides the intercept) */
  k: number;
  row(i: number, idx: Int32Array, val: Float64Array): number;
}

/** The mean log-loss, its gradient and Hessian (row-major (k+1)², system index 0 = the intercept) at some weights. */
export interface LogLossPass {
  loss: number;
  gradient: Float64Array;
  hessian: Float64Array;
}

/** Add one chunk's rows [start, end) to the partial sums; returns the chunk's loss. */
function accumulateChunk(d: SparseRows, y: ArrayLike<number>, w: ArrayLike<number>, start: number, end: number, cg: Float64Array, ch: Float64Array): number {
  const K = d.k + 1;
  const idx = new Int32Array(K);
  const val = new Float64Array(K);
  let loss = 0;
  for (let i = start; i < end; i++) {
    const m = d.row(i, idx, val);
    let eta = w[0];
    for (let a = 0; a < m; a++) eta += w[++idx[a]] * val[a]; // term index → system index (intercept first)
    const yi = y[i];
    // log(1 + e^eta) − y·eta, computed without overflow
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - yi * eta;
    const p = 1 / (1 + Math.exp(-eta));
    const r = p - yi;
    const v = p * (1 - p);
    cg[0] += r;
    ch[0] += v;
    for (let a = 0; a < m; a++) {
      const ia = idx[a];
      const za = val[a];
      const va = v * za;
      cg[ia] += r * za;
      ch[ia] += va;
      // each unordered pair once, into (ia, ib) whichever side of the diagonal: folded at the end
      const base = ia * K;
      for (let b = a; b < m; b++) ch[base + idx[b]] += va * val[b];
    }
  }
  return loss;
}

/**
 * One pass over the rows at weights w (length k+1, intercept first): mean loss, gradient and
 * Hessian, chunk by chunk (map: a chunk's partial sums; reduce: adding them). Per row the
 * gradient costs O(nonzeros) and the Hessian O(nonzeros²).
 */
export function logLossPass(d: SparseRows, y: ArrayLike<number>, w: ArrayLike<number>, chunkRows = 65_536): LogLossPass {
  const K = d.k + 1;
  const g = new Float64Array(K);
  const h = new Float64Array(K * K);
  const cg = new Float64Array(K);
  const ch = new Float64Array(K * K);
  let loss = 0;
  for (let start = 0; start < d.n; start += chunkRows) {
    cg.fill(0);
    ch.fill(0);
    loss += accumulateChunk(d, y, w, start, Math.min(d.n, start + chunkRows), cg, ch);
    for (let a = 0; a < K; a++) g[a] += cg[a];
    for (let a = 0; a < K * K; a++) h[a] += ch[a];
  }
  for (let a = 0; a < K; a++) {
    g[a] /= d.n;
    h[a * K + a] /= d.n;
    for (let b = a + 1; b < K; b++) h[a * K + b] = h[b * K + a] = (h[a * K + b] + h[b * K + a]) / d.n;
  }
  return { loss: loss / d.n, gradient: g, hessian: h };
}

/**
 * Per term, whether it takes more than one value over the rows (a term absent from a row is 0
 * there). A constant term would make the Newton system singular: callers leave it out, weight 0.
 * Cost: at most one pass, O(nonzeros); it stops as soon as every term has shown two values
 * (after a few thousand rows, typically).
 */
export function varyingTerms(d: SparseRows): boolean[] {
  const count = new Float64Array(d.k);
  const min = new Float64Array(d.k).fill(Infinity);
  const max = new Float64Array(d.k).fill(-Infinity);
  const idx = new Int32Array(d.k);
  const val = new Float64Array(d.k);
  // over rows [0, rows): present values, plus 0 when the term was absent from some row
  const varies = (t: number, rows: number) => (count[t] < rows ? Math.min(min[t], 0) < Math.max(max[t], 0) : min[t] < max[t]);
  const all = (rows: number) => Array.from({ length: d.k }, (_, t) => varies(t, rows));
  for (let i = 0; i < d.n; i++) {
    const m = d.row(i, idx, val);
    for (let a = 0; a < m; a++) {
      const t = idx[a];
      count[t]++;
      if (val[a] < min[t]) min[t] = val[a];
      if (val[a] > max[t]) max[t] = val[a];
    }
    if ((i & 4095) === 4095 && all(i + 1).every(Boolean)) return all(i + 1);
  }
  return all(d.n);
}

/** The design restricted to the terms with `keep[t]`, renumbered in order; `d` itself when all are kept. */
export function selectTerms(d: SparseRows, keep: readonly boolean[]): SparseRows {
  if (keep.every(Boolean)) return d;
  const map = new Int32Array(d.k);
  let k = 0;
  keep.forEach((kept, t) => (map[t] = kept ? k++ : -1));
  const tIdx = new Int32Array(d.k);
  const tVal = new Float64Array(d.k);
  return {
    n: d.n,
    k,
    row(i, idx, val) {
      const m = d.row(i, tIdx, tVal);
      let c = 0;
      for (let a = 0; a < m; a++) {
        const t = map[tIdx[a]];
        if (t >= 0) {
          idx[c] = t;
          val[c++] = tVal[a];
        }
      }
      return c;
    },
  };
}

/** Solve H·x = g for a symmetric positive-definite H (Cholesky); null when H is not positive definite. */
export function choleskySolve(h: ArrayLike<number>, g: ArrayLike<number>, k: number): number[] | null {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * k + j];
      for (let m = 0; m < j; m++) s -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        if (!(s > 1e-300)) return null;
        L[i * k + i] = Math.sqrt(s);
      } else {
        L[i * k + j] = s / L[j * k + j];
      }
    }
  }
  const y = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    let s = g[i];
    for (let m = 0; m < i; m++) s -= L[i * k + m] * y[m];
    y[i] = s / L[i * k + i];
  }
  const x = new Array<number>(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let m = i + 1; m < k; m++) s -= L[m * k + i] * x[m];
    x[i] = s / L[i * k + i];
  }
  return x;
}

const maxAbs = (v: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
};

/** Fit on the design `d` with labels `y` (0/1 per row). Throws AppError("unprocessable:training") on a singular system or divergence. */
export function fitLogisticNewton(d: SparseRows, y: ArrayLike<number>, opts: NewtonOptions): NewtonFit {
  const k = d.k + 1;
  const chunkRows = opts.chunkRows ?? 65_536;
  let w = new Array<number>(k).fill(0);
  let cur = logLossPass(d, y, w, chunkRows);
  let iterations = 0;
  while (maxAbs(cur.gradient) >= opts.tolerance && iterations < opts.maxIterations) {
    const delta = choleskySolve(cur.hessian, cur.gradient, k);
    if (!delta) {
      throw new AppError(
        "unprocessable:training",
        "Training failed: the features are collinear or constant on the training data (the Newton system is singular).",
      );
    }
    iterations++;
    let step = 1;
    let next: LogLossPass | null = null;
    for (let halvings = 0; halvings < 30; halvings++, step /= 2) {
      const candidate = w.map((wi, i) => wi - step * delta[i]);
      const trial = logLossPass(d, y, candidate, chunkRows);
      if (Number.isFinite(trial.loss) && trial.loss <= cur.loss + 1e-12) {
        w = candidate;
        next = trial;
        break;
      }
    }
    if (!next) break; // no step lowers the loss: at the optimum to machine precision
    cur = next;
  }
  if (!w.every(Number.isFinite)) {
    throw new AppError("unprocessable:training", "Training diverged (non-finite weights); check the training data for extreme values.");
  }
  const gradientMax = maxAbs(cur.gradient);
  return { weights: w, iterations, converged: gradientMax < opts.tolerance, logLoss: cur.loss, gradientMax, gradient: Array.from(cur.gradient), hessian: Array.from(cur.hessian) };
}
