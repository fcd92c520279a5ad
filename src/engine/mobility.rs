//! Mobility (MODEL §3.4): whether an adult considers moving, and where to.
//!
//! Considering a move is logistic in age, recency of arrival and dissatisfaction (aspired
//! quality above the district's effective quality; for natives also a foreign share above their
//! tolerance). A person who considers moving chooses by multinomial logit among staying, every
//! district of the region (tables of [`super::choice`], with a penalty for changing city), the
//! rest of the country (`elsewhere`) and `abroad`. The outside options are scaled by the
//! region's inclusive value, so `u_elsewhere` and `u_abroad` read as log-odds against the region
//! whatever its number of districts.
//!
//! A residence binding blocks moves: a bound person who complies and chooses a place outside
//! the city it is bound to (another city of the region, the rest of the country) stays where it
//! is; bound to a district, so does a move to another district. Leaving for abroad is not
//! blocked, and the choice itself is the unbound one, so the binding neither pushes people
//! abroad nor into other districts of the city (they stay), and common random numbers give the
//! bound and the unbound run the same choices apart from the blocked moves. Moves blocked in
//! the last bound year are made up for in the year after (the `move_recent` bonus once more).

use crate::agent::{Agent, flag};
use crate::ids::{CityId, DistrictId};
use crate::rng::{Draws, ExpFixed, fast_exp, logistic};

use super::choice::{INCOME_CLASSES, income_class};
use super::step::YearCtx;
use super::world::Snapshot;
use crate::scenario::Scenario;

/// Where a person decides to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Stay,
    District(DistrictId),
    Elsewhere,
    Abroad,
}

/// Age brackets of the decision to move: 18–34, 35–64, 65 and over.
pub const AGE_BRACKETS: usize = 3;

#[inline]
pub fn age_bracket(age: u8) -> usize {
    if age < 35 {
        0
    } else if age < 65 {
        1
    } else {
        2
    }
}

/// Log-odds of considering a move for a person of `group` living in location slot `slot`
/// (`n_districts` = elsewhere), with this income class, age and recency of arrival.
pub fn consider_logit(
    s: &Scenario,
    snap: &Snapshot,
    group: usize,
    slot: usize,
    class: usize,
    age: u8,
    recent: bool,
) -> f64 {
    let b = &s.behaviour;
    let g = &s.groups[group];
    let mut x = b.move_base + g.shift.mobility;
    match age_bracket(age) {
        0 => x += b.move_young,
        2 => x += b.move_old,
        _ => {}
    }
    if recent {
        x += b.move_recent;
    }
    if slot < snap.quality.len() {
        let aspiration = b.aspiration_base + b.aspiration_income * class as f64;
        let mut dissatisfaction = (aspiration - snap.quality[slot]).max(0.0);
        if g.native {
            dissatisfaction += (snap.foreign_share[slot] - b.tolerance).max(0.0);
        }
        x += b.move_dissatisfaction * dissatisfaction;
    }
    x
}

/// The exponentials of the utility terms that do not depend on the year, tabulated once per
/// run (the decision itself then needs one `exp`, for language).
#[derive(Debug, Clone)]
pub struct MoveFactors {
    /// `exp(−b_citychange)`.
    penalty: f64,
    /// `exp(−u_return_from_elsewhere)`.
    stay_elsewhere: f64,
    /// `exp(u_stay + u_stay_tenure · tenure)`, tenure 0..=10.
    stay: [f64; 11],
    /// `exp(u_abroad + …)` by `[(group * 21 + min(years, 20)) * 2 + employed]`.
    abroad: Vec<f64>,
    /// `exp(u_elsewhere + …)` without the language term, `[(group * INCOME_CLASSES + class) * 2
    /// + employed]`.
    elsewhere: Vec<f64>,
    /// `exp(u_elsewhere_language · language)`.
    elsewhere_language: ExpFixed,
    /// `exp(retention bonus)`, 1 without the programme.
    retention_bonus: f64,
}

impl MoveFactors {
    pub fn new(s: &Scenario) -> Self {
        let b = &s.behaviour;
        let mut abroad = Vec::new();
        let mut elsewhere = Vec::new();
        for g in &s.groups {
            for years in 0..=20u32 {
                for employed in [false, true] {
                    let u = b.u_abroad
                        + if years < 3 { b.u_abroad_recent } else { 0.0 }
                        + b.u_abroad_years * years as f64
                        + if employed { b.u_abroad_employed } else { 0.0 }
                        + g.shift.abroad;
                    abroad.push(fast_exp(u));
                }
            }
            for class in 0..INCOME_CLASSES {
                for employed in [false, true] {
                    let u = b.u_elsewhere
                        + b.u_elsewhere_income * class as f64
                        + if employed { b.u_elsewhere_employed } else { 0.0 }
                        + g.shift.elsewhere;
                    elsewhere.push(fast_exp(u));
                }
            }
        }
        MoveFactors {
            penalty: fast_exp(-b.b_citychange),
            stay_elsewhere: fast_exp(-b.u_return_from_elsewhere),
            stay: std::array::from_fn(|t| fast_exp(b.u_stay + b.u_stay_tenure * t as f64)),
            abroad,
            elsewhere,
            elsewhere_language: ExpFixed::new(b.u_elsewhere_language),
            retention_bonus: s.policies.retention.as_ref().map_or(1.0, |r| fast_exp(r.bonus)),
        }
    }
}

/// The decision of an adult this year.
#[inline(always)]
pub fn decide(a: &Agent, ctx: &YearCtx, r: &mut Draws) -> Choice {
    let s = ctx.scenario;
    let b = &s.behaviour;
    let year = ctx.year;
    let years_here = a.years_since_arrival(year);
    let class = income_class(a.income);
    let employed = a.has(flag::EMPLOYED);

    let home = a.location.as_district();
    let slot = a.location.slot(ctx.world.n_districts);
    let recent = years_here <= 1;
    // Pent-up moves in the year after a residence binding ends (for those who complied).
    let catching_up = a.bound_until() == Some(year - 1) && a.has(flag::COMPLIANT);
    let p = if catching_up {
        logistic(consider_logit(s, ctx.snap, a.group.index(), slot, class, a.age, recent) + b.move_recent)
    } else {
        ctx.tables.consider(a.group.index(), slot, class, age_bracket(a.age), recent)
    };
    if !r.chance(p) {
        return Choice::Stay;
    }

    let f = ctx.moves;
    let g = a.group.index();
    let row = ctx.tables.row(g, class);
    let penalty = f.penalty;
    let abroad_factor = f.abroad[(g * 21 + years_here.min(20) as usize) * 2 + usize::from(employed)];

    let Some(d) = home else {
        // Living elsewhere: return into the region, stay elsewhere, or leave.
        let region = row.total() * penalty;
        let stay = region * f.stay_elsewhere;
        let abroad = region * abroad_factor;
        let total = region + stay + abroad;
        let u = r.uniform() * total;
        return if u < region && region > 0.0 {
            Choice::District(DistrictId::from_index(row.pick_in(0..row.weight.len(), u / penalty)))
        } else if u < region + stay {
            Choice::Stay
        } else {
            Choice::Abroad
        };
    };

    let city: CityId = ctx.world.city_of(d);
    let range = ctx.world.city_range(city);
    let bound = a.is_bound(year);
    let bound_district = bound && a.has(flag::BOUND_DISTRICT);
    let in_city_raw = row.sum(&range);
    let outside = row.outside(&range);
    let inclusive = in_city_raw + outside * penalty;

    let bonus = match &s.policies.retention {
        Some(rp)
            if ctx.world.retention_city[city.index()]
                && (rp.start_year == 0 || year as i64 >= rp.start_year)
                && a.income as f64 >= rp.income_threshold =>
        {
            f.retention_bonus
        }
        _ => 1.0,
    };
    let in_city = in_city_raw * bonus;
    let other = outside * penalty;
    let stay = row.weight[d.index()] * f.stay[a.tenure.min(10) as usize] * bonus;
    let elsewhere = inclusive
        * f.elsewhere[(g * INCOME_CLASSES + class) * 2 + usize::from(employed)]
        * f.elsewhere_language.at(a.language);
    let abroad = inclusive * abroad_factor;

    let total = in_city + other + stay + elsewhere + abroad;
    if total <= 0.0 {
        return Choice::Stay;
    }
    let mut u = r.uniform() * total;
    if u < stay {
        return Choice::Stay;
    }
    u -= stay;
    if u < in_city {
        let k = row.pick_in(range, u / bonus);
        // bound to a district: a move within the city is blocked too
        return if k == d.index() || bound_district {
            Choice::Stay
        } else {
            Choice::District(DistrictId::from_index(k))
        };
    }
    u -= in_city;
    if u < other {
        // bound: a move to another city is blocked
        return if bound {
            Choice::Stay
        } else {
            Choice::District(DistrictId::from_index(row.pick_outside(range, u / penalty)))
        };
    }
    u -= other;
    if u < elsewhere {
        // bound: moving on to the rest of the country is blocked
        if bound { Choice::Stay } else { Choice::Elsewhere }
    } else {
        Choice::Abroad
    }
}
