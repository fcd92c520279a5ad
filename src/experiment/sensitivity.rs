//! Sensitivity analysis: Morris elementary effects and Sobol' indices from the outputs of the
//! designs of [`super::design`].
//!
//! # Morris (screening)
//!
//! Morris (1991, *Technometrics* 33, 161–174): along a trajectory, consecutive points differ in
//! one factor i by ±Δ (in the unit cube), and the elementary effect is
//! `EE_i = (y(x + Δe_i) − y(x))/Δ`, i.e. `(y_next − y_prev)/(u_next,i − u_prev,i)`, so effects
//! are per unit of the factor's normalised range and comparable across factors. Over the n
//! effects of factor i: `μ = mean EE`, `μ* = mean |EE|` (Campolongo, Cariboni & Saltelli 2007,
//! *Environ. Model. Softw.* 22, 1509–1518: μ* does not let effects of opposite sign cancel and
//! ranks factors like the total index), `σ = sample standard deviation of EE` (n − 1 in the
//! denominator), large when the effect is non-linear or interacts with other factors. An effect
//! whose two outputs are not both present and finite is skipped; n says how many were used
//! (μ, μ* are NaN when n = 0, σ when n < 2).
//!
//! # Sobol' indices (variance-based)
//!
//! With outputs in Saltelli order f_A, f_B, f_AB1 … f_ABk over N base rows (Saltelli 2002,
//! *Comput. Phys. Commun.* 145, 280–297; Saltelli et al. 2010, *Comput. Phys. Commun.* 181,
//! 259–270, Table 2):
//!
//! * first order `S_i = V_i / V`, `V_i = (1/N) Σ_j f_B(j)·(f_ABi(j) − f_A(j))` (Saltelli 2010);
//! * total `S_Ti = E_i / V`, `E_i = (1/2N) Σ_j (f_A(j) − f_ABi(j))²` (Jansen 1999, *Comput. Phys.
//!   Commun.* 117, 35–43);
//! * `V` = the variance (1/(2N) denominator) of the pooled f_A and f_B values.
//!
//! The outputs are first centred by the mean c of the pooled f_A and f_B values: E_i and V do
//! not change, and since E[f_ABi − f_A] = 0 neither does the expectation of V_i, but its
//! variance no longer grows with the square of the output's mean (c·(f_ABi − f_A) is pure
//! noise), which matters for outputs such as rates or indices that vary little around a large
//! mean. For index i only the base rows j where f_A(j), f_B(j) and f_ABi(j) are all present and
//! finite are used (N is then their number); an index with fewer than two such rows, or zero
//! variance, is NaN.
//!
//! Confidence intervals: 95 % bootstrap percentile intervals (Efron & Tibshirani 1993, ch. 13;
//! as in Archer, Saltelli & Sobol' 1997, *J. Stat. Comput. Simul.* 58, 99–120): each of the
//! `bootstrap` resamples draws N base rows with replacement (the same draws for every factor;
//! rows with a missing output are then dropped for that factor), recomputes c, V, S_i and S_Ti,
//! and the interval runs from the 2.5 % to the 97.5 % quantile of the resampled estimates
//! (linear interpolation between order statistics). With quasi-random (Sobol') base points the
//! estimates are more accurate than this i.i.d. bootstrap assumes, so the intervals are
//! conservative. Resample b draws its rows from the stream `StreamKey::new(seed, 0,
//! Purpose::Policy).stream(16·2⁴⁸ + b)` (tag 16; [`super::design`] uses tags 1–5), so the
//! intervals are a pure function of the seed.

use super::design::{below, design_stream};

/// The stream tag of the bootstrap resamples (see the module documentation).
const TAG_BOOTSTRAP: u64 = 16;

/// The Morris measures of one factor.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisIndex {
    pub factor: String,
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect (Campolongo et al. 2007).
    pub mu_star: f64,
    /// Sample standard deviation of the elementary effects.
    pub sigma: f64,
    /// Number of elementary effects used.
    pub n: usize,
}

/// Morris measures from a Morris design. `unit_points` and `outputs` in the order
/// [`super::design::generate`] produced them (trajectory after trajectory, k + 1 points each);
/// one output per point (NaN / None for failed runs: elementary effects that involve a missing
/// output are skipped, and `n` reports how many were used). The factor of each step is the one
/// coordinate in which the two points differ; a step where not exactly one differs is skipped,
/// and so are steps past the end of either slice.
pub fn morris(
    factor_names: &[String],
    unit_points: &[Vec<f64>],
    outputs: &[Option<f64>],
    trajectories: usize,
) -> Vec<MorrisIndex> {
    let k = factor_names.len();
    let rows = unit_points.len().min(outputs.len());
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for t in 0..trajectories {
        for s in 0..k {
            let (r0, r1) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            if r1 >= rows {
                break;
            }
            let (p0, p1) = (&unit_points[r0], &unit_points[r1]);
            if p0.len() != k || p1.len() != k {
                continue;
            }
            let mut changed = (0..k).filter(|&i| p0[i] != p1[i]);
            let (Some(i), None) = (changed.next(), changed.next()) else { continue };
            let (Some(y0), Some(y1)) = (present(outputs[r0]), present(outputs[r1])) else { continue };
            effects[i].push((y1 - y0) / (p1[i] - p0[i]));
        }
    }
    factor_names
        .iter()
        .zip(effects)
        .map(|(name, ee)| {
            let n = ee.len();
            let mean = |f: &dyn Fn(f64) -> f64| ee.iter().map(|&e| f(e)).sum::<f64>() / n as f64;
            let (mu, mu_star) = if n == 0 { (f64::NAN, f64::NAN) } else { (mean(&|e| e), mean(&|e| e.abs())) };
            let sigma = if n < 2 {
                f64::NAN
            } else {
                (ee.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (n - 1) as f64).sqrt()
            };
            MorrisIndex { factor: name.clone(), mu, mu_star, sigma, n }
        })
        .collect()
}

/// The Sobol' indices of one factor, with 95 % bootstrap percentile intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndex {
    pub factor: String,
    /// First-order index (Saltelli 2010).
    pub s1: f64,
    pub s1_low: f64,
    pub s1_high: f64,
    /// Total index (Jansen 1999).
    pub st: f64,
    pub st_low: f64,
    pub st_high: f64,
}

/// Sobol' indices from a Sobol design. `outputs` in Saltelli order (A, B, AB_1 … AB_k, N rows
/// each, as [`super::design::generate`] produced them), `samples` = N base samples; S1 by
/// Saltelli (2010) (f_B·(f_ABi − f_A) / Var), ST by Jansen (½·mean((f_A − f_ABi)²) / Var);
/// 95 % bootstrap percentile intervals with `bootstrap` resamples of the N base rows
/// (deterministic from `seed`; NaN bounds when `bootstrap` is 0). Rows with a missing (None or
/// non-finite) output in A, B or the AB_i involved are dropped from that index's estimate.
///
/// Errors: `no factors`, `samples must be at least 1`, and
/// `expected N·(k + 2) = … outputs (N = …, k = …), got …`.
pub fn sobol(
    factor_names: &[String],
    samples: usize,
    outputs: &[Option<f64>],
    bootstrap: u32,
    seed: u64,
) -> Result<Vec<SobolIndex>, String> {
    let (k, n) = (factor_names.len(), samples);
    if k == 0 {
        return Err("no factors".to_string());
    }
    if n == 0 {
        return Err("samples must be at least 1".to_string());
    }
    let expected = n.checked_mul(k + 2).ok_or("samples too large")?;
    if outputs.len() != expected {
        return Err(format!("expected N·(k + 2) = {expected} outputs (N = {n}, k = {k}), got {}", outputs.len()));
    }
    let f: Vec<f64> = outputs.iter().map(|&y| present(y).unwrap_or(f64::NAN)).collect();
    let (fa, fb) = (&f[..n], &f[n..2 * n]);
    // The bootstrap rows, drawn once and shared by all factors.
    let resamples: Vec<Vec<usize>> = (0..bootstrap)
        .map(|b| {
            let mut d = design_stream(seed, TAG_BOOTSTRAP, b as u64);
            (0..n).map(|_| below(&mut d, n)).collect()
        })
        .collect();
    let mut indices = Vec::with_capacity(k);
    let mut rows = Vec::with_capacity(n);
    for (i, name) in factor_names.iter().enumerate() {
        let fab = &f[(2 + i) * n..(3 + i) * n];
        let valid: Vec<bool> = (0..n).map(|j| fa[j].is_finite() && fb[j].is_finite() && fab[j].is_finite()).collect();
        rows.clear();
        rows.extend((0..n).filter(|&j| valid[j]));
        let (s1, st) = estimate(fa, fb, fab, &rows);
        let (mut boot_s1, mut boot_st) = (Vec::with_capacity(resamples.len()), Vec::with_capacity(resamples.len()));
        for resample in &resamples {
            rows.clear();
            rows.extend(resample.iter().copied().filter(|&j| valid[j]));
            let (b1, bt) = estimate(fa, fb, fab, &rows);
            boot_s1.push(b1);
            boot_st.push(bt);
        }
        let (s1_low, s1_high) = percentile_interval(boot_s1);
        let (st_low, st_high) = percentile_interval(boot_st);
        indices.push(SobolIndex { factor: name.clone(), s1, s1_low, s1_high, st, st_low, st_high });
    }
    Ok(indices)
}

/// An output that is present and finite.
fn present(y: Option<f64>) -> Option<f64> {
    y.filter(|y| y.is_finite())
}

/// (S_i, S_Ti) over the given base rows (all present), centred by the pooled mean.
fn estimate(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    let m = rows.len();
    if m < 2 {
        return (f64::NAN, f64::NAN);
    }
    let c = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2 * m) as f64;
    let (mut var, mut first, mut total) = (0.0, 0.0, 0.0);
    for &j in rows {
        let (a, b, ab) = (fa[j] - c, fb[j] - c, fab[j] - c);
        var += a * a + b * b;
        first += b * (ab - a);
        total += (a - ab) * (a - ab);
    }
    let var = var / (2 * m) as f64;
    if var <= 0.0 || !var.is_finite() {
        return (f64::NAN, f64::NAN);
    }
    (first / m as f64 / var, total / (2 * m) as f64 / var)
}

/// The 2.5 % and 97.5 % quantiles of the finite estimates (NaN if there are none).
fn percentile_interval(mut estimates: Vec<f64>) -> (f64, f64) {
    estimates.retain(|x| x.is_finite());
    if estimates.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    estimates.sort_by(f64::total_cmp);
    (quantile(&estimates, 0.025), quantile(&estimates, 0.975))
}

/// Quantile of sorted values, linear interpolation between order statistics (Hyndman & Fan
/// type 7).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;
    use crate::experiment::design::{Design, Factor, Spec, generate, unit_points};

    fn names(k: usize) -> Vec<String> {
        (1..=k).map(|i| format!("x{i}")).collect()
    }

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Analytic indices of the Ishigami function (a = 7, b = 0.1; Ishigami & Homma 1990).
    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0, 0.1);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    fn ishigami_run(samples: usize, seed: u64) -> (Vec<Option<f64>>, Vec<String>) {
        let factors: Vec<Factor> = names(3)
            .into_iter()
            .map(|name| Factor { name, spec: Spec::Uniform { low: -PI, high: PI, steps: None }, integer: false })
            .collect();
        let points = generate(&factors, &Design::Sobol { samples }, seed).unwrap();
        assert_eq!(points.len(), samples * 5);
        (points.iter().map(|x| Some(ishigami(x))).collect(), names(3))
    }

    #[test]
    fn ishigami_truth_matches_the_published_values() {
        let (s1, st) = ishigami_truth();
        for (got, want) in s1.iter().chain(&st).zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437]) {
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }

    #[test]
    fn sobol_indices_of_the_ishigami_function() {
        let n = 1 << 12;
        let (outputs, names) = ishigami_run(n, 2024);
        let indices = sobol(&names, n, &outputs, 300, 1).unwrap();
        let (s1, st) = ishigami_truth();
        for (i, idx) in indices.iter().enumerate() {
            assert_eq!(idx.factor, names[i]);
            assert!((idx.s1 - s1[i]).abs() < 0.03, "S1 of {}: {} vs {}", idx.factor, idx.s1, s1[i]);
            assert!((idx.st - st[i]).abs() < 0.03, "ST of {}: {} vs {}", idx.factor, idx.st, st[i]);
            assert!(idx.s1_low <= s1[i] && s1[i] <= idx.s1_high, "S1 interval of {}: {idx:?}", idx.factor);
            assert!(idx.st_low <= st[i] && st[i] <= idx.st_high, "ST interval of {}: {idx:?}", idx.factor);
            assert!(idx.s1_low <= idx.s1 && idx.s1 <= idx.s1_high && idx.st_low <= idx.st && idx.st <= idx.st_high);
            assert!(idx.st_high - idx.st_low < 0.2, "interval too wide: {idx:?}");
        }
        // Deterministic for a seed (design and bootstrap), different bootstrap for another seed.
        assert_eq!(sobol(&names, n, &outputs, 300, 1).unwrap(), indices);
        let other = sobol(&names, n, &outputs, 300, 2).unwrap();
        assert_eq!(other[0].s1, indices[0].s1);
        assert_ne!(other[0].s1_low, indices[0].s1_low);
    }

    #[test]
    fn sobol_estimates_do_not_depend_on_the_output_location() {
        let n = 1 << 10;
        let (outputs, names) = ishigami_run(n, 7);
        let shifted: Vec<Option<f64>> = outputs.iter().map(|y| y.map(|y| y + 1e4)).collect();
        let (a, b) = (sobol(&names, n, &outputs, 50, 3).unwrap(), sobol(&names, n, &shifted, 50, 3).unwrap());
        for (x, y) in a.iter().zip(&b) {
            assert!((x.s1 - y.s1).abs() < 1e-6 && (x.st - y.st).abs() < 1e-6, "{x:?} vs {y:?}");
        }
    }

    #[test]
    fn sobol_skips_rows_with_missing_outputs() {
        let n = 1 << 11;
        let (mut outputs, names) = ishigami_run(n, 99);
        // Lose every 10th A row, every 13th B row (as None and as NaN) and all of AB_3.
        for j in (0..n).step_by(10) {
            outputs[j] = None;
        }
        for j in (0..n).step_by(13) {
            outputs[n + j] = Some(f64::NAN);
        }
        for y in &mut outputs[4 * n..5 * n] {
            *y = None;
        }
        let indices = sobol(&names, n, &outputs, 100, 5).unwrap();
        let (s1, st) = ishigami_truth();
        for i in 0..2 {
            assert!((indices[i].s1 - s1[i]).abs() < 0.05, "{:?}", indices[i]);
            assert!((indices[i].st - st[i]).abs() < 0.05, "{:?}", indices[i]);
            assert!(indices[i].s1_low.is_finite() && indices[i].st_high.is_finite());
        }
        let x3 = &indices[2];
        assert!([x3.s1, x3.s1_low, x3.s1_high, x3.st, x3.st_low, x3.st_high].iter().all(|v| v.is_nan()), "{x3:?}");
        // No bootstrap: no intervals.
        let plain = sobol(&names, n, &outputs, 0, 5).unwrap();
        assert_eq!(plain[0].s1, indices[0].s1);
        assert!(plain[0].s1_low.is_nan() && plain[0].st_high.is_nan());
    }

    #[test]
    fn sobol_rejects_bad_input() {
        let names = names(2);
        assert_eq!(
            sobol(&names, 4, &[Some(1.0); 15], 10, 1).unwrap_err(),
            "expected N·(k + 2) = 16 outputs (N = 4, k = 2), got 15"
        );
        assert_eq!(sobol(&names, 0, &[], 10, 1).unwrap_err(), "samples must be at least 1");
        assert_eq!(sobol(&[], 4, &[], 10, 1).unwrap_err(), "no factors");
        // Constant output: no variance to apportion.
        let flat = sobol(&names, 4, &[Some(1.0); 16], 10, 1).unwrap();
        assert!(flat[0].s1.is_nan() && flat[1].st.is_nan());
    }

    /// 2·x1 + x2² + 0·x3 + 4·x2·x4.
    fn morris_test_function(x: &[f64]) -> f64 {
        2.0 * x[0] + x[1] * x[1] + 0.0 * x[2] + 4.0 * x[1] * x[3]
    }

    #[test]
    fn morris_measures_of_a_known_function() {
        let (k, r) = (4, 30);
        let design = Design::Morris { trajectories: r, levels: 4 };
        let points = unit_points(k, &design, 17).unwrap();
        let outputs: Vec<Option<f64>> = points.iter().map(|x| Some(morris_test_function(x))).collect();
        let m = morris(&names(k), &points, &outputs, r);
        assert_eq!(m.len(), k);
        assert!(m.iter().all(|x| x.n == r));
        // Linear factor: every effect is exactly 2.
        assert!((m[0].mu - 2.0).abs() < 1e-12 && (m[0].mu_star - 2.0).abs() < 1e-12, "{:?}", m[0]);
        assert!(m[0].sigma.abs() < 1e-12, "{:?}", m[0]);
        // Inert factor.
        assert_eq!((m[2].mu, m[2].mu_star, m[2].sigma), (0.0, 0.0, 0.0));
        // Non-linear and interacting factors spread.
        assert!(m[1].sigma > 0.1 && m[3].sigma > 0.1, "{m:?}");
        // EE of x2 = 2·x2 + Δ + 4·x4 ≥ Δ > 0, EE of x4 = 4·x2 ≥ 0: μ = μ*.
        assert!((m[1].mu - m[1].mu_star).abs() < 1e-12 && (m[3].mu - m[3].mu_star).abs() < 1e-12);
        // Ranking by μ*: x2 (E = 2·(1/6) + 2/3 + 4·½ = 3) > x1 (2) ≈ x4 (E = 4·½ = 2) > x3 (0).
        assert!(m[1].mu_star > m[0].mu_star && m[0].mu_star > m[2].mu_star && m[3].mu_star > m[2].mu_star);
        assert!((m[1].mu_star - 3.0).abs() < 0.5, "{:?}", m[1]);
        assert!((m[3].mu_star - 2.0).abs() < 0.6, "{:?}", m[3]);
        // Sign is kept in μ, not in μ*.
        let negated: Vec<Option<f64>> = outputs.iter().map(|y| y.map(|y| -y)).collect();
        let n = morris(&names(k), &points, &negated, r);
        assert!((n[0].mu + 2.0).abs() < 1e-12 && (n[0].mu_star - 2.0).abs() < 1e-12);
    }

    #[test]
    fn morris_skips_effects_with_missing_outputs() {
        let (k, r) = (3, 5);
        let points = unit_points(k, &Design::Morris { trajectories: r, levels: 4 }, 4).unwrap();
        let mut outputs: Vec<Option<f64>> = points.iter().map(|x| Some(3.0 * x[0] - x[1])).collect();
        // Trajectory 0: the middle point fails (two effects lost); trajectory 1: the last point
        // is NaN (one effect lost).
        outputs[1] = None;
        outputs[(k + 1) + k] = Some(f64::NAN);
        let m = morris(&names(k), &points, &outputs, r);
        let factor_of_step = |t: usize, s: usize| {
            let (p0, p1) = (&points[t * (k + 1) + s], &points[t * (k + 1) + s + 1]);
            (0..k).find(|&i| p0[i] != p1[i]).unwrap()
        };
        let mut expected = vec![r; k];
        for (t, s) in [(0, 0), (0, 1), (1, k - 1)] {
            expected[factor_of_step(t, s)] -= 1;
        }
        assert_eq!(m.iter().map(|x| x.n).collect::<Vec<_>>(), expected);
        assert_eq!(m.iter().map(|x| x.n).sum::<usize>(), r * k - 3);
        // The surviving effects are still exact.
        assert!((m[0].mu - 3.0).abs() < 1e-12 && (m[1].mu + 1.0).abs() < 1e-12 && m[2].mu_star == 0.0);
        // All outputs missing: nothing to report.
        let none = morris(&names(k), &points, &vec![None; points.len()], r);
        assert!(none.iter().all(|x| x.n == 0 && x.mu.is_nan() && x.mu_star.is_nan() && x.sigma.is_nan()));
        // Outputs shorter than the design: the effects that exist are used.
        let short = morris(&names(k), &points, &outputs[..k + 1], r);
        assert_eq!(short.iter().map(|x| x.n).sum::<usize>(), k - 2);
    }
}
