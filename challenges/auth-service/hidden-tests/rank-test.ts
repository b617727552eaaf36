/**
 * The Mann–Whitney U test (Wilcoxon rank-sum; Mann & Whitney 1947) in its normal approximation with the
 * tie correction, valid for samples of about 20 or more each. Used on response times: it compares ranks, so
 * a few stalls of the machine move it far less than they move a mean.
 */

/** U of `a` over `b`, z score and two-sided p value. */
export interface RankTest {
  u: number;
  z: number;
  p: number;
}

/** erfc by Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided Mann–Whitney U test of samples `a` and `b` (each non-empty). */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let ra = 0;
  all.forEach((x, i) => {
    if (x.g === 0) ra += ranks[i]!;
  });
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const u = ra - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sd > 0 ? (u - mean) / sd : 0;
  return { u, z, p: erfc(Math.abs(z) / Math.SQRT2) };
}

/** The median of a non-empty sample. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
