//! From the merged wire scenario to the checked [`Scenario`]: defaults, value rules and
//! cross-references (districts naming cities, populations naming groups, policies naming
//! districts and groups). The first problem found is returned as an [`Invalid`] with its key
//! path; `source.rs` finds the line.

use std::collections::BTreeMap;

use super::params::{Checked, Invalid, Rule, check_number};
use super::path::KeyPath;
use super::suggest;
use super::wire::*;
use super::*;
use crate::ids::{MAX_DISTRICTS, MAX_GROUPS};

type R<T> = Result<T, Invalid>;

fn num(path: &KeyPath, key: &str, value: Option<f64>, default: f64, rule: Rule) -> R<f64> {
    let v = value.unwrap_or(default);
    check_number(v, rule).map_err(|e| Invalid::new(path.key(key), e))?;
    Ok(v)
}

fn int(path: &KeyPath, key: &str, value: Option<i64>, default: i64, rule: Rule) -> R<i64> {
    let v = value.unwrap_or(default);
    v.check(rule).map_err(|e| Invalid::new(path.key(key), e))?;
    Ok(v)
}

fn unknown_name(path: KeyPath, kind: &str, name: &str, known: &[&str]) -> Invalid {
    let invalid = Invalid::new(path, format!("no {kind} named \"{name}\""));
    match suggest::closest(name, known.iter().copied()) {
        Some(best) => invalid.with_hint(format!("did you mean \"{best}\"?")),
        None => invalid.with_hint(format!("known {kind}s: {}", known.join(", "))),
    }
}

/// Checks every entry of a named array has a unique, non-empty name.
fn entry_names<T>(entries: &[T], array: &str, name: impl Fn(&T) -> Option<&String>) -> R<Vec<String>> {
    let root = KeyPath::root().key(array);
    let mut out: Vec<String> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let n = name(e).ok_or_else(|| Invalid::new(root.index(i), format!("every [[{array}]] needs a `name`")))?;
        if n.trim().is_empty() {
            return Err(Invalid::new(root.index(i).key("name"), "a name must not be empty"));
        }
        if out.contains(n) {
            return Err(Invalid::new(root.named(n).key("name"), format!("two [[{array}]] entries are named \"{n}\"")));
        }
        out.push(n.clone());
    }
    Ok(out)
}

pub(super) fn resolve(w: &WireScenario, default_name: &str) -> R<Scenario> {
    if let Some(wire) = &w.synthetic {
        let path = KeyPath::root().key("synthetic");
        if w.city.is_some() || w.district.is_some() {
            return Err(Invalid::new(path, "a [synthetic] region generates its cities and districts")
                .with_hint("remove the [[city]] and [[district]] entries, or the [synthetic] table"));
        }
        let spec = super::synthetic::Synthetic::resolve(Some(wire), &path)?;
        let (cities, districts) = super::synthetic::expand(&spec, w.group.as_deref().unwrap_or_default())?;
        let expanded = WireScenario { synthetic: None, city: Some(cities), district: Some(districts), ..w.clone() };
        return resolve(&expanded, default_name);
    }
    let meta = resolve_meta(w.scenario.as_ref(), default_name)?;
    let demography = Demography::resolve(w.demography.as_ref(), &KeyPath::root().key("demography"))?;
    if demography.birth_age_min > demography.birth_age_max {
        return Err(Invalid::new(
            KeyPath::root().key("demography").key("birth_age_min"),
            format!("must not exceed birth_age_max ({} > {})", demography.birth_age_min, demography.birth_age_max),
        ));
    }
    let behaviour = Behaviour::resolve(w.behaviour.as_ref(), &KeyPath::root().key("behaviour"))?;
    let economy = Economy::resolve(w.economy.as_ref(), &KeyPath::root().key("economy"))?;
    let housing = Housing::resolve(w.housing.as_ref(), &KeyPath::root().key("housing"))?;

    let wire_cities = w.city.as_deref().unwrap_or_default();
    let wire_districts = w.district.as_deref().unwrap_or_default();
    let wire_groups = w.group.as_deref().unwrap_or_default();
    if wire_cities.is_empty() {
        return Err(Invalid::new(KeyPath::root().key("city"), "the scenario has no [[city]]; add at least one"));
    }
    if wire_districts.is_empty() {
        return Err(Invalid::new(
            KeyPath::root().key("district"),
            "the scenario has no [[district]]; add at least one",
        ));
    }
    if wire_groups.is_empty() {
        return Err(Invalid::new(KeyPath::root().key("group"), "the scenario has no [[group]]; add at least one"));
    }
    let city_names = entry_names(wire_cities, "city", |c| c.name.as_ref())?;
    let district_names = entry_names(wire_districts, "district", |d| d.name.as_ref())?;
    let group_names = entry_names(wire_groups, "group", |g| g.name.as_ref())?;
    if wire_districts.len() > MAX_DISTRICTS {
        return Err(Invalid::new(KeyPath::root().key("district"), format!("at most {MAX_DISTRICTS} districts")));
    }
    if wire_groups.len() > MAX_GROUPS {
        return Err(Invalid::new(KeyPath::root().key("group"), format!("at most {MAX_GROUPS} groups")));
    }
    let cities: Vec<City> = city_names.iter().map(|n| City { name: n.clone() }).collect();
    let city_refs: Vec<&str> = city_names.iter().map(String::as_str).collect();
    let group_refs: Vec<&str> = group_names.iter().map(String::as_str).collect();

    let mut groups = Vec::with_capacity(wire_groups.len());
    for (g, name) in wire_groups.iter().zip(&group_names) {
        groups.push(resolve_group(g, name, &meta)?);
    }

    let mut districts = Vec::with_capacity(wire_districts.len());
    for (d, name) in wire_districts.iter().zip(&district_names) {
        districts.push(resolve_district(d, name, &city_refs, &group_refs, &housing)?);
    }
    // Order districts by city (stable), so each city's districts are one contiguous range.
    districts.sort_by_key(|d: &District| d.city);
    for (i, _) in cities.iter().enumerate() {
        if !districts.iter().any(|d| d.city.index() == i) {
            return Err(Invalid::new(
                KeyPath::root().key("city").named(&cities[i].name),
                format!("city \"{}\" has no district", cities[i].name),
            )
            .with_hint("add a [[district]] with this city, or remove the city"));
        }
    }
    let district_refs: Vec<&str> = districts.iter().map(|d| d.name.as_str()).collect();
    let policies = resolve_policies(w.policy.as_ref(), &city_refs, &district_refs, &group_refs)?;

    Ok(Scenario {
        meta,
        demography,
        behaviour,
        economy,
        housing,
        cities,
        districts,
        groups,
        policies,
        shapes: Vec::new(),
    })
}

fn resolve_meta(w: Option<&WireMeta>, default_name: &str) -> R<Meta> {
    let empty = WireMeta::default();
    let w = w.unwrap_or(&empty);
    let path = KeyPath::root().key("scenario");
    let name = w.name.clone().unwrap_or_else(|| default_name.to_string());
    if name.trim().is_empty() {
        return Err(Invalid::new(path.key("name"), "the scenario needs a non-empty name"));
    }
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(Invalid::new(path.key("name"), format!("\"{name}\" cannot name a results folder"))
            .with_hint("use letters, digits, '-' and '_'"));
    }
    Ok(Meta {
        name,
        description: w.description.clone().unwrap_or_default(),
        start_year: int(&path, "start_year", w.start_year, 2016, Rule::IntRange(1800, 3000))? as i32,
        years: int(&path, "years", w.years, 20, Rule::IntRange(1, 500))? as u32,
        seed: w.seed.unwrap_or(1),
        replications: int(&path, "replications", w.replications, 1, Rule::IntRange(1, 100_000))? as u32,
    })
}

fn resolve_group(w: &WireGroup, name: &str, meta: &Meta) -> R<Group> {
    let path = KeyPath::root().key("group").named(name);
    let native = w.native.unwrap_or(false);
    let refugee = w.refugee.unwrap_or(false);
    let arrivals = resolve_arrivals(w.arrivals.as_ref(), &path.key("arrivals"), meta)?;
    let initial = Initial::resolve(w.initial.as_ref(), &path.key("initial"))?;
    let shift = Shift::resolve(w.shift.as_ref(), &path.key("shift"))?;
    Ok(Group {
        name: name.to_string(),
        native,
        refugee,
        arrivals,
        in_from_elsewhere: num(&path, "in_from_elsewhere", w.in_from_elsewhere, 0.0, Rule::NonNegative)?,
        age_mean: num(&path, "age_mean", w.age_mean, 28.0, Rule::Range(18.0, 100.0))?,
        age_sd: num(&path, "age_sd", w.age_sd, 8.0, Rule::Range(0.0, 100.0))?,
        children_mean: num(&path, "children_mean", w.children_mean, 0.5, Rule::Range(0.0, 20.0))?,
        language_mean: num(&path, "language_mean", w.language_mean, if native { 1.0 } else { 0.2 }, Rule::Share)?,
        language_sd: num(&path, "language_sd", w.language_sd, 0.1, Rule::Range(0.0, 1.0))?,
        skill_mean: num(&path, "skill_mean", w.skill_mean, 0.5, Rule::Share)?,
        skill_sd: num(&path, "skill_sd", w.skill_sd, 0.2, Rule::Range(0.0, 1.0))?,
        participation: num(&path, "participation", w.participation, 0.8, Rule::Share)?,
        birth_rate: num(&path, "birth_rate", w.birth_rate, 0.03, Rule::Share)?,
        naturalisation_rate: num(&path, "naturalisation_rate", w.naturalisation_rate, 0.02, Rule::Share)?,
        work_delay: int(&path, "work_delay", w.work_delay, 0, Rule::IntRange(0, 50))? as u32,
        initial,
        shift,
    })
}

fn resolve_arrivals(w: Option<&WireArrivals>, path: &KeyPath, _meta: &Meta) -> R<Arrivals> {
    let Some(w) = w else { return Ok(Arrivals::default()) };
    let base = num(path, "base", w.base, 0.0, Rule::NonNegative)?;
    let mut series = BTreeMap::new();
    for (year, persons) in w.series.iter().flatten() {
        let key = path.key("series").key(year);
        let y: i32 = year
            .trim()
            .parse()
            .map_err(|_| Invalid::new(key.clone(), format!("series keys must be years, got \"{year}\"")))?;
        check_number(*persons, Rule::NonNegative).map_err(|e| Invalid::new(key, e))?;
        series.insert(y, *persons);
    }
    let mut waves = Vec::new();
    for (i, wave) in w.waves.iter().flatten().enumerate() {
        let wp = path.key("waves").index(i);
        let year = wave.year.ok_or_else(|| Invalid::new(wp.clone(), "a wave needs a `year`"))?;
        let year = int(&wp, "year", Some(year), 0, Rule::IntRange(1800, 3000))? as i32;
        waves.push(Wave {
            year,
            size: num(&wp, "size", wave.size, 0.0, Rule::NonNegative)?,
            decay: num(&wp, "decay", wave.decay, 0.5, Rule::Share)?,
        });
    }
    Ok(Arrivals { base, series, waves })
}

fn resolve_district(w: &WireDistrict, name: &str, cities: &[&str], groups: &[&str], housing: &Housing) -> R<District> {
    let path = KeyPath::root().key("district").named(name);
    let city_name =
        w.city.as_deref().ok_or_else(|| Invalid::new(path.clone(), format!("district \"{name}\" needs a `city`")))?;
    let city = cities
        .iter()
        .position(|c| *c == city_name)
        .ok_or_else(|| unknown_name(path.key("city"), "city", city_name, cities))?;
    let capacity = num(&path, "housing", w.housing, 0.0, Rule::Count)?;
    if capacity > u32::MAX as f64 / 2.0 {
        return Err(Invalid::new(path.key("housing"), format!("must be at most {}, got {capacity}", u32::MAX / 2)));
    }
    if w.housing.is_none() {
        return Err(Invalid::new(path.clone(), format!("district \"{name}\" needs `housing` (capacity in persons)")));
    }
    let mut population = vec![0u32; groups.len()];
    for (group, count) in w.population.iter().flatten() {
        let key = path.key("population").key(group);
        let g =
            groups.iter().position(|n| n == group).ok_or_else(|| unknown_name(key.clone(), "group", group, groups))?;
        check_number(*count, Rule::Count).map_err(|e| Invalid::new(key.clone(), format!("{e} (persons)")))?;
        if *count > u32::MAX as f64 / 2.0 {
            return Err(Invalid::new(key, format!("must be at most {} persons", u32::MAX / 2)));
        }
        population[g] = *count as u32;
    }
    let total: u64 = population.iter().map(|&n| n as u64).sum();
    let limit = (capacity * housing.arrival_overcrowding).floor();
    if total as f64 > limit {
        return Err(Invalid::new(
            path.key("population"),
            format!(
                "initial population {total} exceeds housing {capacity} × arrival_overcrowding {} = {limit}",
                housing.arrival_overcrowding
            ),
        )
        .with_hint("raise `housing` or lower the population"));
    }
    Ok(District {
        name: name.to_string(),
        city: CityId::from_index(city),
        housing: capacity as u32,
        rent: num(&path, "rent", w.rent, 1.0, Rule::Range(0.01, 100.0))?,
        quality: num(&path, "quality", w.quality, 0.5, Rule::Share)?,
        social_housing: num(&path, "social_housing", w.social_housing, 0.0, Rule::Share)?,
        population,
    })
}

fn check_refs(path: &KeyPath, kind: &str, list: &[String], known: &[&str]) -> R<()> {
    for (i, name) in list.iter().enumerate() {
        if !known.contains(&name.as_str()) {
            return Err(unknown_name(path.index(i), kind, name, known));
        }
    }
    Ok(())
}

fn resolve_policies(w: Option<&WirePolicies>, cities: &[&str], districts: &[&str], groups: &[&str]) -> R<Policies> {
    let empty = WirePolicies::default();
    let w = w.unwrap_or(&empty);
    let root = KeyPath::root().key("policy");
    let mut p = Policies::default();
    if let Some(wire) = &w.residence_requirement {
        let path = root.key("residence_requirement");
        let r = ResidenceRequirement::resolve(Some(wire), &path)?;
        check_refs(&path.key("groups"), "group", &r.groups, groups)?;
        let places: &[&str] = if r.level == "city" { cities } else { districts };
        for name in r.weights.keys() {
            if !places.contains(&name.as_str()) {
                return Err(unknown_name(path.key("weights").key(name), &r.level, name, places));
            }
        }
        if r.key == "custom" && r.weights.values().all(|&w| w == 0.0) {
            return Err(Invalid::new(path.key("weights"), "key = \"custom\" needs positive `weights` by place name"));
        }
        if r.enabled {
            p.residence_requirement = Some(r);
        }
    }
    if let Some(wire) = &w.fiscal_equalisation {
        let r = FiscalEqualisation::resolve(Some(wire), &root.key("fiscal_equalisation"))?;
        if r.enabled {
            p.fiscal_equalisation = Some(r);
        }
    }
    if let Some(wire) = &w.neighbourhood_management {
        let path = root.key("neighbourhood_management");
        let r = NeighbourhoodManagement::resolve(Some(wire), &path)?;
        check_refs(&path.key("districts"), "district", &r.districts, districts)?;
        if r.start_year > r.end_year {
            return Err(Invalid::new(
                path.key("start_year"),
                format!("must not be after end_year ({} > {})", r.start_year, r.end_year),
            ));
        }
        if r.enabled {
            p.neighbourhood_management = Some(r);
        }
    }
    if let Some(wire) = &w.social_mix {
        let path = root.key("social_mix");
        let r = SocialMix::resolve(Some(wire), &path)?;
        check_refs(&path.key("districts"), "district", &r.districts, districts)?;
        if r.enabled {
            p.social_mix = Some(r);
        }
    }
    if let Some(wire) = &w.retention {
        let path = root.key("retention");
        let r = Retention::resolve(Some(wire), &path)?;
        check_refs(&path.key("districts"), "district", &r.districts, districts)?;
        if r.enabled {
            p.retention = Some(r);
        }
    }
    if let Some(wire) = &w.language_courses {
        let path = root.key("language_courses");
        let r = LanguageCourses::resolve(Some(wire), &path)?;
        check_refs(&path.key("groups"), "group", &r.groups, groups)?;
        if r.enabled {
            p.language_courses = Some(r);
        }
    }
    Ok(p)
}

/// The scenario written back as TOML with every default spelled out.
pub(super) fn to_toml(s: &Scenario) -> String {
    let group_names: Vec<&str> = s.groups.iter().map(|g| g.name.as_str()).collect();
    let wire = WireScenario {
        extends: None,
        scenario: Some(WireMeta {
            name: Some(s.meta.name.clone()),
            description: Some(s.meta.description.clone()),
            start_year: Some(s.meta.start_year as i64),
            years: Some(s.meta.years as i64),
            seed: Some(s.meta.seed),
            replications: Some(s.meta.replications as i64),
        }),
        demography: Some(s.demography.to_wire()),
        behaviour: Some(s.behaviour.to_wire()),
        economy: Some(s.economy.to_wire()),
        housing: Some(s.housing.to_wire()),
        policy: Some(WirePolicies {
            residence_requirement: s.policies.residence_requirement.as_ref().map(|p| p.to_wire()),
            fiscal_equalisation: s.policies.fiscal_equalisation.as_ref().map(|p| p.to_wire()),
            neighbourhood_management: s.policies.neighbourhood_management.as_ref().map(|p| p.to_wire()),
            social_mix: s.policies.social_mix.as_ref().map(|p| p.to_wire()),
            retention: s.policies.retention.as_ref().map(|p| p.to_wire()),
            language_courses: s.policies.language_courses.as_ref().map(|p| p.to_wire()),
        }),
        synthetic: None,
        // A run writes the shapes beside the resolved scenario as districts.geojson.
        map: (!s.shapes.is_empty())
            .then(|| WireMap { geojson: Some("districts.geojson".into()), property: Some("district".into()) }),
        city: Some(s.cities.iter().map(|c| WireCity { name: Some(c.name.clone()) }).collect()),
        district: Some(
            s.districts
                .iter()
                .map(|d| WireDistrict {
                    name: Some(d.name.clone()),
                    city: Some(s.cities[d.city.index()].name.clone()),
                    housing: Some(d.housing as f64),
                    rent: Some(d.rent),
                    quality: Some(d.quality),
                    social_housing: Some(d.social_housing),
                    population: Some(
                        d.population
                            .iter()
                            .enumerate()
                            .filter(|(_, n)| **n > 0)
                            .map(|(g, n)| (group_names[g].to_string(), *n as f64))
                            .collect(),
                    ),
                })
                .collect(),
        ),
        group: Some(
            s.groups
                .iter()
                .map(|g| WireGroup {
                    name: Some(g.name.clone()),
                    native: Some(g.native),
                    refugee: Some(g.refugee),
                    arrivals: Some(WireArrivals {
                        base: Some(g.arrivals.base),
                        series: Some(g.arrivals.series.iter().map(|(y, n)| (y.to_string(), *n)).collect()),
                        waves: Some(
                            g.arrivals
                                .waves
                                .iter()
                                .map(|w| WireWave {
                                    year: Some(w.year as i64),
                                    size: Some(w.size),
                                    decay: Some(w.decay),
                                })
                                .collect(),
                        ),
                    }),
                    in_from_elsewhere: Some(g.in_from_elsewhere),
                    age_mean: Some(g.age_mean),
                    age_sd: Some(g.age_sd),
                    children_mean: Some(g.children_mean),
                    language_mean: Some(g.language_mean),
                    language_sd: Some(g.language_sd),
                    skill_mean: Some(g.skill_mean),
                    skill_sd: Some(g.skill_sd),
                    participation: Some(g.participation),
                    birth_rate: Some(g.birth_rate),
                    naturalisation_rate: Some(g.naturalisation_rate),
                    work_delay: Some(g.work_delay as i64),
                    initial: Some(g.initial.to_wire()),
                    shift: Some(g.shift.to_wire()),
                })
                .collect(),
        ),
    };
    let body = toml::to_string(&wire).expect("a resolved scenario always serialises");
    format!(
        "# Resolved scenario \"{}\": every default written out, inheritance applied.\n# Run it as it is to reproduce these results.\n\n{body}",
        s.meta.name
    )
}
