//! The person record.
//!
//! The record is kept small (32 bytes) because millions of them stream through the cache every
//! simulated year: fixed-point language and skill, a 16-bit location, years as `i16`, flags in a
//! byte, and the investment ledger, which most persons never need, kept aside in a
//! [`LedgerTable`](crate::ledger::LedgerTable) and named by index. A test pins the size.

use crate::ids::{GroupId, Location};

/// No ledger (a person in whom no district can invest: born here, a native, or arrived before
/// the integration window).
pub const NO_LEDGER: u32 = u32::MAX;
/// No guardian (adults, and minors whose guardian died).
pub const NO_GUARDIAN: u32 = u32::MAX;

/// Bit flags of a person.
pub mod flag {
    /// Holds German citizenship.
    pub const CITIZEN: u8 = 1;
    /// Born in Germany.
    pub const BORN_HERE: u8 = 1 << 1;
    /// Has work this year.
    pub const EMPLOYED: u8 = 1 << 2;
    /// Part of the labour force (drawn when becoming an adult or arriving).
    pub const LABOUR_FORCE: u8 = 1 << 3;
    /// Enrolled in a language course after arrival.
    pub const IN_COURSE: u8 = 1 << 4;
    /// Complies with a residence binding.
    pub const COMPLIANT: u8 = 1 << 5;
    /// The binding is to a district (else to a city).
    pub const BOUND_DISTRICT: u8 = 1 << 6;
    /// Outside the labour force but living on transfers (a needy benefit unit).
    pub const NEEDY: u8 = 1 << 7;
}

/// A person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agent {
    /// Stable identity; keys the person's random streams.
    pub id: u32,
    /// Index of the guardian in the population (minors only), or [`NO_GUARDIAN`].
    pub guardian: u32,
    /// Yearly earnings (€), 0 without work.
    pub income: f32,
    /// Index of this person's ledger in the population's ledger table, or [`NO_LEDGER`].
    pub ledger: u32,
    pub location: Location,
    /// Year of arrival in Germany (year of birth for those born here).
    pub arrival_year: i16,
    /// The district or city the person is bound to.
    pub bound_place: u16,
    /// Language, fixed point: 0 = none, 65535 = full.
    pub language: u16,
    /// Skill, fixed point: 0..65535 for 0..1.
    pub skill: u16,
    pub group: GroupId,
    pub age: u8,
    /// Years lived in the current district (or elsewhere).
    pub tenure: u8,
    pub flags: u8,
    /// Number of minors in this person's care.
    pub dependants: u8,
    /// Years after arrival a residence binding lasts (0: not bound); see [`Agent::bound_until`].
    pub bound_years: u8,
}

const FIXED: f32 = 65535.0;

impl Agent {
    /// A person with no guardian, income, ledger, binding, language, skill, flags or dependants.
    pub fn new(id: u32, group: GroupId, age: u8, location: Location, arrival_year: i16) -> Self {
        Agent {
            id,
            guardian: NO_GUARDIAN,
            income: 0.0,
            ledger: NO_LEDGER,
            location,
            arrival_year,
            bound_place: 0,
            language: 0,
            skill: 0,
            group,
            age,
            tenure: 0,
            flags: 0,
            dependants: 0,
            bound_years: 0,
        }
    }

    #[inline]
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
    #[inline]
    pub fn set(&mut self, f: u8, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }
    #[inline]
    pub fn is_minor(&self) -> bool {
        self.age < 18
    }
    #[inline]
    pub fn is_working_age(&self) -> bool {
        (18..65).contains(&self.age)
    }
    #[inline]
    pub fn language(&self) -> f32 {
        self.language as f32 / FIXED
    }
    #[inline]
    pub fn set_language(&mut self, l: f32) {
        // Rounded half up by truncation (the value is never negative): one instruction.
        self.language = (l.clamp(0.0, 1.0) * FIXED + 0.5) as u16;
    }
    #[inline]
    pub fn skill(&self) -> f32 {
        self.skill as f32 / FIXED
    }
    #[inline]
    pub fn set_skill(&mut self, s: f32) {
        self.skill = (s.clamp(0.0, 1.0) * FIXED + 0.5) as u16;
    }
    /// Years since arrival in Germany (0 in the arrival year).
    #[inline]
    pub fn years_since_arrival(&self, year: i32) -> u32 {
        (year - self.arrival_year as i32).max(0) as u32
    }
    /// Born abroad (the population whose first years are an integration investment).
    #[inline]
    pub fn foreign_born(&self) -> bool {
        !self.has(flag::BORN_HERE)
    }
    /// On transfers: an adult of working age in the labour force without work, or outside the
    /// labour force in need (see [`Agent::assign_need`]).
    #[inline]
    pub fn on_transfers(&self) -> bool {
        self.is_working_age()
            && if self.has(flag::LABOUR_FORCE) { !self.has(flag::EMPLOYED) } else { self.has(flag::NEEDY) }
    }

    /// Marks the person, with probability `share`, as living on transfers whenever outside the
    /// labour force (`economy.needy_non_participants`). The draw is a hash of the identity, so it
    /// takes no number from any stream and changes no other draw.
    pub fn assign_need(&mut self, share: f64) {
        let u = (crate::rng::mix64(self.id as u64 ^ 0x6e65_6564_795f_7375) >> 11) as f64 / (1u64 << 53) as f64;
        self.set(flag::NEEDY, u < share);
    }
    /// The last year of a residence binding, if the person has one.
    #[inline]
    pub fn bound_until(&self) -> Option<i32> {
        (self.bound_years > 0).then(|| self.arrival_year as i32 + self.bound_years as i32)
    }
    /// Binds the person for the `years` years after arrival (1..=255; 0 unbinds).
    #[inline]
    pub fn bind_for(&mut self, years: u8) {
        self.bound_years = years;
    }
    /// Ends a residence binding.
    #[inline]
    pub fn unbind(&mut self) {
        self.bound_years = 0;
    }
    #[inline]
    pub fn is_bound(&self, year: i32) -> bool {
        self.bound_until().is_some_and(|last| year <= last) && self.has(flag::COMPLIANT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_record_stays_small() {
        assert_eq!(std::mem::size_of::<Agent>(), 32);
    }
}
