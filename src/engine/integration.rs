//! Integration (MODEL §3.3): language, work and earnings.
//!
//! Language closes a share of the gap to 1 each year: faster in a course, with contact (the
//! district's native share) and under neighbourhood management; slower in own-group
//! concentration. Unemployed members of the labour force find work with a logistic probability
//! in language, skill, years since arrival, the own group's employment in the district (the
//! network), district unemployment and neighbourhood management; the employed lose work at a
//! fixed rate. Earnings follow skill, language and experience.

use crate::agent::{Agent, flag};
use crate::rng::{Draws, ExpFixed, fast_exp};
use crate::scenario::Scenario;

use super::step::YearCtx;
use super::world::Snapshot;

/// Yearly earnings of a person in work, tabulated by group and age:
/// `wage_base · exp(wage_experience · experience(age) + shift) · exp(wage_skill · (skill − ½) +
/// wage_language · (language − 1))`, with experience = min(age − 18, 25) / 25.
#[derive(Debug, Clone)]
pub struct Wages {
    /// `wage_base · exp(wage_experience · experience + shift − wage_skill / 2 − wage_language)`,
    /// `[group * 256 + age]`.
    factor: Vec<f64>,
    skill: ExpFixed,
    language: ExpFixed,
}

/// Age from which experience no longer raises earnings.
const EXPERIENCE_FULL: u8 = 18 + 25;

impl Wages {
    pub fn new(s: &Scenario) -> Self {
        let b = &s.behaviour;
        let factor = s
            .groups
            .iter()
            .flat_map(|g| {
                (0..256).map(move |age| {
                    let experience = ((age as f64 - 18.0).clamp(0.0, 25.0)) / 25.0;
                    let log = b.wage_experience * experience + g.shift.wage - 0.5 * b.wage_skill - b.wage_language;
                    b.wage_base * fast_exp(log)
                })
            })
            .collect();
        Wages { factor, skill: ExpFixed::new(b.wage_skill), language: ExpFixed::new(b.wage_language) }
    }

    /// The yearly earnings of `a` in work.
    #[inline]
    pub fn of(&self, a: &Agent) -> f32 {
        let f = self.factor[a.group.index() * 256 + a.age as usize];
        (f * self.skill.at(a.skill) * self.language.at(a.language)) as f32
    }
}

/// The odds against finding work, `exp(−x)` of the logistic job-finding probability, as a
/// product of tabulated factors: the group's constant, language, skill, years since arrival,
/// and the local conditions of the year ([`local_job_factors`]).
#[derive(Debug, Clone)]
pub struct JobOdds {
    /// `exp(−job_base − shift.job)` per group.
    group: Vec<f64>,
    /// `exp(−job_years · y / 10)`, y = 0..=10.
    years: [f64; 11],
    language: ExpFixed,
    skill: ExpFixed,
}

impl JobOdds {
    pub fn new(s: &Scenario) -> Self {
        let b = &s.behaviour;
        JobOdds {
            group: s.groups.iter().map(|g| fast_exp(-b.job_base - g.shift.job)).collect(),
            years: std::array::from_fn(|y| fast_exp(-b.job_years * y as f64 / 10.0)),
            language: ExpFixed::new(-b.job_language),
            skill: ExpFixed::new(-b.job_skill),
        }
    }
}

/// The local factor of the odds against finding work, `exp(−(job_network · own-group employment
/// + job_unemployment · unemployment + management boost))`, per `[slot * n_groups + group]`
/// (slot `n_districts` = elsewhere), from the year's snapshot.
pub fn local_job_factors(s: &Scenario, snap: &Snapshot) -> Vec<f64> {
    let b = &s.behaviour;
    let (nd, ng) = (snap.population.len(), snap.n_groups);
    let nm = s.policies.neighbourhood_management.as_ref();
    let mut out = Vec::with_capacity((nd + 1) * ng);
    for d in 0..nd {
        let boost = nm.filter(|_| snap.managed_now[d]).map_or(0.0, |m| m.job_boost);
        for g in 0..ng {
            let x =
                b.job_network * snap.group_employment[d * ng + g] + b.job_unemployment * snap.unemployment[d] + boost;
            out.push(fast_exp(-x));
        }
    }
    let elsewhere = b.job_network * (1.0 - b.elsewhere_unemployment) + b.job_unemployment * b.elsewhere_unemployment;
    out.extend(std::iter::repeat_n(fast_exp(-elsewhere), ng));
    out
}

/// One year of integration for a person alive after demography.
#[inline(always)]
pub fn integrate(a: &mut Agent, ctx: &YearCtx, r: &mut Draws) {
    let s = ctx.scenario;
    let b = &s.behaviour;
    let group = &s.groups[a.group.index()];
    let year = ctx.year;
    let years_here = a.years_since_arrival(year);
    let snap = ctx.snap;
    let home = a.location.as_district().map(|d| d.index());
    let was_employed = a.has(flag::EMPLOYED);
    let old_language = a.language;

    // Language.
    if a.language < u16::MAX {
        let (native_share, own_share) = match home {
            Some(d) => (snap.native_share[d], snap.share(d, a.group.index())),
            None => (b.elsewhere_native_share, ELSEWHERE_OWN_SHARE),
        };
        let mut rate = b.language_rate + b.language_contact * native_share - b.language_concentration * own_share;
        if a.has(flag::IN_COURSE) {
            match &s.policies.language_courses {
                // Courses run in the years after arrival: 1..=duration.
                Some(c) if (years_here as i64) <= c.duration => rate += c.boost,
                _ => a.set(flag::IN_COURSE, false),
            }
        }
        // (neighbourhood management's job boost is in the local job factors)
        if let Some(m) =
            s.policies.neighbourhood_management.as_ref().filter(|_| home.is_some_and(|d| snap.managed_now[d]))
        {
            rate += m.language_boost;
        }
        if a.is_minor() {
            rate *= 2.0;
        }
        let l = a.language() as f64;
        a.set_language((l + rate.clamp(0.0, 1.0) * (1.0 - l)) as f32);
    }

    // Joining and leaving the labour force.
    if a.age == 18 && !a.has(flag::LABOUR_FORCE) {
        a.set(flag::LABOUR_FORCE, r.chance(group.participation));
    }
    if a.age >= 65 {
        a.set(flag::LABOUR_FORCE, false);
        a.set(flag::EMPLOYED, false);
    }

    // Work.
    if a.is_working_age() && a.has(flag::LABOUR_FORCE) {
        let u = r.uniform();
        if a.has(flag::EMPLOYED) {
            if u < b.job_loss {
                a.set(flag::EMPLOYED, false);
            }
        } else if !(group.refugee && years_here < group.work_delay) {
            let j = ctx.job_odds;
            let slot = home.unwrap_or(snap.population.len());
            let odds = j.group[a.group.index()]
                * j.language.at(a.language)
                * j.skill.at(a.skill)
                * j.years[years_here.min(10) as usize]
                * ctx.job_local[slot * snap.n_groups + a.group.index()];
            // u < 1 / (1 + odds), without a division
            if u * (1.0 + odds) < 1.0 {
                a.set(flag::EMPLOYED, true);
            }
        }
    }
    if !a.has(flag::EMPLOYED) {
        a.income = 0.0;
    } else if !(was_employed && a.language == old_language && a.age > EXPERIENCE_FULL) {
        // (otherwise nothing earnings depend on has changed since last year)
        a.income = ctx.wages.of(a);
    }

    // Exemption from a residence binding once in sufficiently paid work (§12a AufenthG).
    if a.bound_years > 0
        && let Some(rr) = &s.policies.residence_requirement
        && a.has(flag::EMPLOYED)
        && a.income as f64 >= rr.exempt_income
    {
        a.unbind();
    }
}

/// The own group's share assumed for a person living elsewhere in the country.
const ELSEWHERE_OWN_SHARE: f64 = 0.01;
