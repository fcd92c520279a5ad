//! Counter-based random streams: every draw is a pure function of
//! (replication seed, year, agent id, purpose).
//!
//! A stream is a SplitMix64 generator (Steele, Lea & Flood 2014) whose
//! state is a strong hash of the key. Nothing is shared between agents or threads, so the
//! numbers an agent draws do not depend on the processing order or the thread count, and two
//! scenarios run with the same seed give the same agent the same numbers for the same purpose
//! (common random numbers). Each mechanism has its own [`Purpose`], so adding a draw to one
//! mechanism never shifts another's numbers.

use std::convert::Infallible;

use rand_core::TryRng;

/// What a stream is used for. The discriminants are part of the stream key: never reorder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// The key of a person's yearly streams ([`YearKey`]).
    Person = 0,
    /// Drawing the initial population.
    Initial = 1,
    /// Deaths, births, naturalisation.
    Demography = 2,
    /// Language, employment.
    Integration = 3,
    /// Whether and where to move.
    Mobility = 4,
    /// Priority in the housing market and second choices.
    Housing = 5,
    /// Drawing arrivals: how many, family sizes, characteristics.
    Arrivals = 6,
    /// Characteristics of arriving persons.
    Newcomer = 7,
    /// Policy assignments (residence requirement, allocation).
    Policy = 8,
    /// Newborns.
    Birth = 9,
}

/// The bijective 64-bit finaliser of SplitMix64 / MurmurHash3.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// The key of all streams of one (seed, replication, year, purpose); combine with an agent id
/// to get that agent's stream.
#[derive(Debug, Clone, Copy)]
pub struct StreamKey(u64);

impl StreamKey {
    pub fn new(seed: u64, year: i32, purpose: Purpose) -> Self {
        let mut h = mix64(seed ^ 0x6172_7269_7661_6c21); // "arrival!"
        h = mix64(h ^ (year as i64 as u64).wrapping_mul(0xd1b5_4a32_d192_ed03));
        h = mix64(h ^ (purpose as u64).wrapping_mul(0x8cb9_2ba7_2f3d_8dd7));
        StreamKey(h)
    }

    /// The stream of one agent (or any other counter, e.g. an arrival's sequence number).
    #[inline]
    pub fn stream(self, counter: u64) -> Draws {
        Draws { x: mix64(self.0 ^ counter.wrapping_mul(GOLDEN)) }
    }
}

/// The key of every person's streams in one (seed, replication, year): one hash per person and
/// year gives all of that person's streams, one per [`Purpose`].
#[derive(Debug, Clone, Copy)]
pub struct YearKey(u64);

impl YearKey {
    pub fn new(seed: u64, year: i32) -> Self {
        // Purpose 0 is reserved for this key, so it never equals a `StreamKey`.
        YearKey(StreamKey::new(seed, year, Purpose::Person).0)
    }

    /// The streams of the person with this id.
    #[inline]
    pub fn person(self, id: u32) -> PersonYear {
        PersonYear(mix64(self.0 ^ (id as u64).wrapping_mul(GOLDEN)))
    }
}

/// One person's streams in one year.
#[derive(Debug, Clone, Copy)]
pub struct PersonYear(u64);

impl PersonYear {
    /// The stream of one purpose. The purposes' starting states differ by a large odd
    /// multiple, and every output passes the SplitMix64 finaliser, so the streams are
    /// unrelated.
    #[inline]
    pub fn stream(self, purpose: Purpose) -> Draws {
        Draws { x: self.0 ^ (purpose as u64).wrapping_mul(0x8cb9_2ba7_2f3d_8dd7) }
    }
}

/// The seed of replication `r` is `root + r`: any replication can be rerun alone with
/// `--seed` set to its seed (recorded in every output row). Seeds are hashed before use, so
/// consecutive seeds give unrelated streams.
pub fn replication_seed(root: u64, replication: u32) -> u64 {
    root.wrapping_add(replication as u64)
}

/// One stream of draws: a SplitMix64 generator (the state advances by the golden-ratio
/// increment and each output is the state passed through [`mix64`]). It is a `rand_core`
/// generator, so `rand_distr` samples from it directly.
#[derive(Debug, Clone)]
pub struct Draws {
    x: u64,
}

impl TryRng for Draws {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next_u64() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

impl Draws {
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.x = self.x.wrapping_add(GOLDEN);
        mix64(self.x)
    }

    /// Uniform in [0, 1) with 53 bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal (`rand_distr`'s ziggurat).
    pub fn normal(&mut self) -> f64 {
        use rand_distr::Distribution;
        rand_distr::StandardNormal.sample(self)
    }

    /// Normal with mean and sd, clamped to [lo, hi].
    pub fn normal_clamped(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        (mean + sd * self.normal()).clamp(lo, hi)
    }

    /// Poisson with mean `lambda` (`rand_distr`).
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        use rand_distr::Distribution;
        match rand_distr::Poisson::new(lambda) {
            Ok(dist) => dist.sample(self) as u32,
            Err(_) => 0,
        }
    }

    /// Binomial: successes in `n` trials of probability `p` (`rand_distr`); `p` is clamped
    /// to [0, 1] and a NaN `p` gives 0.
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        use rand_distr::Distribution;
        if p.is_nan() {
            return 0;
        }
        match rand_distr::Binomial::new(n, p.clamp(0.0, 1.0)) {
            Ok(dist) => dist.sample(self),
            Err(_) => 0,
        }
    }

    /// Rounds `x` up or down at random so that the expectation is `x`.
    pub fn round_stochastic(&mut self, x: f64) -> u64 {
        let floor = x.floor();
        floor as u64 + u64::from(self.chance(x - floor))
    }
}

/// `exp(x)` from additions, multiplications and bit operations only: the same bits on every
/// platform and C library (unlike the system's `exp`), and about as fast. Range reduction to
/// |r| ≤ ln 2 / 2 with k = round(x / ln 2), then a degree-8 Taylor polynomial in Horner form;
/// relative error below 1e-9.
#[inline]
pub fn fast_exp(x: f64) -> f64 {
    const LOG2E: f64 = std::f64::consts::LOG2_E;
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const C: [f64; 9] =
        [1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0];
    let x = x.clamp(-700.0, 700.0);
    let t = x * LOG2E;
    // Round half away from zero with a truncating conversion (one instruction everywhere).
    let k = (t + if t >= 0.0 { 0.5 } else { -0.5 }) as i64;
    let kf = k as f64;
    let r = (x - kf * LN2_HI) - kf * LN2_LO;
    let mut p = C[8];
    p = p * r + C[7];
    p = p * r + C[6];
    p = p * r + C[5];
    p = p * r + C[4];
    p = p * r + C[3];
    p = p * r + C[2];
    p = p * r + C[1];
    p = p * r + C[0];
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// `exp(c · v / 65535)` for a 16-bit fixed-point value `v` (language, skill) as the product of
/// two 256-entry tables, `exp(c · 256·hi / 65535) · exp(c · lo / 65535)`: two loads and a
/// multiplication instead of an exponential, exact to rounding.
#[derive(Debug, Clone)]
pub struct ExpFixed {
    hi: [f64; 256],
    lo: [f64; 256],
}

impl ExpFixed {
    pub fn new(c: f64) -> Self {
        ExpFixed {
            hi: std::array::from_fn(|h| fast_exp(c * (h * 256) as f64 / 65535.0)),
            lo: std::array::from_fn(|l| fast_exp(c * l as f64 / 65535.0)),
        }
    }

    #[inline]
    pub fn at(&self, v: u16) -> f64 {
        self.hi[(v >> 8) as usize] * self.lo[(v & 0xFF) as usize]
    }
}

/// The logistic function 1 / (1 + e^(−x)).
#[inline]
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + fast_exp(-x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_pure_functions_of_their_key() {
        let a = StreamKey::new(7, 2016, Purpose::Mobility).stream(42).next_u64();
        let b = StreamKey::new(7, 2016, Purpose::Mobility).stream(42).next_u64();
        assert_eq!(a, b);
        for other in [
            StreamKey::new(8, 2016, Purpose::Mobility).stream(42),
            StreamKey::new(7, 2017, Purpose::Mobility).stream(42),
            StreamKey::new(7, 2016, Purpose::Housing).stream(42),
            StreamKey::new(7, 2016, Purpose::Mobility).stream(43),
        ] {
            assert_ne!(a, other.clone().next_u64());
        }
    }

    #[test]
    fn uniform_and_normal_have_the_right_moments() {
        let key = StreamKey::new(1, 2000, Purpose::Initial);
        let n = 200_000;
        let (mut su, mut sn, mut snn) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let mut d = key.stream(i);
            su += d.uniform();
            let z = d.normal();
            sn += z;
            snn += z * z;
        }
        let n = n as f64;
        assert!((su / n - 0.5).abs() < 0.005);
        assert!((sn / n).abs() < 0.01);
        assert!((snn / n - 1.0).abs() < 0.02);
    }

    #[test]
    fn fast_exp_is_accurate() {
        let mut x = -60.0;
        while x < 60.0 {
            let (fast, exact) = (fast_exp(x), x.exp());
            assert!(((fast - exact) / exact).abs() < 1e-9, "exp({x}): {fast} vs {exact}");
            x += 0.0137;
        }
        assert_eq!(fast_exp(0.0), 1.0);
        assert!((logistic(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn exp_fixed_matches_the_exponential() {
        for c in [-3.0, -0.4, 0.0, 1.7] {
            let t = ExpFixed::new(c);
            for v in (0..=u16::MAX).step_by(97).chain([u16::MAX]) {
                let exact = (c * v as f64 / 65535.0).exp();
                assert!(((t.at(v) - exact) / exact).abs() < 3e-9, "c {c} v {v}");
            }
        }
    }

    #[test]
    fn poisson_mean_matches() {
        let key = StreamKey::new(3, 2000, Purpose::Arrivals);
        let n = 100_000;
        let total: u64 = (0..n).map(|i| key.stream(i).poisson(1.3) as u64).sum();
        assert!((total as f64 / n as f64 - 1.3).abs() < 0.02);
    }

    #[test]
    fn binomial_mean_matches_and_edges_are_exact() {
        let key = StreamKey::new(5, 2000, Purpose::Initial);
        let n = 20_000;
        let total: u64 = (0..n).map(|i| key.stream(i).binomial(50, 0.3)).sum();
        assert!((total as f64 / n as f64 - 15.0).abs() < 0.1);
        let mut draws = key.stream(0);
        assert_eq!(draws.binomial(7, 1.0), 7);
        assert_eq!(draws.binomial(7, 0.0), 0);
        assert_eq!(draws.binomial(7, 1.5), 7);
        assert_eq!(draws.binomial(7, f64::NAN), 0);
    }
}
