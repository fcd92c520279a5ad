//! Designs of parameter sweeps: turning parameter specs into design points.
//!
//! A [`Factor`] is a named parameter with a [`Spec`] of how it varies; a [`Design`] says which
//! points to run. [`generate`] returns the points (rows) in natural units, one column per factor,
//! and [`unit_points`] the same points in the unit hypercube, which is where the estimators of
//! [`super::sensitivity`] work.
//!
//! # Grid designs
//!
//! * **Factorial**: the cartesian product of each factor's [`levels`], the first factor varying
//!   slowest (odometer order).
//! * **Zip**: the i-th levels of all factors together; all factors need the same number of levels.
//!
//! Levels: `Values` as given; `Uniform` with `steps = s`: `low + (high − low)·i/(s − 1)`;
//! `LogUniform`: `low·(high/low)^(i/(s − 1))` (geometric spacing), i = 0 … s − 1. `Normal` has no
//! levels.
//!
//! # Sampling designs
//!
//! A point u in the unit cube is mapped factor by factor with the inverse CDF [`from_unit`]:
//! `Uniform`: `(1 − u)·low + u·high`; `LogUniform`: `exp(ln low + u·(ln high − ln low))`;
//! `Normal`: `mean + sd·Φ⁻¹(u)`; `Values(v)` (n values): `v[⌊u·n⌋]`, i.e. each value takes an
//! equal share of the quantiles. Φ⁻¹ is Acklam's rational approximation (P. J. Acklam, "An
//! algorithm for computing the inverse normal cumulative distribution function", 2003): a
//! rational function of q = p − ½ on 0.02425 ≤ p ≤ 0.97575 and of q = √(−2 ln p) (or of 1 − p)
//! in the tails, relative error below 1.15·10⁻⁹; see [`normal_quantile`].
//!
//! * **Random**: independent uniforms (simple Monte Carlo).
//! * **Latin hypercube** (McKay, Beckman & Conover 1979, *Technometrics* 21, 239–245): with N
//!   samples, column j is `u_ij = (π_j(i) + U_ij)/N`, π_j an independent random permutation of
//!   0 … N − 1 and U_ij ~ U(0, 1), so every column has exactly one point in each stratum
//!   [m/N, (m + 1)/N).
//! * **Sobol** (Saltelli 2002, *Comput. Phys. Commun.* 145, 280–297; Saltelli et al. 2010,
//!   *Comput. Phys. Commun.* 181, 259–270): N base samples give N·(k + 2) points, in the order A
//!   (N rows), B (N rows), AB_1 … AB_k (N rows each), where AB_i is A with column i taken from B.
//!   A and B are the first k and the last k columns of the first N points of a *2k-dimensional*
//!   Sobol' sequence (Sobol' 1967, *USSR Comput. Math. Math. Phys.* 7(4), 86–112), as Saltelli
//!   (2002, 2010) recommends, so A and B are two halves of one low-discrepancy point set rather
//!   than two correlated copies. The sequence is built with Bratley & Fox's recurrence (1988, *ACM
//!   TOMS* 14, 88–100) from Joe & Kuo's direction numbers (2008, *SIAM J. Sci. Comput.* 30,
//!   2635–2654, file `new-joe-kuo-6.21201`, dimensions 2–40; dimension 1 is van der Corput),
//!   32 bits, points in natural (not Gray-code) order, which for N a power of two is the same set.
//!   It is randomised by Matoušek's random linear matrix scrambling plus a random digital shift
//!   (Matoušek 1998, *J. Complexity* 14, 527–556): per dimension, the 32 binary digits are
//!   multiplied by a random lower-triangular binary matrix with unit diagonal and XOR-ed with a
//!   random 32-bit shift; this keeps the (t, m, s)-net properties (every N = 2^m prefix has one
//!   point in each stratum of width 1/N in every column) and makes the points, and so the
//!   estimates, unbiased and different for each seed. Each coordinate is then
//!   `(y + ½)/2³²`, strictly inside (0, 1). Powers of two for N keep the balance properties.
//!   The table covers 40 dimensions, i.e. k ≤ [`SOBOL_MAX_FACTORS`] = 20; **with more factors A
//!   and B are two independent Latin hypercubes** (the 2k columns of one Latin hypercube), which
//!   is still a valid Saltelli design, only without the quasi-random convergence.
//! * **Morris** elementary effects (Morris 1991, *Technometrics* 33, 161–174; construction as
//!   in Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §3.3): each of the r
//!   trajectories has k + 1 points on the grid {0, 1/(p − 1), …, 1} of p (even) levels, with
//!   Δ = p/(2(p − 1)), i.e. p/2 grid steps. Morris's B* = (x* + (Δ/2)[(2B − J)D* + J])P* with a
//!   random base x* ∈ {0, …, 1 − Δ}, random directions D* = diag(±1) and a random factor order
//!   P* is equivalent to: draw each factor's start level uniformly from all p levels, then move
//!   the factors one at a time, in a random order, by +Δ if the start is below ½ and by −Δ
//!   otherwise, which always stays inside [0, 1] (and gives every level the same probability).
//!   No trajectory selection (Campolongo et al. 2007) is done. Unit points map to values with
//!   [`from_unit`] for `Uniform` / `LogUniform` (so levels 0 and 1 are `low` and `high`); for
//!   `Values` and `Normal` grid level j is mapped at the centre of its quantile cell,
//!   `from_unit((j + ½)/p)`, which picks `Values` by quantile symmetrically and keeps `Normal`
//!   finite. [`unit_points`] returns the grid values j/(p − 1) in both cases.
//!
//! `integer` factors are rounded to whole numbers (half away from zero) after mapping. (For an
//! integer uniform factor, `low − ½` and `high + ½` give every whole number the same weight.)
//!
//! # Randomness
//!
//! All draws come from [`crate::rng`] streams of the key `StreamKey::new(seed, 0,
//! Purpose::Policy)` (year 0 is never a simulated year), with the counter `tag·2⁴⁸ + index`:
//! tag 1 = Random (index = row; a row's values do not depend on the number of samples),
//! tag 2 = Latin hypercube (index = column: its permutation, then its jitters), tag 3 = Sobol'
//! scrambling (index = dimension: 32 matrix rows, then the shift), tag 4 = Morris (index =
//! trajectory: k start levels, then the factor order), tag 5 = the Latin-hypercube fallback of
//! the Sobol design (index = column); [`super::sensitivity`] uses tag 16 for its bootstrap.
//! Everything is a pure function of the seed.

use crate::rng::{Draws, Purpose, StreamKey};

/// How one parameter varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// Explicit levels (factorial/zip use them as given; sampling designs pick among them by
    /// quantile).
    Values(Vec<f64>),
    /// Uniform on [low, high]; `steps` evenly spaced levels for factorial/zip designs (≥ 2).
    Uniform { low: f64, high: f64, steps: Option<u32> },
    /// Log-uniform on [low, high] (low > 0); `steps` geometrically spaced levels for
    /// factorial/zip designs (≥ 2).
    LogUniform { low: f64, high: f64, steps: Option<u32> },
    /// Normal(mean, sd) (sampling designs only; for factorial give Values or Uniform).
    Normal { mean: f64, sd: f64 },
}

/// One varied parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub name: String,
    pub spec: Spec,
    /// Round the values to whole numbers.
    pub integer: bool,
}

/// Which points to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// Cartesian product of each factor's levels (first factor varies slowest).
    Factorial,
    /// i-th levels together; all factors need the same number of levels.
    Zip,
    /// Independent uniform samples.
    Random { samples: usize },
    /// Latin hypercube samples (McKay et al. 1979).
    LatinHypercube { samples: usize },
    /// Saltelli's scheme for Sobol' indices: N base samples → N·(k + 2) points, in the order
    /// A (N rows), B (N rows), then AB_1 … AB_k (N rows each), AB_i = A with column i from B.
    Sobol { samples: usize },
    /// Morris elementary effects: `trajectories` one-at-a-time trajectories of k + 1 points on a
    /// `levels`-level grid (levels even, Δ = levels / (2(levels − 1))).
    Morris { trajectories: usize, levels: u32 },
}

/// The largest number of factors for which the Sobol design uses the scrambled Sobol' sequence
/// (Joe–Kuo direction numbers for 2k = 40 dimensions); above it A and B are Latin hypercubes.
pub const SOBOL_MAX_FACTORS: usize = JOE_KUO.len().div_ceil(2);

const TAG_RANDOM: u64 = 1;
const TAG_LHS: u64 = 2;
const TAG_SOBOL_SCRAMBLE: u64 = 3;
const TAG_MORRIS: u64 = 4;
const TAG_SOBOL_LHS: u64 = 5;

/// The design stream `tag·2⁴⁸ + index` of `seed` (see the module documentation).
pub(crate) fn design_stream(seed: u64, tag: u64, index: u64) -> Draws {
    debug_assert!(index < 1 << 48);
    StreamKey::new(seed, 0, Purpose::Policy).stream((tag << 48) | index)
}

/// Uniform on the open interval (0, 1): the midpoints of 2⁵³ equal cells.
fn open_uniform(draws: &mut Draws) -> f64 {
    ((draws.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Uniform integer in 0 … n − 1 (Lemire's multiply-shift; bias below n/2⁶⁴).
pub(crate) fn below(draws: &mut Draws, n: usize) -> usize {
    ((draws.next_u64() as u128 * n as u128) >> 64) as usize
}

/// A uniformly random permutation of 0 … n − 1 (Fisher–Yates).
fn permutation(draws: &mut Draws, n: usize) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = below(draws, i + 1);
        p.swap(i, j);
    }
    p
}

const NO_FACTORS: &str = "no factors: a design needs at least one factor";

/// Checks one spec; the message does not name the factor.
fn check_spec(spec: &Spec) -> Result<(), String> {
    let check_steps = |steps: Option<u32>| match steps {
        Some(s) if s < 2 => Err(format!("steps must be at least 2 (got {s})")),
        _ => Ok(()),
    };
    match *spec {
        Spec::Values(ref v) => {
            if v.is_empty() {
                return Err("Values needs at least one value".to_string());
            }
            if let Some(x) = v.iter().find(|x| !x.is_finite()) {
                return Err(format!("Values must be finite numbers (got {x})"));
            }
        }
        Spec::Uniform { low, high, steps } => {
            if !low.is_finite() || !high.is_finite() {
                return Err(format!("low and high must be finite (got low = {low}, high = {high})"));
            }
            if low >= high {
                return Err(format!("low ({low}) must be below high ({high})"));
            }
            check_steps(steps)?;
        }
        Spec::LogUniform { low, high, steps } => {
            if !low.is_finite() || !high.is_finite() {
                return Err(format!("low and high must be finite (got low = {low}, high = {high})"));
            }
            if low <= 0.0 {
                return Err(format!("log-uniform needs low > 0 (got low = {low})"));
            }
            if low >= high {
                return Err(format!("low ({low}) must be below high ({high})"));
            }
            check_steps(steps)?;
        }
        Spec::Normal { mean, sd } => {
            if !mean.is_finite() || !sd.is_finite() {
                return Err(format!("mean and sd must be finite (got mean = {mean}, sd = {sd})"));
            }
            if sd <= 0.0 {
                return Err(format!("sd must be positive (got sd = {sd})"));
            }
        }
    }
    Ok(())
}

/// Checks a design's own parameters.
fn check_design(design: &Design) -> Result<(), String> {
    match *design {
        Design::Factorial | Design::Zip => Ok(()),
        Design::Random { samples } | Design::LatinHypercube { samples } | Design::Sobol { samples } => {
            if samples == 0 {
                return Err(format!("{} design: samples must be at least 1", design_name(design)));
            }
            if matches!(design, Design::Sobol { .. }) && samples > u32::MAX as usize {
                return Err(format!("Sobol design: samples must be at most {} (got {samples})", u32::MAX));
            }
            Ok(())
        }
        Design::Morris { trajectories, levels } => {
            if levels < 2 || levels % 2 != 0 {
                return Err(format!("Morris design: levels must be even and at least 2 (got {levels})"));
            }
            if trajectories == 0 {
                return Err("Morris design: trajectories must be at least 1".to_string());
            }
            Ok(())
        }
    }
}

fn design_name(design: &Design) -> &'static str {
    match design {
        Design::Factorial => "factorial",
        Design::Zip => "zip",
        Design::Random { .. } => "random",
        Design::LatinHypercube { .. } => "Latin hypercube",
        Design::Sobol { .. } => "Sobol",
        Design::Morris { .. } => "Morris",
    }
}

/// The levels of one factor, for factorial and zip designs: `Values` as given, `steps` evenly
/// (`Uniform`) or geometrically (`LogUniform`) spaced levels from `low` to `high` inclusive.
/// Errors: an invalid spec (see [`generate`]), a `Uniform`/`LogUniform` without `steps`, and
/// `Normal`, which has no levels.
pub fn levels(spec: &Spec) -> Result<Vec<f64>, String> {
    check_spec(spec)?;
    let spaced = |steps: Option<u32>, kind: &str| {
        steps.ok_or_else(|| {
            format!("a {kind} spec needs `steps` (at least 2) to give levels for a factorial or zip design")
        })
    };
    match *spec {
        Spec::Values(ref v) => Ok(v.clone()),
        Spec::Uniform { steps, .. } | Spec::LogUniform { steps, .. } => {
            let kind = if matches!(spec, Spec::Uniform { .. }) { "uniform" } else { "log-uniform" };
            let s = spaced(steps, kind)?;
            Ok((0..s).map(|i| from_unit(spec, i as f64 / (s - 1) as f64)).collect())
        }
        Spec::Normal { .. } => Err("a normal spec has no levels: give Values, or Uniform or LogUniform with \
                                    steps, for a factorial or zip design"
            .to_string()),
    }
}

/// The inverse CDF of a spec: u in (0, 1) → value. `Uniform` and `LogUniform` give `low` at
/// u = 0 and `high` at u = 1; `Values(v)` gives `v[⌊u·n⌋]` (pick by quantile; NaN if empty);
/// `Normal` gives `mean + sd·Φ⁻¹(u)`. u is clamped to [0, 1] (for `Normal` to
/// [2⁻¹⁰²², 1 − 2⁻⁵³], so the value stays finite).
pub fn from_unit(spec: &Spec, u: f64) -> f64 {
    let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
    match *spec {
        Spec::Values(ref v) => {
            if v.is_empty() {
                return f64::NAN;
            }
            let n = v.len();
            v[((u * n as f64).floor() as usize).min(n - 1)]
        }
        Spec::Uniform { low, high, .. } => {
            if u >= 1.0 {
                high
            } else {
                (1.0 - u) * low + u * high
            }
        }
        Spec::LogUniform { low, high, .. } => {
            if u <= 0.0 {
                low
            } else if u >= 1.0 {
                high
            } else {
                (low.ln() + u * (high.ln() - low.ln())).exp()
            }
        }
        Spec::Normal { mean, sd } => mean + sd * normal_quantile(u),
    }
}

/// Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation (relative error
/// below 1.15·10⁻⁹). p is clamped to [2⁻¹⁰²², 1 − 2⁻⁵³].
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.38357751867269e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    const P_LOW: f64 = 0.02425;
    let p = p.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - P_LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

/// The design points: rows = points, columns = factors (in the order given), integer factors
/// rounded.
///
/// Errors, in the order checked (the exact messages; `x` stands for the factor's name, the
/// numbers for the offending values):
/// * "no factors: a design needs at least one factor"
/// * "duplicate factor name \`x\`"
/// * "random design: samples must be at least 1" (also "Latin hypercube design: …",
///   "Sobol design: …")
/// * "Morris design: levels must be even and at least 2 (got 3)"
/// * "Morris design: trajectories must be at least 1"
/// * "factor \`x\`: steps must be at least 2 (got 1)"
/// * "factor \`x\`: low (5) must be below high (1)"
/// * "factor \`x\`: log-uniform needs low > 0 (got low = 0)"
/// * "factor \`x\`: sd must be positive (got sd = 0)"
/// * "factor \`x\`: Values needs at least one value", "factor \`x\`: Values must be finite
///   numbers (got NaN)", "factor \`x\`: low and high must be finite (got low = 0, high = inf)",
///   "factor \`x\`: mean and sd must be finite (got mean = NaN, sd = 1)"
/// * factorial / zip only: "factor \`x\`: a normal spec has no levels: give Values, or Uniform or
///   LogUniform with steps, for a factorial or zip design"; "factor \`x\`: a uniform spec needs
///   \`steps\` (at least 2) to give levels for a factorial or zip design" (also "a log-uniform
///   spec"); "zip design: all factors need the same number of levels (a: 3, b: 2)";
///   "factorial design: too many points"
pub fn generate(factors: &[Factor], design: &Design, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if factors.is_empty() {
        return Err(NO_FACTORS.to_string());
    }
    for (i, f) in factors.iter().enumerate() {
        if factors[..i].iter().any(|g| g.name == f.name) {
            return Err(format!("duplicate factor name `{}`", f.name));
        }
    }
    check_design(design)?;
    for f in factors {
        check_spec(&f.spec).map_err(|e| format!("factor `{}`: {e}", f.name))?;
    }
    let k = factors.len();
    let mut rows = match *design {
        Design::Factorial | Design::Zip => {
            let mut all = Vec::with_capacity(k);
            for f in factors {
                all.push(levels(&f.spec).map_err(|e| format!("factor `{}`: {e}", f.name))?);
            }
            if *design == Design::Factorial { factorial(&all)? } else { zip(factors, &all)? }
        }
        Design::Morris { trajectories, levels } => {
            let p = levels;
            morris_grid(k, trajectories, p, seed)
                .into_iter()
                .map(|row| {
                    row.iter()
                        .zip(factors)
                        .map(|(&j, f)| match f.spec {
                            Spec::Uniform { .. } | Spec::LogUniform { .. } => {
                                from_unit(&f.spec, j as f64 / (p - 1) as f64)
                            }
                            Spec::Values(_) | Spec::Normal { .. } => from_unit(&f.spec, (j as f64 + 0.5) / p as f64),
                        })
                        .collect()
                })
                .collect()
        }
        Design::Random { .. } | Design::LatinHypercube { .. } | Design::Sobol { .. } => unit_points(k, design, seed)?
            .into_iter()
            .map(|row| row.iter().zip(factors).map(|(&u, f)| from_unit(&f.spec, u)).collect())
            .collect(),
    };
    for row in &mut rows {
        for (x, f) in row.iter_mut().zip(factors) {
            if f.integer {
                *x = x.round();
            }
        }
    }
    Ok(rows)
}

fn factorial(all: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    let total =
        all.iter().try_fold(1usize, |acc, l| acc.checked_mul(l.len())).ok_or("factorial design: too many points")?;
    let mut rows = Vec::with_capacity(total);
    let mut idx = vec![0usize; all.len()];
    for _ in 0..total {
        rows.push(idx.iter().zip(all).map(|(&i, l)| l[i]).collect());
        // Odometer: the last factor varies fastest.
        for c in (0..all.len()).rev() {
            idx[c] += 1;
            if idx[c] < all[c].len() {
                break;
            }
            idx[c] = 0;
        }
    }
    Ok(rows)
}

fn zip(factors: &[Factor], all: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    let n = all[0].len();
    if all.iter().any(|l| l.len() != n) {
        let counts: Vec<String> = factors.iter().zip(all).map(|(f, l)| format!("{}: {}", f.name, l.len())).collect();
        return Err(format!("zip design: all factors need the same number of levels ({})", counts.join(", ")));
    }
    Ok((0..n).map(|i| all.iter().map(|l| l[i]).collect()).collect())
}

/// The design points in the unit hypercube (k columns), for the sampling designs: Random,
/// Latin hypercube, Sobol (Saltelli order A, B, AB_1 … AB_k) and Morris (grid values
/// j/(levels − 1)); the rows of [`generate`] are these points mapped factor by factor (Morris:
/// see the module documentation). Factorial and zip designs have no unit points (an error).
pub fn unit_points(k: usize, design: &Design, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if k == 0 {
        return Err(NO_FACTORS.to_string());
    }
    check_design(design)?;
    Ok(match *design {
        Design::Factorial | Design::Zip => {
            return Err(format!(
                "{} design: unit points are defined for the sampling designs only (random, Latin hypercube, \
                 Sobol, Morris)",
                design_name(design)
            ));
        }
        Design::Random { samples } => (0..samples)
            .map(|i| {
                let mut d = design_stream(seed, TAG_RANDOM, i as u64);
                (0..k).map(|_| open_uniform(&mut d)).collect()
            })
            .collect(),
        Design::LatinHypercube { samples } => latin_hypercube(k, samples, seed, TAG_LHS),
        Design::Sobol { samples } => saltelli(k, samples, seed),
        Design::Morris { trajectories, levels } => morris_grid(k, trajectories, levels, seed)
            .into_iter()
            .map(|row| row.into_iter().map(|j| j as f64 / (levels - 1) as f64).collect())
            .collect(),
    })
}

/// `n` Latin-hypercube points in `k` dimensions; column j uses the stream (tag, j).
fn latin_hypercube(k: usize, n: usize, seed: u64, tag: u64) -> Vec<Vec<f64>> {
    let mut rows = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut d = design_stream(seed, tag, j as u64);
        let perm = permutation(&mut d, n);
        for (i, row) in rows.iter_mut().enumerate() {
            row[j] = (perm[i] as f64 + open_uniform(&mut d)) / n as f64;
        }
    }
    rows
}

/// Saltelli's A, B, AB_1 … AB_k from a 2k-dimensional base (scrambled Sobol' or, above
/// [`SOBOL_MAX_FACTORS`], a Latin hypercube).
fn saltelli(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let base = if k <= SOBOL_MAX_FACTORS {
        scrambled_sobol(2 * k, n, seed)
    } else {
        latin_hypercube(2 * k, n, seed, TAG_SOBOL_LHS)
    };
    let mut rows = Vec::with_capacity(n * (k + 2));
    rows.extend(base.iter().map(|r| r[..k].to_vec()));
    rows.extend(base.iter().map(|r| r[k..].to_vec()));
    for i in 0..k {
        rows.extend(base.iter().map(|r| {
            let mut ab = r[..k].to_vec();
            ab[i] = r[k + i];
            ab
        }));
    }
    rows
}

/// Joe & Kuo (2008), `new-joe-kuo-6.21201`, dimensions 2–40: (s, a, m_1 … m_s), s the degree
/// of the primitive polynomial, a its inner coefficients (most significant = x^(s−1)), m_i the
/// initial direction integers.
const JOE_KUO: [(u32, u32, &[u32]); 39] = [
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (7, 42, &[1, 3, 7, 3, 13, 59, 17]),
    (7, 50, &[1, 3, 1, 3, 5, 53, 69]),
    (7, 55, &[1, 1, 5, 5, 23, 33, 13]),
    (7, 56, &[1, 1, 7, 7, 1, 61, 123]),
    (7, 59, &[1, 1, 7, 9, 13, 61, 49]),
    (7, 62, &[1, 3, 3, 5, 3, 55, 33]),
    (8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]),
];

/// The 32 direction numbers of Sobol' dimension `dim` (0-based; 0 is van der Corput), by the
/// recurrence of Bratley & Fox as Joe & Kuo state it.
fn directions(dim: usize) -> [u32; 32] {
    let mut v = [0u32; 32];
    if dim == 0 {
        for (j, x) in v.iter_mut().enumerate() {
            *x = 1 << (31 - j);
        }
        return v;
    }
    let (s, a, m) = JOE_KUO[dim - 1];
    let s = s as usize;
    for j in 0..32 {
        v[j] = if j < s {
            m[j] << (31 - j)
        } else {
            let mut x = v[j - s] ^ (v[j - s] >> s);
            for l in 1..s {
                if (a >> (s - 1 - l)) & 1 == 1 {
                    x ^= v[j - l];
                }
            }
            x
        };
    }
    v
}

/// Point `i` (natural order) of one unscrambled Sobol' coordinate, as 32 binary digits.
fn sobol_digits(v: &[u32; 32], i: u32) -> u32 {
    let mut x = 0;
    let mut i = i;
    let mut j = 0;
    while i != 0 {
        if i & 1 == 1 {
            x ^= v[j];
        }
        i >>= 1;
        j += 1;
    }
    x
}

/// Matoušek's linear matrix scrambling with a digital shift, for one dimension.
struct Scramble {
    /// Row j (output digit j, bit 31 − j): random bits on the more significant digits, 1 on
    /// digit j.
    rows: [u32; 32],
    shift: u32,
}

impl Scramble {
    fn new(draws: &mut Draws) -> Self {
        let mut rows = [0u32; 32];
        for (j, row) in rows.iter_mut().enumerate() {
            let above = if j == 0 { 0 } else { u32::MAX << (32 - j) };
            *row = (draws.next_u64() as u32 & above) | (1 << (31 - j));
        }
        Scramble { rows, shift: draws.next_u64() as u32 }
    }

    fn apply(&self, x: u32) -> u32 {
        let mut y = 0;
        for (j, row) in self.rows.iter().enumerate() {
            y |= ((row & x).count_ones() & 1) << (31 - j);
        }
        y ^ self.shift
    }
}

/// The first `n` points of the `dims`-dimensional scrambled Sobol' sequence.
fn scrambled_sobol(dims: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    debug_assert!(dims <= JOE_KUO.len() + 1);
    let mut rows = vec![vec![0.0; dims]; n];
    for d in 0..dims {
        let v = directions(d);
        let scramble = Scramble::new(&mut design_stream(seed, TAG_SOBOL_SCRAMBLE, d as u64));
        for (i, row) in rows.iter_mut().enumerate() {
            let y = scramble.apply(sobol_digits(&v, i as u32));
            row[d] = (y as f64 + 0.5) / 4_294_967_296.0;
        }
    }
    rows
}

/// Morris trajectories as grid level indices 0 … levels − 1 (see the module documentation).
fn morris_grid(k: usize, trajectories: usize, levels: u32, seed: u64) -> Vec<Vec<u32>> {
    let half = levels / 2;
    let mut rows = Vec::with_capacity(trajectories * (k + 1));
    for t in 0..trajectories {
        let mut d = design_stream(seed, TAG_MORRIS, t as u64);
        let mut x: Vec<u32> = (0..k).map(|_| below(&mut d, levels as usize) as u32).collect();
        let order = permutation(&mut d, k);
        rows.push(x.clone());
        for i in order {
            x[i] = if x[i] < half { x[i] + half } else { x[i] - half };
            rows.push(x.clone());
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniform(name: &str, low: f64, high: f64, steps: Option<u32>) -> Factor {
        Factor { name: name.to_string(), spec: Spec::Uniform { low, high, steps }, integer: false }
    }

    fn values(name: &str, v: &[f64]) -> Factor {
        Factor { name: name.to_string(), spec: Spec::Values(v.to_vec()), integer: false }
    }

    fn sampling_designs() -> Vec<Design> {
        vec![
            Design::Random { samples: 16 },
            Design::LatinHypercube { samples: 16 },
            Design::Sobol { samples: 16 },
            Design::Morris { trajectories: 4, levels: 4 },
        ]
    }

    #[test]
    fn factorial_is_the_cartesian_product_with_the_first_factor_slowest() {
        let f = [values("a", &[1.0, 2.0]), uniform("b", 0.0, 1.0, Some(3))];
        let rows = generate(&f, &Design::Factorial, 1).unwrap();
        let expected: Vec<Vec<f64>> =
            vec![vec![1.0, 0.0], vec![1.0, 0.5], vec![1.0, 1.0], vec![2.0, 0.0], vec![2.0, 0.5], vec![2.0, 1.0]];
        assert_eq!(rows, expected);
    }

    #[test]
    fn zip_takes_the_ith_levels_together() {
        let f = [values("a", &[1.0, 2.0, 3.0]), uniform("b", 10.0, 30.0, Some(3))];
        let rows = generate(&f, &Design::Zip, 1).unwrap();
        assert_eq!(rows, vec![vec![1.0, 10.0], vec![2.0, 20.0], vec![3.0, 30.0]]);
    }

    #[test]
    fn levels_are_evenly_or_geometrically_spaced_with_exact_endpoints() {
        let l = levels(&Spec::Uniform { low: -1.0, high: 1.0, steps: Some(5) }).unwrap();
        assert_eq!(l, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        let l = levels(&Spec::LogUniform { low: 1.0, high: 1000.0, steps: Some(4) }).unwrap();
        assert_eq!(l.len(), 4);
        assert_eq!((l[0], l[3]), (1.0, 1000.0));
        assert!((l[1] - 10.0).abs() < 1e-9 && (l[2] - 100.0).abs() < 1e-9, "{l:?}");
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_in_every_column() {
        for n in [1, 7, 64, 100] {
            let pts = unit_points(5, &Design::LatinHypercube { samples: n }, 42).unwrap();
            assert_eq!(pts.len(), n);
            for j in 0..5 {
                let mut seen = vec![false; n];
                for row in &pts {
                    assert!(row[j] > 0.0 && row[j] < 1.0);
                    let s = (row[j] * n as f64).floor() as usize;
                    assert!(!seen[s], "column {j}: stratum {s} twice (n = {n})");
                    seen[s] = true;
                }
            }
        }
    }

    #[test]
    fn sampling_designs_are_deterministic_for_a_seed_and_differ_across_seeds() {
        let f = [uniform("a", 0.0, 1.0, None), uniform("b", 5.0, 6.0, None), values("c", &[1.0, 2.0, 3.0, 4.0])];
        for design in sampling_designs() {
            let a = generate(&f, &design, 7).unwrap();
            let b = generate(&f, &design, 7).unwrap();
            let c = generate(&f, &design, 8).unwrap();
            assert_eq!(a, b, "{design:?}");
            assert_ne!(a, c, "{design:?}");
            assert_eq!(unit_points(3, &design, 7).unwrap(), unit_points(3, &design, 7).unwrap());
            assert_ne!(unit_points(3, &design, 7).unwrap(), unit_points(3, &design, 8).unwrap());
            for row in &a {
                assert_eq!(row.len(), 3);
                assert!((0.0..=1.0).contains(&row[0]) && (5.0..=6.0).contains(&row[1]), "{design:?}: {row:?}");
                assert!([1.0, 2.0, 3.0, 4.0].contains(&row[2]));
            }
        }
    }

    #[test]
    fn random_and_latin_hypercube_have_the_right_sizes_and_spread() {
        let pts = unit_points(2, &Design::Random { samples: 4000 }, 3).unwrap();
        assert_eq!(pts.len(), 4000);
        let mean: f64 = pts.iter().map(|r| r[1]).sum::<f64>() / 4000.0;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
        // Random rows do not depend on the number of samples.
        let fewer = unit_points(2, &Design::Random { samples: 10 }, 3).unwrap();
        assert_eq!(fewer[..], pts[..10]);
    }

    #[test]
    fn sobol_design_is_in_saltelli_order() {
        let (k, n) = (3, 8);
        let pts = unit_points(k, &Design::Sobol { samples: n }, 11).unwrap();
        assert_eq!(pts.len(), n * (k + 2));
        let (a, b) = (&pts[..n], &pts[n..2 * n]);
        for i in 0..k {
            for j in 0..n {
                let ab = &pts[(2 + i) * n + j];
                for c in 0..k {
                    assert_eq!(ab[c], if c == i { b[j][c] } else { a[j][c] });
                }
            }
        }
        // A and B are different columns of one sequence.
        assert!(a.iter().zip(b).all(|(x, y)| x.iter().zip(y).all(|(p, q)| p != q)));
    }

    #[test]
    fn sobol_base_columns_are_stratified_like_a_net() {
        // Every column of A and B: one point per stratum of width 1/N for N = 2^m.
        for k in [1, 5, SOBOL_MAX_FACTORS] {
            let n = 64;
            let pts = unit_points(k, &Design::Sobol { samples: n }, 5).unwrap();
            for block in [&pts[..n], &pts[n..2 * n]] {
                for j in 0..k {
                    let mut seen = vec![false; n];
                    for row in block {
                        let s = (row[j] * n as f64).floor() as usize;
                        assert!(!seen[s], "k = {k}, column {j}: stratum {s} twice");
                        seen[s] = true;
                    }
                }
            }
        }
        // Above the table: Latin hypercubes, also stratified, still in Saltelli order.
        let k = SOBOL_MAX_FACTORS + 1;
        let pts = unit_points(k, &Design::Sobol { samples: 10 }, 5).unwrap();
        assert_eq!(pts.len(), 10 * (k + 2));
    }

    #[test]
    fn sobol_sequence_matches_the_reference_points_and_the_table_is_sound() {
        // Unscrambled, natural order; scipy's `Sobol(3, scramble=False)` gives the same points in
        // Gray-code order 0, 1, 3, 2, 6, 7, 5, 4: (0,0,0), (½,½,½), (¾,¼,¼), (¼,¾,¾), (⅜,⅜,⅝), …
        let (v0, v1, v2) = (directions(0), directions(1), directions(2));
        let pt = |i: u32| [v0, v1, v2].map(|v| sobol_digits(&v, i) as f64 / 4_294_967_296.0);
        assert_eq!(pt(0), [0.0, 0.0, 0.0]);
        assert_eq!(pt(1), [0.5, 0.5, 0.5]);
        assert_eq!(pt(2), [0.25, 0.75, 0.75]);
        assert_eq!(pt(3), [0.75, 0.25, 0.25]);
        assert_eq!(pt(4), [0.125, 0.625, 0.375]);
        assert_eq!(pt(6), [0.375, 0.375, 0.625]);
        assert_eq!(pt(7), [0.875, 0.875, 0.125]);
        // Every polynomial is primitive (x has order 2^s − 1 modulo it), degrees do not decrease,
        // every m_i is odd and below 2^i.
        let mut last = (0, 0);
        for &(s, a, m) in JOE_KUO.iter() {
            assert_eq!(m.len(), s as usize);
            assert!((s, a) > last);
            last = (s, a);
            for (i, &mi) in m.iter().enumerate() {
                assert!(mi % 2 == 1 && mi < 1 << (i + 1), "s = {s}, a = {a}: m = {m:?}");
            }
            let poly = (1u32 << s) | (a << 1) | 1;
            let (mut x, mut order) = (1u32, 0u32);
            loop {
                x <<= 1;
                if x & (1 << s) != 0 {
                    x ^= poly;
                }
                order += 1;
                if x == 1 {
                    break;
                }
                assert!(order < 1 << s);
            }
            assert_eq!(order, (1 << s) - 1, "s = {s}, a = {a} is not primitive");
        }
        // Every unscrambled dimension: the first 2^m points fill the 2^m strata exactly once.
        for d in 0..=JOE_KUO.len() {
            let v = directions(d);
            let mut seen = [false; 256];
            for i in 0..256u32 {
                let s = (sobol_digits(&v, i) >> 24) as usize;
                assert!(!seen[s]);
                seen[s] = true;
            }
        }
    }

    #[test]
    fn morris_trajectories_move_one_factor_by_delta_inside_the_cube() {
        let (k, r, p) = (4, 20, 6);
        let pts = unit_points(k, &Design::Morris { trajectories: r, levels: p }, 9).unwrap();
        assert_eq!(pts.len(), r * (k + 1));
        let delta = p as f64 / (2.0 * (p - 1) as f64);
        for t in 0..r {
            let traj = &pts[t * (k + 1)..(t + 1) * (k + 1)];
            let mut moved = vec![false; k];
            for w in traj.windows(2) {
                let changed: Vec<usize> = (0..k).filter(|&i| w[0][i] != w[1][i]).collect();
                assert_eq!(changed.len(), 1);
                let i = changed[0];
                assert!(!moved[i]);
                moved[i] = true;
                assert!(((w[1][i] - w[0][i]).abs() - delta).abs() < 1e-12);
            }
            for x in traj.iter().flatten() {
                assert!((0.0..=1.0).contains(x));
                let j = x * (p - 1) as f64;
                assert!((j - j.round()).abs() < 1e-12, "{x} is not on the grid");
            }
        }
        // Morris values: uniform on the grid from low to high, values by quantile.
        let f = [uniform("a", 10.0, 20.0, None), values("b", &[1.0, 2.0])];
        let rows = generate(&f, &Design::Morris { trajectories: 10, levels: 4 }, 3).unwrap();
        for row in rows {
            assert!([10.0, 10.0 + 10.0 / 3.0, 10.0 + 20.0 / 3.0, 20.0].iter().any(|g| (g - row[0]).abs() < 1e-9));
            assert!(row[1] == 1.0 || row[1] == 2.0);
        }
    }

    #[test]
    fn integer_factors_are_rounded() {
        let mut f = uniform("n", 0.5, 9.5, Some(4));
        f.integer = true;
        let rows = generate(std::slice::from_ref(&f), &Design::Factorial, 1).unwrap();
        assert_eq!(rows, vec![vec![1.0], vec![4.0], vec![7.0], vec![10.0]]);
        for design in sampling_designs() {
            for row in generate(std::slice::from_ref(&f), &design, 2).unwrap() {
                assert_eq!(row[0], row[0].round(), "{design:?}");
                assert!((0.0..=10.0).contains(&row[0]));
            }
        }
        // Not rounded when not integer.
        f.integer = false;
        let rows = generate(&[f], &Design::Random { samples: 5 }, 2).unwrap();
        assert!(rows.iter().any(|r| r[0] != r[0].round()));
    }

    #[test]
    fn from_unit_inverts_each_spec() {
        let u = Spec::Uniform { low: 2.0, high: 6.0, steps: None };
        assert_eq!((from_unit(&u, 0.0), from_unit(&u, 0.5), from_unit(&u, 1.0)), (2.0, 4.0, 6.0));
        let l = Spec::LogUniform { low: 0.01, high: 100.0, steps: None };
        assert_eq!((from_unit(&l, 0.0), from_unit(&l, 1.0)), (0.01, 100.0));
        assert!((from_unit(&l, 0.5) - 1.0).abs() < 1e-12, "geometric midpoint");
        let l = Spec::LogUniform { low: 2.0, high: 8.0, steps: None };
        assert!((from_unit(&l, 0.5) - 4.0).abs() < 1e-12);
        let n = Spec::Normal { mean: 10.0, sd: 2.0 };
        assert_eq!(from_unit(&n, 0.5), 10.0);
        assert!((from_unit(&n, 0.975) - (10.0 + 2.0 * 1.959963984540054)).abs() < 1e-8);
        assert!((from_unit(&n, 0.025) - (10.0 - 2.0 * 1.959963984540054)).abs() < 1e-8);
        assert!(from_unit(&n, 0.0).is_finite() && from_unit(&n, 1.0).is_finite());
        let v = Spec::Values(vec![1.0, 2.0, 3.0, 4.0]);
        let picked: Vec<f64> = [0.0, 0.24, 0.25, 0.6, 0.99, 1.0].iter().map(|&q| from_unit(&v, q)).collect();
        assert_eq!(picked, vec![1.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
    }

    #[test]
    fn normal_quantile_matches_reference_values() {
        // Reference values of Φ⁻¹ (Python's `statistics.NormalDist().inv_cdf`, Wichura's AS 241);
        // Acklam's worst relative error, 1.15e-9, is near the region boundary p = 0.02425.
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.9599639845400536),
            (0.841344746068543, 1.0000000000000007),
            (0.001, -3.090232306167813),
            (0.02425, -1.9729610513118845),
            (0.1, -1.2815515655446008),
            (1e-10, -6.361340902404056),
            (0.999, 3.090232306167813),
        ] {
            let x = normal_quantile(p);
            assert!((x - z).abs() <= 1.2e-9 * z.abs() + 1e-15, "Φ⁻¹({p}) = {x}, want {z}");
        }
    }

    #[test]
    fn every_error_case_has_its_documented_message() {
        let f = |spec: Spec| Factor { name: "x".to_string(), spec, integer: false };
        let err = |factors: &[Factor], design: Design| generate(factors, &design, 1).unwrap_err();
        let ok = [uniform("x", 0.0, 1.0, Some(2))];
        assert_eq!(err(&[], Design::Factorial), "no factors: a design needs at least one factor");
        assert_eq!(unit_points(0, &Design::Random { samples: 1 }, 1).unwrap_err(), NO_FACTORS);
        assert_eq!(err(&[ok[0].clone(), ok[0].clone()], Design::Factorial), "duplicate factor name `x`");
        assert_eq!(
            err(&[values("a", &[1.0, 2.0, 3.0]), values("b", &[1.0, 2.0])], Design::Zip),
            "zip design: all factors need the same number of levels (a: 3, b: 2)"
        );
        assert_eq!(
            err(&[f(Spec::Uniform { low: 0.0, high: 1.0, steps: Some(1) })], Design::Factorial),
            "factor `x`: steps must be at least 2 (got 1)"
        );
        assert_eq!(
            err(&[f(Spec::LogUniform { low: 1.0, high: 2.0, steps: Some(0) })], Design::Random { samples: 1 }),
            "factor `x`: steps must be at least 2 (got 0)"
        );
        assert_eq!(
            err(&[f(Spec::Uniform { low: 5.0, high: 1.0, steps: None })], Design::Random { samples: 1 }),
            "factor `x`: low (5) must be below high (1)"
        );
        assert_eq!(
            err(&[f(Spec::LogUniform { low: 1.0, high: 1.0, steps: None })], Design::Random { samples: 1 }),
            "factor `x`: low (1) must be below high (1)"
        );
        assert_eq!(
            err(&[f(Spec::LogUniform { low: 0.0, high: 1.0, steps: None })], Design::Random { samples: 1 }),
            "factor `x`: log-uniform needs low > 0 (got low = 0)"
        );
        assert_eq!(
            err(&[f(Spec::Normal { mean: 0.0, sd: 0.0 })], Design::Random { samples: 1 }),
            "factor `x`: sd must be positive (got sd = 0)"
        );
        assert_eq!(
            err(&[f(Spec::Normal { mean: 0.0, sd: -1.0 })], Design::LatinHypercube { samples: 1 }),
            "factor `x`: sd must be positive (got sd = -1)"
        );
        let normal_msg = "factor `x`: a normal spec has no levels: give Values, or Uniform or LogUniform with steps, \
                          for a factorial or zip design";
        assert_eq!(err(&[f(Spec::Normal { mean: 0.0, sd: 1.0 })], Design::Factorial), normal_msg);
        assert_eq!(err(&[f(Spec::Normal { mean: 0.0, sd: 1.0 })], Design::Zip), normal_msg);
        assert_eq!(
            err(&[f(Spec::Uniform { low: 0.0, high: 1.0, steps: None })], Design::Factorial),
            "factor `x`: a uniform spec needs `steps` (at least 2) to give levels for a factorial or zip design"
        );
        assert_eq!(err(&[f(Spec::Values(vec![]))], Design::Factorial), "factor `x`: Values needs at least one value");
        assert_eq!(
            err(&[f(Spec::Values(vec![1.0, f64::NAN]))], Design::Factorial),
            "factor `x`: Values must be finite numbers (got NaN)"
        );
        assert_eq!(
            err(&[f(Spec::Uniform { low: 0.0, high: f64::INFINITY, steps: None })], Design::Random { samples: 1 }),
            "factor `x`: low and high must be finite (got low = 0, high = inf)"
        );
        assert_eq!(err(&ok, Design::Random { samples: 0 }), "random design: samples must be at least 1");
        assert_eq!(
            err(&ok, Design::LatinHypercube { samples: 0 }),
            "Latin hypercube design: samples must be at least 1"
        );
        assert_eq!(err(&ok, Design::Sobol { samples: 0 }), "Sobol design: samples must be at least 1");
        for levels in [0, 1, 3, 5] {
            assert_eq!(
                err(&ok, Design::Morris { trajectories: 1, levels }),
                format!("Morris design: levels must be even and at least 2 (got {levels})")
            );
        }
        assert_eq!(
            err(&ok, Design::Morris { trajectories: 0, levels: 4 }),
            "Morris design: trajectories must be at least 1"
        );
        assert_eq!(
            unit_points(2, &Design::Factorial, 1).unwrap_err(),
            "factorial design: unit points are defined for the sampling designs only (random, Latin hypercube, \
             Sobol, Morris)"
        );
        assert!(levels(&Spec::Normal { mean: 0.0, sd: 1.0 }).is_err());
        assert_eq!(
            levels(&Spec::LogUniform { low: 1.0, high: 2.0, steps: None }).unwrap_err(),
            "a log-uniform spec needs `steps` (at least 2) to give levels for a factorial or zip design"
        );
    }
}
