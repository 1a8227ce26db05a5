import { AppError } from "../errors";

/*
 * Null distributions of the one-sample Kolmogorov–Smirnov statistics for a sample of size
 * n, as scipy computes them (scipy 1.17: scipy/stats/_ksstats.py `_kolmogn` and
 * scipy/special's cephes `smirnov`). ks-two-sample.ts needs the two-sided one,
 * `kstwo.sf(d, n)`, for its asymptotic path; to agree with scipy we follow the same
 * algorithm choice (Simard & L'Ecuyer 2011), because some branches are approximations
 * (Pelz–Good; 2·smirnov for large n·d²) and only the same choice gives the same numbers.
 *
 * References: Durbin (1968) and Marsaglia, Tsang & Wang (2003) for the matrix method;
 * Pomeranz (1974) for the recursion; Pelz & Good (1976) for the small-d expansion;
 * Birnbaum & Tingey (1951) for the one-sided exact sum; Ruben & Gambino (1982) for the
 * closed forms near the ends of the support.
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
// cephes MINLOG = log(2^-1022): below it exp() underflows to 0.
const CEPHES_MINLOG = -7.083964185322641e2;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

/** p · 2^e without intermediate overflow/underflow of 2^e. */
function ldexp(p: number, e: number): number {
  let x = p;
  let k = e;
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** Exact n·x as hi + lo (Dekker's product; JS has no fma). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const split = (v: number): [number, number] => {
    const c = 134217729 * v; // 2^27 + 1
    const big = c - (c - v);
    return [big, v - big];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const lo = ah * bh - hi + ah * bl + al * bh + al * bl;
  return [hi, lo];
}

// ---------------------------------------------------------------------------------------
// One-sided: smirnov(n, x) = P(D_n^+ >= x)

/**
 * Survival function of the one-sided one-sample Kolmogorov–Smirnov statistic,
 * P(D⁺_n >= x) with D⁺_n = sup_t (F_n(t) − F(t)) (scipy.special.smirnov(n, x)), by the
 * [Birnbaum–Tingey (1951)](https://doi.org/10.1214/aoms/1177729550) sum
 * x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (1 − x − v/n)^(n−v) (x + v/n)^(v−1).
 * All terms are positive, so summing them in double precision (each in logs) keeps a
 * relative error of about n·1e-16 (scipy sums in double-double; we agree to ~1e-12 for
 * n <= 20,000). For n > 10^6, cephes' approximation exp(−(6nx + 1)² / 18n).
 *
 * Cost: O(n(1 − x)) terms at most, usually far fewer (the sum stops once the remaining
 * terms cannot change it).
 *
 * @throws AppError `unprocessable:stats` unless n is a positive integer and 0 <= x <= 1.
 * @example
 * smirnovSf(5, 0.1); // => 0.85359 (scipy.special.smirnov(5, 0.1))
 */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || !(x >= 0 && x <= 1)) {
    throw new AppError("unprocessable:stats", `smirnov needs a positive integer n and 0 <= x <= 1, got n=${n}, x=${x}.`);
  }
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  // floor(n·x) and its remainder from the exact product, as cephes' modNX does.
  const [nxHi, nxLo] = twoProduct(n, x);
  let nxfl = Math.floor(nxHi);
  if (nxfl === nxHi && nxLo < 0) nxfl -= 1;
  let alpha = nxHi - nxfl + nxLo;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  const nx = nxHi + nxLo;

  // x <= 1/n: closed form, 1 − x (1 + x)^(n−1).
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    return clip01(1 - x * Math.exp((n - 1) * Math.log1p(x)));
  }
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  // x >= 1 − 1/n: only the v = 0 term, (1 − x)^n.
  if (nxfl >= n - 1) return clip01(Math.exp(n * Math.log1p(-x)));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    // Large-n approximation p ~ exp(−(6nx + 1)² / 18n), as cephes.
    return clip01(Math.exp(logp));
  }

  let lastV = n - nxfl - (alpha === 0 ? 0 : 1);
  if (alpha === 0) lastV -= 1;
  const nTerms = lastV + 1;
  const vmid = Math.floor(n / 2);
  let sum = 0;
  let logBinom = 0; // ln C(n, v), updated incrementally
  for (let v = 0; v < nTerms; v++) {
    if (v > 0) logBinom += Math.log((n - v + 1) / v);
    const upper = (n - v - nxHi - nxLo) / n; // 1 − x − v/n
    const lower = (v + nx) / n; // x + v/n
    let term = 0;
    if (upper > 0) {
      const logUpper = lower < 0.5 ? Math.log1p(-lower) : Math.log(upper);
      term = Math.exp(logBinom + (n - v) * logUpper + (v - 1) * Math.log(lower));
      sum += term;
    }
    // Same early exit as cephes: the remaining terms cannot change the sum.
    if (term !== 0) {
      if (4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > vmid) break;
  }
  return clip01(x * sum);
}

// ---------------------------------------------------------------------------------------
// Two-sided: kolmogn(n, x) = P(D_n <= x)

// Stirling-series coefficients B_2j / (2j (2j − 1)), j = 8 … 1.
const STIRLING_COEFFS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** ln(n! / n^n) by Stirling's series (scipy `_log_nfactorial_div_n_pow_n`). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

type Matrix = Float64Array[];

function matmul(a: Matrix, b: Matrix): Matrix {
  const m = a.length;
  const out: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let k = 0; k < m; k++) {
      const aik = ai[k];
      if (aik === 0) continue;
      const bk = b[k];
      for (let j = 0; j < m; j++) oi[j] += aik * bk[j];
    }
  }
  return out;
}

/** P(D_n <= d) by Durbin's matrix method as arranged by Marsaglia, Tsang & Wang (2003). */
function kolmognDurbinMatrix(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    v[j - 1] = 1 - h ** j;
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] *= fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;

  let H: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r][i] = w[r - (i - 1)];
  }
  for (let r = 0; r < m; r++) H[r][0] = v[r];
  for (let c = 0; c < m; c++) H[m - 1][c] = v[m - 1 - c];

  let power: Matrix = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m);
    row[i] = 1;
    return row;
  });
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, H);
      expnt += hExpnt;
    }
    H = matmul(H, H);
    hExpnt *= 2;
    if (Math.abs(H[k - 1][k - 1]) > E128) {
      for (const row of H) for (let j = 0; j < m; j++) row[j] /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }

  let p = power[k - 1][k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return clip01(p);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by the Pomeranz (1974) recursion. */
function kolmognPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!: Poisson probabilities without the e^-λ.
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinus2GOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * gOverN) / m;
    twogpower[m] = (twogpower[m - 1] * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * oneMinus2GOverN) / m;
  }

  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // Full convolution of V0[k1−V0s, +ln2) with pwrs[0, ln2), slices clipped like numpy's.
      const aStart = k1 - V0s;
      const aLen = Math.max(0, Math.min(aStart + ln2, npwrs) - aStart);
      const bLen = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let s = 0;
        const lo = Math.max(0, idx - bLen + 1);
        const hi = Math.min(idx, aLen - 1);
        for (let q = lo; q <= hi; q++) s += V0[aStart + q] * pwrs[idx - q];
        V1[c] = s;
      }
      let max = -Infinity;
      for (let c = 0; c < npwrs; c++) if (V1[c] > max) max = V1[c];
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return clip01(ans);
}

/** Pelz–Good (1976) expansion of P(D_n <= x), suited to small x·sqrt(n). */
function kolmognPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / divisors[i];

  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k ** 2;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z ** 3);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

/**
 * Survival function of the two-sided one-sample Kolmogorov–Smirnov statistic,
 * P(D_n >= d) where D_n = sup_x |F_n(x) − F(x)| for a sample of size n from a continuous F
 * ([Simard & L'Ecuyer 2011](https://doi.org/10.18637/jss.v039.i11)); equals
 * `scipy.stats.kstwo.sf(d, n)` (scipy 1.17), whose method selection it follows.
 *
 * Cost: depends on the branch — O(n) for the sums, O(m³ log n) with m ≈ 2·n·d for the
 * matrix method (used only while n·d^1.5 <= 1.4), O(n · (n·d)²) for Pomeranz (n <= 140).
 *
 * @throws AppError `unprocessable:stats` if n is not a positive integer or d is NaN.
 * @example
 * kolmogorovSmirnovSf(10, 0.3); // => 0.27053557479999946 (scipy.stats.kstwo.sf(0.3, 10))
 */
export function kolmogorovSmirnovSf(n: number, d: number): number {
  if (!(Number.isInteger(n) && n > 0)) {
    throw new AppError("unprocessable:stats", `Kolmogorov distribution needs a positive integer n, got ${n}.`);
  }
  if (Number.isNaN(d)) throw new AppError("unprocessable:stats", "Kolmogorov distribution evaluated at NaN.");
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    // Ruben–Gambino: P(D_n <= d) = n!/n^n (2t − 1)^n for 1/(2n) <= d <= 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  // For d >= 1/2 the events D+ >= d and D- >= d are disjoint.
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));

  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 0.754693) return clip01(1 - kolmognDurbinMatrix(n, d));
    if (nd2 <= 4) return clip01(1 - kolmognPomeranz(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? kolmognDurbinMatrix(n, d) : kolmognPelzGood(n, d);
  return clip01(1 - clip01(cdf));
}
