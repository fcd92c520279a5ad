//! Integration (MODEL §3.3): language, work and earnings.
//!
//! Language closes a share of the gap to 1 each year: faster in a course, with contact (the
//! district's native share) and under neighbourhood management; slower in own-group
//! concentration. Unemployed members of the labour force find work with a logistic probability
//! in language, skill, years since arrival, the own group's employment in the district (the
//! network), district unemployment and neighbourhood management; the employed lose work at a
//! fixed rate. Earnings follow skill, language and experience.

use crate::agent::{Agent, UNBOUND, flag};
use crate::rng::{Draws, fast_exp, logistic};
use crate::scenario::{Behaviour, Group};

use super::step::YearCtx;

/// Yearly earnings of a person in work.
pub fn wage(b: &Behaviour, g: &Group, a: &Agent) -> f32 {
    let experience = ((a.age as f64 - 18.0).clamp(0.0, 25.0)) / 25.0;
    let log = b.wage_skill * (a.skill() as f64 - 0.5)
        + b.wage_language * (a.language() as f64 - 1.0)
        + b.wage_experience * experience
        + g.shift.wage;
    (b.wage_base * fast_exp(log)) as f32
}

/// Local conditions a person integrates in.
#[derive(Debug, Clone, Copy)]
pub struct Conditions {
    pub native_share: f64,
    pub own_share: f64,
    pub own_employment: f64,
    pub unemployment: f64,
    pub managed: bool,
}

/// One year of integration for a person alive after demography.
pub fn integrate(a: &mut Agent, ctx: &YearCtx, here: &Conditions, r: &mut Draws) {
    let s = ctx.scenario;
    let b = &s.behaviour;
    let group = &s.groups[a.group.index()];
    let year = ctx.year;
    let years_here = a.years_since_arrival(year);
    let nm = s.policies.neighbourhood_management.as_ref().filter(|_| here.managed);

    // Language.
    if a.language < u16::MAX {
        let mut rate =
            b.language_rate + b.language_contact * here.native_share - b.language_concentration * here.own_share;
        if a.has(flag::IN_COURSE) {
            match &s.policies.language_courses {
                // Courses run in the years after arrival: 1..=duration.
                Some(c) if (years_here as i64) <= c.duration => rate += c.boost,
                _ => a.set(flag::IN_COURSE, false),
            }
        }
        if let Some(m) = nm {
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
            let x = b.job_base
                + b.job_language * a.language() as f64
                + b.job_skill * a.skill() as f64
                + b.job_years * (years_here.min(10) as f64 / 10.0)
                + b.job_network * here.own_employment
                + b.job_unemployment * here.unemployment
                + nm.map_or(0.0, |m| m.job_boost)
                + group.shift.job;
            if u < logistic(x) {
                a.set(flag::EMPLOYED, true);
            }
        }
    }
    a.income = if a.has(flag::EMPLOYED) { wage(b, group, a) } else { 0.0 };

    // Exemption from a residence binding once in sufficiently paid work (§12a AufenthG).
    if a.bound_until != UNBOUND
        && let Some(rr) = &s.policies.residence_requirement
        && a.has(flag::EMPLOYED)
        && a.income as f64 >= rr.exempt_income
    {
        a.bound_until = UNBOUND;
    }
}
