//! The flat parameter tables of a scenario, each declared once with its defaults and rules.
//!
//! `arrival defaults` prints these tables; the README's scenario reference is made from them.
//! Coefficients are dimensionless log-odds or utility weights unless a unit is named.

use std::collections::BTreeMap;

use super::params::{Rule, param_table};

param_table! {
    /// `[demography]`: ageing, mortality, births and naturalisation.
    Demography / WireDemography {
        /// Switch births, deaths and naturalisation on or off (ageing always runs).
        enabled: bool = true, Rule::Free;
        /// Gompertz mortality: yearly hazard `a·exp(b·age)`; this is `a`.
        mortality_a: f64 = 0.000_03, Rule::Range(0.0, 1.0);
        /// Gompertz mortality: the age slope `b` (per year of age).
        mortality_b: f64 = 0.095, Rule::Range(0.0, 1.0);
        /// Youngest age at which a person can have a child.
        birth_age_min: i64 = 18, Rule::IntRange(12, 60);
        /// Oldest age at which a person can have a child.
        birth_age_max: i64 = 45, Rule::IntRange(12, 60);
        /// Years of residence before a foreign citizen can naturalise.
        naturalisation_min_years: i64 = 8, Rule::IntRange(0, 100);
        /// Initial stock: average number of minors in a family with minors (minors are dealt to
        /// the adults of their district and group in families of this mean size).
        children_per_family: f64 = 1.7, Rule::Range(1.0, 20.0);
    }
}

param_table! {
    /// `[behaviour]`: integration, whether to move, and where to.
    Behaviour / WireBehaviour {
        /// Location choice: weight of rent pressure (rent index above the mean, scaled by income class).
        b_rent: f64 = 1.5, Rule::Finite;
        /// Location choice: weight of the own group's share of a district (migrant groups).
        b_own: f64 = 3.0, Rule::Finite;
        /// Location choice: weight of effective district quality.
        b_quality: f64 = 2.0, Rule::Finite;
        /// Location choice: extra quality weight per income class (success seeks better districts).
        b_quality_income: f64 = 0.3, Rule::Finite;
        /// Location choice: weight of the district's poverty (transfer) share, subtracted.
        b_poverty: f64 = 2.0, Rule::Finite;
        /// Location choice: natives' weight of the native share of a district.
        b_native: f64 = 1.5, Rule::Finite;
        /// Location choice: cost of moving to a district of another city.
        b_citychange: f64 = 1.5, Rule::Finite;
        /// Location choice: weight of ln(dwellings on offer + 1) (free places plus last year's departures).
        b_vacancy: f64 = 1.0, Rule::Finite;
        /// First location of arrivals: weight of the own group's share (the network).
        b_own_arrival: f64 = 6.0, Rule::Finite;
        /// First location of arrivals: weight of rent pressure.
        b_rent_arrival: f64 = 2.0, Rule::Finite;
        /// Staying: log-odds bonus of the current district over moving, for someone who considers a move.
        u_stay: f64 = 0.5, Rule::Finite;
        /// Staying: extra bonus per year lived in the district (up to 10 years).
        u_stay_tenure: f64 = 0.1, Rule::Finite;
        /// Moving on to the rest of the country: log-odds against the whole region.
        u_elsewhere: f64 = -2.5, Rule::Finite;
        /// Moving on: added per income class (0 no earnings … 5 high).
        u_elsewhere_income: f64 = 0.25, Rule::Finite;
        /// Moving on: added when employed.
        u_elsewhere_employed: f64 = 0.3, Rule::Finite;
        /// Moving on: added per unit of language (0..1).
        u_elsewhere_language: f64 = 0.5, Rule::Finite;
        /// For people living elsewhere: log-odds of moving (back) into the region rather than staying.
        u_return_from_elsewhere: f64 = -2.0, Rule::Finite;
        /// Leaving for abroad: log-odds against the whole region.
        u_abroad: f64 = -3.5, Rule::Finite;
        /// Leaving for abroad: added in the first three years after arrival.
        u_abroad_recent: f64 = 1.5, Rule::Finite;
        /// Leaving for abroad: added per year since arrival (up to 20).
        u_abroad_years: f64 = -0.05, Rule::Finite;
        /// Leaving for abroad: added when employed.
        u_abroad_employed: f64 = -1.0, Rule::Finite;
        /// Considering a move: base log-odds per adult and year.
        move_base: f64 = -2.0, Rule::Finite;
        /// Considering a move: added at ages 18–34.
        move_young: f64 = 0.8, Rule::Finite;
        /// Considering a move: added at ages 65 and over.
        move_old: f64 = -0.8, Rule::Finite;
        /// Considering a move: added in the first two years after arrival.
        move_recent: f64 = 1.0, Rule::Finite;
        /// Considering a move: weight of dissatisfaction (aspiration above quality, intolerance).
        move_dissatisfaction: f64 = 3.0, Rule::Finite;
        /// Aspired district quality with no earnings.
        aspiration_base: f64 = 0.3, Rule::Finite;
        /// Aspired district quality added per income class.
        aspiration_income: f64 = 0.06, Rule::Finite;
        /// Natives: foreign share of a district above which they grow dissatisfied.
        tolerance: f64 = 0.5, Rule::Share;
        /// Language: yearly progress towards 1, as a share of the remaining gap.
        language_rate: f64 = 0.10, Rule::Range(0.0, 1.0);
        /// Language: extra progress per unit of the district's native share (contact).
        language_contact: f64 = 0.10, Rule::Range(0.0, 1.0);
        /// Language: progress lost per unit of the own group's share (concentration).
        language_concentration: f64 = 0.10, Rule::Range(0.0, 1.0);
        /// Finding work: base log-odds per unemployed person and year.
        job_base: f64 = -3.0, Rule::Finite;
        /// Finding work: per unit of language.
        job_language: f64 = 2.5, Rule::Finite;
        /// Finding work: per unit of skill.
        job_skill: f64 = 2.0, Rule::Finite;
        /// Finding work: per ten years since arrival (capped at ten).
        job_years: f64 = 1.0, Rule::Finite;
        /// Finding work: per unit of the own group's employment rate in the district (network).
        job_network: f64 = 1.0, Rule::Finite;
        /// Finding work: per unit of the district's unemployment rate.
        job_unemployment: f64 = -3.0, Rule::Finite;
        /// Losing work: yearly probability.
        job_loss: f64 = 0.06, Rule::Share;
        /// Earnings of a full year's work at median skill, full language, no experience (€/year).
        wage_base: f64 = 30_000.0, Rule::NonNegative;
        /// Earnings: log-wage per unit of skill above 0.5.
        wage_skill: f64 = 0.8, Rule::Finite;
        /// Earnings: log-wage per unit of language below 1.
        wage_language: f64 = 0.4, Rule::Finite;
        /// Earnings: log-wage gain over 25 years of working age.
        wage_experience: f64 = 0.4, Rule::Finite;
        /// Native share of the rest of the country (contact for those living elsewhere).
        elsewhere_native_share: f64 = 0.72, Rule::Share;
        /// Unemployment rate in the rest of the country.
        elsewhere_unemployment: f64 = 0.06, Rule::Share;
        /// Effective district quality lost per unit of poverty share.
        quality_poverty: f64 = 0.5, Rule::Finite;
    }
}

param_table! {
    /// `[economy]`: costs, fiscal returns and the window in which costs count as investment.
    Economy / WireEconomy {
        /// Years after arrival during which costs spent on a foreign-born person are investment.
        integration_years: i64 = 10, Rule::IntRange(0, 100);
        /// Transfers per unemployed adult (18–64) and year (€).
        transfer_adult: f64 = 10_200.0, Rule::NonNegative;
        /// Share of adults outside the labour force who live on transfers (e.g. parents at home in
        /// a benefit unit), besides the unemployed.
        needy_non_participants: f64 = 0.0, Rule::Share;
        /// Transfers per minor in the care of an adult on transfers, per year (€).
        transfer_child: f64 = 4_500.0, Rule::NonNegative;
        /// Migration counselling in the year of arrival (€ per person).
        counselling: f64 = 200.0, Rule::NonNegative;
        /// Counselling in later years as a share of the previous year's.
        counselling_decay: f64 = 0.5, Rule::Share;
        /// Administration per registration event: arrival, move-in, move-out (€).
        admin_per_registration: f64 = 21.0, Rule::NonNegative;
        /// Taxes and contributions as a share of earnings (the fiscal return).
        return_rate: f64 = 0.35, Rule::Share;
        /// Share of transfers the city pays itself (housing costs).
        city_share_transfers: f64 = 0.25, Rule::Share;
        /// Share of counselling, courses and administration the city pays itself.
        city_share_services: f64 = 0.5, Rule::Share;
        /// Share of the fiscal return that reaches the city's own budget.
        city_share_returns: f64 = 0.05, Rule::Share;
    }
}

param_table! {
    /// `[housing]`: how the housing market clears.
    Housing / WireHousing {
        /// Arrivals from abroad may fill a district up to this multiple of its capacity.
        arrival_overcrowding: f64 = 1.05, Rule::Range(1.0, 10.0);
        /// Yearly change of every district's capacity, as a share (0.01 = 1 % more places a year).
        growth: f64 = 0.0, Rule::Range(-0.5, 0.5);
    }
}

param_table! {
    /// `initial`: how a group's stock at the start year is composed.
    Initial / WireInitial {
        /// Mean age of the adults in the stock.
        age_mean: f64 = 42.0, Rule::Range(18.0, 100.0);
        /// Standard deviation of adult ages.
        age_sd: f64 = 15.0, Rule::Range(0.0, 100.0);
        /// Share of minors (under 18) in the stock.
        minor_share: f64 = 0.17, Rule::Share;
        /// Share holding German citizenship (natives always do).
        citizen_share: f64 = 0.3, Rule::Share;
        /// Share born in Germany.
        born_here_share: f64 = 0.2, Rule::Share;
        /// Mean years since arrival of those born abroad.
        years_since_arrival_mean: f64 = 12.0, Rule::Range(0.0, 100.0);
        /// Employment rate of adults in the labour force.
        employment_rate: f64 = 0.85, Rule::Share;
        /// Mean language of those born abroad (0..1).
        language_mean: f64 = 0.6, Rule::Share;
    }
}

param_table! {
    /// `shift`: group-specific shifts added to the behavioural coefficients.
    Shift / WireShift {
        /// Added to the log-odds of finding work.
        job: f64 = 0.0, Rule::Finite;
        /// Added to the log-odds of considering a move.
        mobility: f64 = 0.0, Rule::Finite;
        /// Added to the weight of the own group's share.
        own: f64 = 0.0, Rule::Finite;
        /// Added to the utility of moving on to the rest of the country.
        elsewhere: f64 = 0.0, Rule::Finite;
        /// Added to the utility of leaving for abroad.
        abroad: f64 = 0.0, Rule::Finite;
        /// Added to the log-wage.
        wage: f64 = 0.0, Rule::Finite;
    }
}

param_table! {
    /// `[policy.residence_requirement]`: refugees bound to a place for some years (§12a AufenthG).
    ResidenceRequirement / WireResidence {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Groups bound; empty means every refugee group.
        groups: Vec<String> = Vec::new(), Rule::Free;
        /// Years after arrival the binding lasts.
        years: i64 = 3, Rule::IntRange(0, 50);
        /// Bound to the assigned "city" or "district".
        level: String = "city".into(), Rule::OneOf(&["city", "district"]);
        /// Assignment key: "population", "housing", "equal", "custom" (weights) or "cap".
        key: String = "population".into(), Rule::OneOf(&["population", "housing", "equal", "custom", "cap"]);
        /// Custom assignment weights by city or district name (key = "custom").
        weights: BTreeMap<String, f64> = BTreeMap::new(), Rule::NonNegative;
        /// With key = "cap": places whose share (see cap_on) exceeds this are avoided.
        cap: f64 = 0.3, Rule::Share;
        /// With key = "cap": the share capped, "own_group" or "foreign".
        cap_on: String = "foreign".into(), Rule::OneOf(&["own_group", "foreign"]);
        /// Probability that a bound person complies.
        compliance: f64 = 0.85, Rule::Share;
        /// Employed persons earning at least this (€/year) are exempt.
        exempt_income: f64 = 8_640.0, Rule::NonNegative;
        /// Also assign every arrival of the groups by the key (Wohnortzuweisung), not only bind.
        assign_arrivals: bool = false, Rule::Free;
        /// First arrival year bound (0: from the start).
        start_year: i64 = 0, Rule::IntRange(0, 3000);
    }
}

param_table! {
    /// `[policy.fiscal_equalisation]`: state money and return sharing between cities.
    FiscalEqualisation / WireEqualisation {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Lump sum the state pays the receiving city per arrival from abroad (€).
        per_arrival: f64 = 0.0, Rule::NonNegative;
        /// Share of each city's investment refunded by the state.
        cost_share: f64 = 0.0, Rule::Share;
        /// Share of returns realised in another city on a city's investment paid back to it.
        return_sharing: f64 = 0.0, Rule::Share;
    }
}

param_table! {
    /// `[policy.neighbourhood_management]`: Soziale Stadt / Quartiersmanagement.
    NeighbourhoodManagement / WireNeighbourhood {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Districts managed.
        districts: Vec<String> = Vec::new(), Rule::Free;
        /// First year of management (0: from the start).
        start_year: i64 = 0, Rule::IntRange(0, 3000);
        /// Last year of management.
        end_year: i64 = 3000, Rule::IntRange(0, 3000);
        /// Yearly budget per managed district (€), a cost of that district.
        budget: f64 = 300_000.0, Rule::NonNegative;
        /// Extra language progress per year for residents.
        language_boost: f64 = 0.03, Rule::Range(0.0, 1.0);
        /// Added to the log-odds of finding work for residents.
        job_boost: f64 = 0.3, Rule::Finite;
        /// Added to the district's effective quality.
        quality_boost: f64 = 0.1, Rule::Range(-1.0, 1.0);
    }
}

param_table! {
    /// `[policy.social_mix]`: social-housing allocation with a cap on the applicant group's share.
    SocialMix / WireSocialMix {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Districts whose social housing is allocated this way; empty means all.
        districts: Vec<String> = Vec::new(), Rule::Free;
        /// Group share in the district above which applicants of that group are held back.
        cap: f64 = 0.25, Rule::Share;
        /// Probability that such an applicant is accepted.
        acceptance: f64 = 0.3, Rule::Share;
    }
}

param_table! {
    /// `[policy.retention]` ("Bleibe-Stadt"): better housing and a bonus to keep successful residents.
    Retention / WireRetention {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Districts where housing of higher quality is built.
        districts: Vec<String> = Vec::new(), Rule::Free;
        /// Dwellings (persons of capacity) added per district and year.
        new_housing: f64 = 100.0, Rule::NonNegative;
        /// Quality gained per district and year of building (capped at 1).
        quality_gain: f64 = 0.01, Rule::Range(0.0, 1.0);
        /// Utility bonus for staying in the city for residents earning above the threshold.
        bonus: f64 = 1.0, Rule::Finite;
        /// Earnings (€/year) from which the bonus applies.
        income_threshold: f64 = 30_000.0, Rule::NonNegative;
        /// First year of the programme (0: from the start).
        start_year: i64 = 0, Rule::IntRange(0, 3000);
    }
}

param_table! {
    /// `[policy.language_courses]`: integration courses for new arrivals.
    LanguageCourses / WireLanguageCourses {
        /// Switch the lever off without deleting its table.
        enabled: bool = true, Rule::Free;
        /// Share of adult arrivals who take a course.
        coverage: f64 = 0.5, Rule::Share;
        /// Years a course lasts.
        duration: i64 = 1, Rule::IntRange(0, 20);
        /// Extra language progress per course year, as a share of the remaining gap.
        boost: f64 = 0.15, Rule::Range(0.0, 1.0);
        /// Cost per participant and course year (€).
        cost: f64 = 3_000.0, Rule::NonNegative;
        /// Groups eligible; empty means every non-native group.
        groups: Vec<String> = Vec::new(), Rule::Free;
    }
}

param_table! {
    /// `[map]`: district geometries for the maps in reports.
    MapSpec / WireMap {
        /// GeoJSON FeatureCollection of the districts (relative to the scenario file that sets it); empty: no map.
        geojson: String = String::new(), Rule::Free;
        /// The feature property holding the district's name.
        property: String = "name".into(), Rule::Free;
    }
}
