//! The person record and its investment ledger.
//!
//! The record is kept small (56 bytes) because millions of them stream through the cache every
//! simulated year: fixed-point language and skill, a 16-bit location, years as `i16`, flags in a
//! byte. A test pins the size.

use crate::ids::{DistrictId, GroupId, Location};

/// No guardian (adults, and minors whose guardian died).
pub const NO_GUARDIAN: u32 = u32::MAX;
/// No residence binding.
pub const UNBOUND: i16 = i16::MIN;

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
    /// Which districts invested in this person, and how much.
    pub ledger: Ledger,
    pub location: Location,
    /// Year of arrival in Germany (year of birth for those born here).
    pub arrival_year: i16,
    /// Last year of a residence binding, or [`UNBOUND`].
    pub bound_until: i16,
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
}

const FIXED: f32 = 65535.0;

impl Agent {
    /// A person with no guardian, income, ledger, binding, language, skill, flags or dependants.
    pub fn new(id: u32, group: GroupId, age: u8, location: Location, arrival_year: i16) -> Self {
        Agent {
            id,
            guardian: NO_GUARDIAN,
            income: 0.0,
            ledger: Ledger::default(),
            location,
            arrival_year,
            bound_until: UNBOUND,
            bound_place: 0,
            language: 0,
            skill: 0,
            group,
            age,
            tenure: 0,
            flags: 0,
            dependants: 0,
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
    #[inline]
    pub fn is_bound(&self, year: i32) -> bool {
        self.bound_until != UNBOUND && year <= self.bound_until as i32 && self.has(flag::COMPLIANT)
    }
}

/// Slots in a ledger.
pub const LEDGER_SLOTS: usize = 4;

/// How much each district invested in a person during the integration window, in whole euros.
///
/// Up to four districts are recorded exactly. When a fifth district invests, its amount is
/// merged into the smallest entry, which keeps the label of whichever of the two districts
/// contributed more: the total is always exact, and the attribution error is bounded by the
/// smaller amount. Such merges are counted and reported (`ledger_merges`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ledger {
    pub amount: [u32; LEDGER_SLOTS],
    pub district: [u16; LEDGER_SLOTS],
}

impl Ledger {
    pub fn is_empty(&self) -> bool {
        self.amount.iter().all(|&a| a == 0)
    }

    pub fn total(&self) -> u64 {
        self.amount.iter().map(|&a| a as u64).sum()
    }

    /// Books `euros` invested by district `d`. Returns true when entries had to be merged.
    pub fn add(&mut self, d: DistrictId, euros: u32) -> bool {
        if euros == 0 {
            return false;
        }
        for i in 0..LEDGER_SLOTS {
            if self.amount[i] > 0 && self.district[i] == d.0 {
                self.amount[i] = self.amount[i].saturating_add(euros);
                return false;
            }
        }
        if let Some(i) = self.amount.iter().position(|&a| a == 0) {
            self.amount[i] = euros;
            self.district[i] = d.0;
            return false;
        }
        let smallest = (0..LEDGER_SLOTS).min_by_key(|&i| (self.amount[i], i)).expect("ledger has slots");
        if euros > self.amount[smallest] {
            self.district[smallest] = d.0;
        }
        self.amount[smallest] = self.amount[smallest].saturating_add(euros);
        true
    }

    /// Splits a return of `euros` over the investing districts in proportion to their entries.
    /// The parts are whole euros and sum exactly to `euros` (largest remainders win; ties go to
    /// the earlier slot).
    pub fn split(&self, euros: u64, mut out: impl FnMut(DistrictId, u64)) {
        let total = self.total();
        if total == 0 || euros == 0 {
            return;
        }
        let mut parts = [0u64; LEDGER_SLOTS];
        let mut remainders = [0u64; LEDGER_SLOTS];
        let mut given = 0;
        for i in 0..LEDGER_SLOTS {
            let num = euros as u128 * self.amount[i] as u128;
            parts[i] = (num / total as u128) as u64;
            remainders[i] = (num % total as u128) as u64;
            given += parts[i];
        }
        let mut left = euros - given;
        while left > 0 {
            let i = (0..LEDGER_SLOTS)
                .filter(|&i| self.amount[i] > 0)
                .max_by_key(|&i| (remainders[i], std::cmp::Reverse(i)))
                .expect("a non-empty ledger has an entry");
            parts[i] += 1;
            remainders[i] = 0;
            left -= 1;
        }
        for i in 0..LEDGER_SLOTS {
            if parts[i] > 0 {
                out(DistrictId(self.district[i]), parts[i]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_record_stays_small() {
        assert_eq!(std::mem::size_of::<Agent>(), 56);
    }

    fn split(ledger: &Ledger, euros: u64) -> Vec<(u16, u64)> {
        let mut out = Vec::new();
        ledger.split(euros, |d, x| out.push((d.0, x)));
        out
    }

    #[test]
    fn ledger_books_and_splits_exactly() {
        let mut l = Ledger::default();
        l.add(DistrictId(3), 300);
        l.add(DistrictId(5), 100);
        l.add(DistrictId(3), 200);
        assert_eq!(l.total(), 600);
        // 500:100 of 7 euros = 5.83 : 1.17 → 6 : 1
        assert_eq!(split(&l, 7), vec![(3, 6), (5, 1)]);
        // 1000 euros split 5:1 → 833.33 : 166.67 → 833 : 167
        assert_eq!(split(&l, 1000), vec![(3, 833), (5, 167)]);
        assert!(split(&Ledger::default(), 10).is_empty());
    }

    #[test]
    fn ledger_merges_beyond_four_districts_and_keeps_the_total() {
        let mut l = Ledger::default();
        for (d, x) in [(1, 50), (2, 40), (3, 30), (4, 20)] {
            assert!(!l.add(DistrictId(d), x));
        }
        assert!(l.add(DistrictId(9), 25));
        assert_eq!(l.total(), 165);
        // the smallest entry (district 4, 20) absorbed 25 and took district 9's label
        assert!(l.district.contains(&9));
        assert!(!l.district.contains(&4));
        let parts: u64 = split(&l, 999).iter().map(|p| p.1).sum();
        assert_eq!(parts, 999);
    }
}
