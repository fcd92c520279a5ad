//! Scenario files: inheritance, the resolved form, and the shipped scenarios.

use std::fs;

use arrival_city::scenario;

use crate::{arrival, fixture, stderr, temp_dir};

#[test]
fn an_extending_scenario_equals_the_hand_merged_one() {
    let dir = temp_dir("extends");
    let base = fs::read_to_string(fixture("small.toml")).unwrap();
    fs::write(dir.join("small.toml"), &base).unwrap();
    fs::write(
        dir.join("child.toml"),
        r#"extends = "small.toml"

[scenario]
name = "child"

[behaviour]
b_own = 1.0

[[district]]
name = "Hillside"
housing = 1800

[[district]]
name = "New Town"
city = "Suburbia"
housing = 500

[[group]]
name = "Syrian"
arrivals = { base = 80 }
"#,
    )
    .unwrap();
    let merged = base
        .replace("name = \"small\"", "name = \"child\"")
        .replace("housing = 1500", "housing = 1800")
        .replace("arrivals = { base = 150, waves", "arrivals = { base = 80, waves")
        + "\n[behaviour]\nb_own = 1.0\n\n[[district]]\nname = \"New Town\"\ncity = \"Suburbia\"\nhousing = 500\n";
    fs::write(dir.join("merged.toml"), merged).unwrap();
    let child = scenario::load(&dir.join("child.toml"), &[]).unwrap();
    let by_hand = scenario::load(&dir.join("merged.toml"), &[]).unwrap();
    assert_eq!(child.scenario, by_hand.scenario);
    assert_eq!(child.resolved_toml, by_hand.resolved_toml);
    assert_eq!(child.files.len(), 2);
    assert_ne!(child.hash, by_hand.hash, "the hash covers the input files");
}

#[test]
fn the_resolved_scenario_reproduces_the_scenario() {
    let dir = temp_dir("resolved");
    let loaded = scenario::load(&fixture("small.toml"), &[]).unwrap();
    fs::write(dir.join("resolved.toml"), &loaded.resolved_toml).unwrap();
    let again = scenario::load(&dir.join("resolved.toml"), &[]).unwrap();
    assert_eq!(again.scenario, loaded.scenario);
    assert_eq!(again.resolved_toml, loaded.resolved_toml);
}

#[test]
fn every_shipped_scenario_passes_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert!(files.iter().any(|f| f.ends_with("offenbach.toml")));
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = arrival(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

const SYNTHETIC: &str = r#"
[scenario]
name = "synthetic"
years = 2

[synthetic]
cities = 6
districts_per_city = 3
population = 100000
zipf = 1.0
native_share = 0.7
group_shares = { Turkish = 2.0, Syrian = 1.0 }

[[group]]
name = "German"
native = true

[[group]]
name = "Turkish"

[[group]]
name = "Syrian"
refugee = true
"#;

#[test]
fn a_synthetic_region_expands_into_cities_and_districts() {
    let s = scenario::from_str(SYNTHETIC, "synthetic").unwrap();
    assert_eq!(s.cities.len(), 6);
    assert_eq!(s.districts.len(), 18);
    assert_eq!(s.initial_population(), 100_000, "the population is exact");
    for (i, d) in s.districts.iter().enumerate() {
        assert_eq!(d.city.index(), i / 3, "a city's districts are consecutive");
        let pop: u32 = d.population.iter().sum();
        assert!(d.housing >= pop && (d.housing as f64) <= pop as f64 * 1.03 + 1.0);
    }
    // Zipf: the first district is the largest, about twice the second
    let sizes: Vec<u32> = s.districts.iter().map(|d| d.population.iter().sum()).collect();
    assert!(sizes[0] > sizes[1] && (sizes[0] as f64 / sizes[1] as f64 - 2.0).abs() < 0.05, "{sizes:?}");
    let natives: u64 = s.districts.iter().map(|d| d.population[0] as u64).sum();
    assert!((0.6..0.8).contains(&(natives as f64 / 100_000.0)));
    let turks: u64 = s.districts.iter().map(|d| d.population[1] as u64).sum();
    let syrians: u64 = s.districts.iter().map(|d| d.population[2] as u64).sum();
    assert!((1.5..2.6).contains(&(turks as f64 / syrians as f64)), "{turks} vs {syrians}");
    // the same description gives the same region
    assert_eq!(scenario::from_str(SYNTHETIC, "synthetic").unwrap(), s);
}

#[test]
fn a_synthetic_region_is_checked() {
    let with_districts = format!("{SYNTHETIC}\n[[city]]\nname = \"X\"\n");
    let e = scenario::from_str(&with_districts, "s").unwrap_err();
    assert_eq!(e.key.as_deref(), Some("synthetic"));
    assert!(e.rule.contains("generates its cities and districts"), "{}", e.rule);
    let unknown = SYNTHETIC.replace("Turkish = 2.0", "Turkis = 2.0");
    let e = scenario::from_str(&unknown, "s").unwrap_err();
    assert_eq!(e.key.as_deref(), Some("synthetic.group_shares.Turkis"));
    assert_eq!(e.rule, "\"Turkis\" is not a group");
    let zero = SYNTHETIC.replace("cities = 6", "cities = 0");
    let e = scenario::from_str(&zero, "s").unwrap_err();
    assert_eq!(e.key.as_deref(), Some("synthetic.cities"));
}
