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
