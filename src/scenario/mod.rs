//! Scenarios: what a user writes (TOML), and the checked form the engine runs.
//!
//! `load` reads a file and everything it `extends`, merges the chain, applies overrides, fills
//! defaults, checks every value and cross-reference, and returns a [`Loaded`] scenario with the
//! resolved TOML (all defaults written out) and a hash of the inputs. Any problem becomes one
//! [`InputError`] naming the file, line, key and rule.
//!
//! Code map: `wire` (file format) · `tables`/`params` (flat parameter tables with defaults and
//! rules) · `source` (files, extends, merge, locating keys) · `resolve` (wire → domain) ·
//! `path` (key paths) · `suggest` (did you mean).

pub mod params;
pub mod path;
mod resolve;
pub mod source;
pub mod suggest;
pub mod synthetic;
pub mod tables;
pub mod wire;

use std::collections::BTreeMap;
use std::path::Path;

pub use path::KeyPath;
pub use tables::{
    Behaviour, Demography, Economy, FiscalEqualisation, Housing, Initial, LanguageCourses, MapSpec,
    NeighbourhoodManagement, ResidenceRequirement, Retention, Shift, SocialMix,
};

use crate::error::InputError;
use crate::ids::{CityId, DistrictId, GroupId};

/// `[scenario]`: name, time frame, seed, replications.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub start_year: i32,
    pub years: u32,
    pub seed: u64,
    pub replications: u32,
}

/// A municipality: the fiscal actor whose account is charged and credited.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub name: String,
}

/// A district: housing, rent, quality and its initial residents.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub name: String,
    pub city: CityId,
    /// Capacity in persons.
    pub housing: u32,
    /// Rent index, 1.0 = regional mean.
    pub rent: f64,
    /// Base amenity/status, 0..1.
    pub quality: f64,
    /// Share of the housing that is social housing.
    pub social_housing: f64,
    /// Initial residents by group (indexed by `GroupId`).
    pub population: Vec<u32>,
}

/// Yearly arrivals from abroad of one group, in persons.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Arrivals {
    /// Persons per year when the series has no entry for the year.
    pub base: f64,
    /// Persons in given years (replaces `base` in those years).
    pub series: BTreeMap<i32, f64>,
    /// Waves added on top: `size·decay^(year − wave.year)` from the wave's year on.
    pub waves: Vec<Wave>,
}

/// A wave of arrivals that fades geometrically.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    pub year: i32,
    pub size: f64,
    pub decay: f64,
}

impl Arrivals {
    /// Expected arriving persons in `year`.
    pub fn persons(&self, year: i32) -> f64 {
        let base = self.series.get(&year).copied().unwrap_or(self.base);
        let waves: f64 =
            self.waves.iter().filter(|w| year >= w.year).map(|w| w.size * w.decay.powi(year - w.year)).sum();
        base + waves
    }
}

/// An origin group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    /// Germans without migration background.
    pub native: bool,
    /// Subject to residence requirements.
    pub refugee: bool,
    pub arrivals: Arrivals,
    /// Persons per year moving into the region from the rest of the country.
    pub in_from_elsewhere: f64,
    pub age_mean: f64,
    pub age_sd: f64,
    /// Mean number of minors arriving with each adult.
    pub children_mean: f64,
    pub language_mean: f64,
    pub language_sd: f64,
    pub skill_mean: f64,
    pub skill_sd: f64,
    /// Share of adults in the labour force.
    pub participation: f64,
    /// Births per person aged within the birth ages, per year.
    pub birth_rate: f64,
    /// Yearly probability of naturalising once eligible.
    pub naturalisation_rate: f64,
    /// Years after arrival before work is allowed.
    pub work_delay: u32,
    pub initial: Initial,
    pub shift: Shift,
}

/// The policy levers switched on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policies {
    pub residence_requirement: Option<ResidenceRequirement>,
    pub fiscal_equalisation: Option<FiscalEqualisation>,
    pub neighbourhood_management: Option<NeighbourhoodManagement>,
    pub social_mix: Option<SocialMix>,
    pub retention: Option<Retention>,
    pub language_courses: Option<LanguageCourses>,
}

impl Policies {
    /// Names of the levers switched on.
    pub fn active(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.residence_requirement.is_some() {
            out.push("residence_requirement");
        }
        if self.fiscal_equalisation.is_some() {
            out.push("fiscal_equalisation");
        }
        if self.neighbourhood_management.is_some() {
            out.push("neighbourhood_management");
        }
        if self.social_mix.is_some() {
            out.push("social_mix");
        }
        if self.retention.is_some() {
            out.push("retention");
        }
        if self.language_courses.is_some() {
            out.push("language_courses");
        }
        out
    }
}

/// A checked scenario, ready to run. Districts are ordered by city so that each city's districts
/// form one contiguous range of `DistrictId`s.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub meta: Meta,
    pub demography: Demography,
    pub behaviour: Behaviour,
    pub economy: Economy,
    pub housing: Housing,
    pub cities: Vec<City>,
    pub districts: Vec<District>,
    pub groups: Vec<Group>,
    pub policies: Policies,
    /// District outlines for maps (empty without `[map]`).
    pub shapes: Vec<crate::geo::Shape>,
}

impl Scenario {
    pub fn district_id(&self, name: &str) -> Option<DistrictId> {
        self.districts.iter().position(|d| d.name == name).map(DistrictId::from_index)
    }
    pub fn group_id(&self, name: &str) -> Option<GroupId> {
        self.groups.iter().position(|g| g.name == name).map(GroupId::from_index)
    }
    pub fn city_id(&self, name: &str) -> Option<CityId> {
        self.cities.iter().position(|c| c.name == name).map(CityId::from_index)
    }
    /// Initial population of the whole region.
    pub fn initial_population(&self) -> u64 {
        self.districts.iter().flat_map(|d| d.population.iter()).map(|&n| n as u64).sum()
    }
}

/// A scenario as loaded from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    /// The resolved scenario as TOML: every default written out, no `extends`.
    pub resolved_toml: String,
    /// SHA-256 of the input files (base first).
    pub hash: String,
    /// The files read, the named one first.
    pub files: Vec<std::path::PathBuf>,
}

/// An override of one key, as from a sweep or `--set key=value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: KeyPath,
    pub value: toml::Value,
}

/// A scenario file read and merged with everything it extends, ready to be resolved, possibly
/// many times with different overrides (as a sweep does).
#[derive(Debug)]
pub struct Base {
    pub sources: source::Sources,
    merged: toml::Table,
    default_name: String,
}

/// Reads a scenario file and everything it extends.
pub fn read(path: &Path) -> Result<Base, InputError> {
    let (sources, merged) = source::Sources::read(path)?;
    let default_name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Base { sources, merged, default_name })
}

impl Base {
    /// Applies overrides, fills defaults and checks everything. A broken rule at an overridden
    /// key is reported as the override's, not at the line of the file it replaced.
    pub fn resolve(&self, overrides: &[Override]) -> Result<Loaded, InputError> {
        let mut merged = self.merged.clone();
        for o in overrides {
            source::set_path(&mut merged, &o.path, o.value.clone())
                .map_err(|rule| InputError::plain(rule).with_key(o.path.to_string()))?;
        }
        let wire: wire::WireScenario = serde_path_to_error::deserialize(merged).map_err(|e| {
            let key = e.path().to_string();
            InputError::plain(format!("override does not fit the scenario: {}", e.inner())).with_key(key)
        })?;
        let scenario = resolve::resolve(&wire, &self.default_name).map_err(|invalid| {
            let overridden = overrides.iter().any(|o| invalid.path.0.starts_with(&o.path.0));
            if overridden {
                let mut e = InputError::plain(invalid.rule).with_key(invalid.path.to_string());
                e.hint = invalid.hint;
                e
            } else {
                self.sources.locate(&invalid.path, invalid.rule, invalid.hint)
            }
        })?;
        let mut scenario = scenario;
        if let Some(map) = wire.map.as_ref().and_then(|w| w.geojson.clone()).filter(|g| !g.is_empty()) {
            let key = KeyPath::root().key("map").key("geojson");
            let property = wire.map.as_ref().and_then(|w| w.property.clone()).unwrap_or_else(|| "name".into());
            let dir = self.sources.defining_dir(&key).unwrap_or_default();
            let path = dir.join(&map);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| self.sources.locate(&key, format!("cannot read \"{}\": {e}", path.display()), None))?;
            let shapes = crate::geo::parse(&text, &property)
                .map_err(|e| self.sources.locate(&key, format!("{}: {e}", path.display()), None))?;
            scenario.shapes = shapes.into_iter().filter(|s| scenario.district_id(&s.district).is_some()).collect();
            if scenario.shapes.is_empty() {
                return Err(self.sources.locate(
                    &key,
                    format!(
                        "no feature of {} names a district of the scenario (property \"{property}\")",
                        path.display()
                    ),
                    None,
                ));
            }
        }
        let resolved_toml = resolve::to_toml(&scenario);
        Ok(Loaded {
            scenario,
            resolved_toml,
            hash: self.sources.hash(),
            files: self.sources.files.iter().map(|f| f.path.clone()).collect(),
        })
    }
}

/// Every key path a value can be set at, from a resolved scenario (tables, named entries, maps),
/// e.g. `behaviour.b_own`, `group.Afghan.arrivals.base`, `district.Zentrum.population.Turkish`.
pub fn settable_paths(resolved_toml: &str) -> Vec<String> {
    fn walk(path: &KeyPath, value: &toml::Value, out: &mut Vec<String>) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let top = path.0.is_empty();
                    if top
                        && path::NAMED_ARRAYS.contains(&k.as_str())
                        && let toml::Value::Array(entries) = v
                    {
                        for e in entries {
                            if let Some(name) = e.get("name").and_then(|n| n.as_str()) {
                                walk(&path.key(k).named(name), e, out);
                            }
                        }
                        continue;
                    }
                    walk(&path.key(k), v, out);
                }
            }
            _ => out.push(path.to_string()),
        }
    }
    let mut out = Vec::new();
    if let Ok(table) = toml::from_str::<toml::Table>(resolved_toml) {
        walk(&KeyPath::root(), &toml::Value::Table(table), &mut out);
    }
    out.retain(|p| !p.ends_with(".name"));
    out
}

/// Every key of every policy table (`policy.residence_requirement.years`, …): settable whether
/// or not a scenario switches the policy on.
pub fn policy_paths() -> Vec<String> {
    policy_keys().into_iter().map(|(p, _)| p).collect()
}

/// Every policy key with whether it takes whole numbers.
pub fn policy_keys() -> Vec<(String, bool)> {
    let tables = [
        ("residence_requirement", ResidenceRequirement::describe()),
        ("fiscal_equalisation", FiscalEqualisation::describe()),
        ("neighbourhood_management", NeighbourhoodManagement::describe()),
        ("social_mix", SocialMix::describe()),
        ("retention", Retention::describe()),
        ("language_courses", LanguageCourses::describe()),
    ];
    let mut out = Vec::new();
    for (table, rows) in tables {
        for r in rows {
            out.push((format!("policy.{table}.{}", r.key), r.default.parse::<i64>().is_ok()));
        }
    }
    out
}

/// The value at `path` in a resolved scenario (named entries by name), if any.
pub fn value_at(resolved_toml: &str, path: &KeyPath) -> Option<toml::Value> {
    let table: toml::Table = toml::from_str(resolved_toml).ok()?;
    let mut current = toml::Value::Table(table);
    for seg in &path.0 {
        current = match seg {
            path::Seg::Key(k) => current.get(k)?.clone(),
            path::Seg::Named(n) => {
                current.as_array()?.iter().find(|e| e.get("name").and_then(|v| v.as_str()) == Some(n.as_str()))?.clone()
            }
            path::Seg::Index(i) => current.as_array()?.get(*i)?.clone(),
        };
    }
    Some(current)
}

/// Reads, merges, overrides, resolves and checks a scenario file.
pub fn load(path: &Path, overrides: &[Override]) -> Result<Loaded, InputError> {
    read(path)?.resolve(overrides)
}

/// Parses a scenario from a string (for tests and tools); `name` stands in for the file name.
pub fn from_str(text: &str, name: &str) -> Result<Scenario, InputError> {
    let wire: wire::WireScenario = toml::from_str(text).map_err(|e| InputError::plain(e.message().to_string()))?;
    resolve::resolve(&wire, name).map_err(|i| InputError::plain(i.rule).with_key(i.path.to_string()))
}
