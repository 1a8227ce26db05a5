import { AppError } from "../errors";

/**
 * Unpenalised logistic regression by Newton's method (= IRLS) on standardised columns with an
 * intercept: p features give a (p+1)×(p+1) system per step. The mean log-loss, its gradient
 *   g = (1/n) Σ (pᵢ − yᵢ)·[1, zᵢ]
 * and Hessian
 *   H = (1/n) Σ pᵢ(1 − pᵢ)·[1, zᵢ][1, zᵢ]ᵀ
 * are sums over rows, accumulated chunk by chunk (a map over row ranges, a reduce by adding):
 * memory stays at a few numbers per chunk whatever n is, and the same shape runs distributed.
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
  /** [intercept, w1..wp] on the standardised scale */
  weights: number[];
  iterations: number;
  converged: boolean;
  /** mean log-loss at the returned weights */
  logLoss: number;
  /** max |mean gradient| at the returned weights */
  gradientMax: number;
  /** mean Hessian at the returned weights, row-major (p+1)², for standard errors: Cov = H⁻¹ / n */
  hessian: number[];
}

/** Standardised design: z_ij = (x_ij − mean_j) / sd_j; the columns stay as given. */
export interface StandardisedColumns {
  n: number;
  x: readonly Float64Array[];
  mean: readonly number[];
  sd: readonly number[];
  y: Uint8Array;
}

interface Pass {
  loss: number;
  g: Float64Array;
  h: Float64Array;
}

/**
 * Row i of the standardised design, written into z (z[0] = 1 is the intercept's column), and
 * its linear predictor at weights w.
 */
export function standardisedRow(
  d: { x: readonly ArrayLike<number>[]; mean: readonly number[]; sd: readonly number[] },
  i: number,
  w: readonly number[],
  z: Float64Array,
): number {
  let eta = w[0];
  for (let j = 1; j < z.length; j++) {
    z[j] = (d.x[j - 1][i] - d.mean[j - 1]) / d.sd[j - 1];
    eta += w[j] * z[j];
  }
  return eta;
}

/** One pass over the rows at weights w: mean loss, gradient and Hessian, chunk by chunk. */
function accumulate(d: StandardisedColumns, w: readonly number[], chunkRows: number): Pass {
  const k = d.x.length + 1;
  const g = new Float64Array(k);
  const h = new Float64Array(k * k);
  let loss = 0;
  const z = new Float64Array(k);
  z[0] = 1;
  for (let start = 0; start < d.n; start += chunkRows) {
    // map: one chunk's partial sums
    const end = Math.min(d.n, start + chunkRows);
    const cg = new Float64Array(k);
    const ch = new Float64Array(k * k);
    let closs = 0;
    for (let i = start; i < end; i++) {
      const eta = standardisedRow(d, i, w, z);
      const y = d.y[i];
      // log(1 + e^eta) − y·eta, computed without overflow
      closs += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - y * eta;
      const p = 1 / (1 + Math.exp(-eta));
      const r = p - y;
      for (let a = 0; a < k; a++) cg[a] += r * z[a];
      const v = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const va = v * z[a];
        for (let b = a; b < k; b++) ch[a * k + b] += va * z[b];
      }
    }
    // reduce
    loss += closs;
    for (let a = 0; a < k; a++) g[a] += cg[a];
    for (let a = 0; a < k * k; a++) h[a] += ch[a];
  }
  for (let a = 0; a < k; a++) g[a] /= d.n;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      h[a * k + b] /= d.n;
      h[b * k + a] = h[a * k + b];
    }
  }
  return { loss: loss / d.n, g, h };
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

export function fitLogisticNewton(d: StandardisedColumns, opts: NewtonOptions): NewtonFit {
  const k = d.x.length + 1;
  const chunkRows = opts.chunkRows ?? 65_536;
  let w = new Array<number>(k).fill(0);
  let cur = accumulate(d, w, chunkRows);
  let iterations = 0;
  while (maxAbs(cur.g) >= opts.tolerance && iterations < opts.maxIterations) {
    const delta = choleskySolve(cur.h, cur.g, k);
    if (!delta) {
      throw new AppError(
        "unprocessable:training",
        "Training failed: the features are collinear or constant on the training data (the Newton system is singular).",
      );
    }
    iterations++;
    let step = 1;
    let next: Pass | null = null;
    for (let halvings = 0; halvings < 30; halvings++, step /= 2) {
      const candidate = w.map((wi, i) => wi - step * delta[i]);
      const trial = accumulate(d, candidate, chunkRows);
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
  const gradientMax = maxAbs(cur.g);
  return { weights: w, iterations, converged: gradientMax < opts.tolerance, logLoss: cur.loss, gradientMax, hessian: Array.from(cur.h) };
}
