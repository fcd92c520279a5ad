//! Demography (MODEL §3.1): ageing, mortality, births and naturalisation.
//!
//! Mortality is a Gompertz hazard `a·exp(b·age)`. Persons within the birth ages who live in a
//! district of the region have a child with the group's yearly rate; the child belongs to the
//! parent's group, is born here, lives with the parent and has the parent as guardian.
//! Foreign citizens naturalise with a yearly probability after the minimum residence.

use crate::agent::{Agent, flag};
use crate::ids::Location;
use crate::rng::Draws;

use super::step::YearCtx;

/// What happened to a person this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Events {
    pub died: bool,
    pub gave_birth: bool,
    pub naturalised: bool,
}

/// Ages the person by one year and draws death, birth and naturalisation.
#[inline(always)]
pub fn age_one_year(a: &mut Agent, ctx: &YearCtx, r: &mut Draws) -> Events {
    let s = ctx.scenario;
    let d = &s.demography;
    a.age = a.age.saturating_add(1);
    let mut ev = Events::default();
    if !d.enabled {
        return ev;
    }
    if r.chance(ctx.prices.mortality[a.age as usize]) {
        ev.died = true;
        return ev;
    }
    let group = &s.groups[a.group.index()];
    if a.location.as_district().is_some()
        && (d.birth_age_min..=d.birth_age_max).contains(&(a.age as i64))
        && r.chance(group.birth_rate)
    {
        ev.gave_birth = true;
    }
    if !a.has(flag::CITIZEN)
        && a.years_since_arrival(ctx.year) as i64 >= d.naturalisation_min_years
        && r.chance(group.naturalisation_rate)
    {
        a.set(flag::CITIZEN, true);
        ev.naturalised = true;
    }
    ev
}

/// The record of a child born this year to `parent` (at index `parent_index`).
pub fn newborn(parent: &Agent, parent_index: u32, id: u32, year: i32, location: Location) -> Agent {
    // Citizenship by descent, or by birth in Germany to a parent with eight years of residence.
    let citizen = parent.has(flag::CITIZEN) || parent.years_since_arrival(year) >= 8;
    let mut child = Agent::new(id, parent.group, 0, location, year as i16);
    child.guardian = parent_index;
    child.language = u16::MAX;
    child.skill = parent.skill;
    child.set(flag::BORN_HERE, true);
    child.set(flag::CITIZEN, citizen);
    child
}
