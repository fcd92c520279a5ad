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

use crate::agent::{Agent, UNBOUND, flag};
use crate::ids::{CityId, DistrictId};
use crate::rng::{Draws, fast_exp, logistic};

use super::choice::income_class;
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

/// The decision of an adult this year.
pub fn decide(a: &Agent, ctx: &YearCtx, r: &mut Draws) -> Choice {
    let s = ctx.scenario;
    let b = &s.behaviour;
    let group = &s.groups[a.group.index()];
    let year = ctx.year;
    let years_here = a.years_since_arrival(year);
    let class = income_class(a.income);
    let employed = a.has(flag::EMPLOYED);

    let home = a.location.as_district();
    let slot = a.location.slot(ctx.world.n_districts);
    let recent = years_here <= 1;
    // Pent-up moves in the year after a residence binding ends (for those who complied).
    let catching_up = a.bound_until != UNBOUND && a.bound_until as i32 == year - 1 && a.has(flag::COMPLIANT);
    let p = if catching_up {
        logistic(consider_logit(s, ctx.snap, a.group.index(), slot, class, a.age, recent) + b.move_recent)
    } else {
        ctx.tables.consider(a.group.index(), slot, class, age_bracket(a.age), recent)
    };
    if !r.chance(p) {
        return Choice::Stay;
    }

    let row = ctx.tables.row(a.group.index(), class);
    let penalty = fast_exp(-b.b_citychange);
    let abroad_u = b.u_abroad
        + if years_here < 3 { b.u_abroad_recent } else { 0.0 }
        + b.u_abroad_years * years_here.min(20) as f64
        + if employed { b.u_abroad_employed } else { 0.0 }
        + group.shift.abroad;

    let Some(d) = home else {
        // Living elsewhere: return into the region, stay elsewhere, or leave.
        let region = row.total() * penalty;
        let stay = region * fast_exp(-b.u_return_from_elsewhere);
        let abroad = region * fast_exp(abroad_u);
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
            fast_exp(rp.bonus)
        }
        _ => 1.0,
    };
    let in_city = in_city_raw * bonus;
    let other = outside * penalty;
    let stay = row.weight[d.index()] * fast_exp(b.u_stay + b.u_stay_tenure * a.tenure.min(10) as f64) * bonus;
    let elsewhere_u = b.u_elsewhere
        + b.u_elsewhere_income * class as f64
        + if employed { b.u_elsewhere_employed } else { 0.0 }
        + b.u_elsewhere_language * a.language() as f64
        + group.shift.elsewhere;
    let elsewhere = inclusive * fast_exp(elsewhere_u);
    let abroad = inclusive * fast_exp(abroad_u);

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
