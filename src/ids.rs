//! Typed indices for cities, districts and groups, and the encoding of where a person lives.

/// Most districts a scenario may have (locations are stored in 14 bits).
pub const MAX_DISTRICTS: usize = 16_000;
/// Most groups a scenario may have (groups are stored in a byte).
pub const MAX_GROUPS: usize = 250;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident($inner:ty)) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub $inner);

        impl $name {
            #[inline]
            pub fn from_index(i: usize) -> Self {
                $name(i as $inner)
            }
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a city in `Scenario::cities`.
    CityId(u16)
);
id_type!(
    /// Index of a district in `Scenario::districts` (districts are ordered by city).
    DistrictId(u16)
);
id_type!(
    /// Index of a group in `Scenario::groups`.
    GroupId(u8)
);

/// Where a person is: a district of the region, the rest of the country, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location(pub u16);

impl Location {
    /// The rest of the country: people who moved on stay in the simulation here.
    pub const ELSEWHERE: Location = Location(0x3FFE);
    /// Left the simulation: died or went abroad. The record is removed at the next compaction.
    pub const GONE: Location = Location(0x3FFF);

    #[inline]
    pub fn district(d: DistrictId) -> Self {
        Location(d.0)
    }
    #[inline]
    pub fn as_district(self) -> Option<DistrictId> {
        (self.0 < Self::ELSEWHERE.0).then_some(DistrictId(self.0))
    }
    #[inline]
    pub fn is_gone(self) -> bool {
        self == Self::GONE
    }
    #[inline]
    pub fn is_elsewhere(self) -> bool {
        self == Self::ELSEWHERE
    }
    /// Index into per-location tables of length `n_districts + 1` (elsewhere last).
    #[inline]
    pub fn slot(self, n_districts: usize) -> usize {
        if self.0 < Self::ELSEWHERE.0 { self.0 as usize } else { n_districts }
    }
}
