//! Every class of bad scenario gets one clear message and exit code 1, never a panic.
//!
//! Data-driven: each `tests/fixtures/invalid/NAME.toml` is checked with `arrival check` and its
//! stderr must equal `NAME.expected` (paths relative to the fixture folder). Run with
//! `UPDATE_EXPECT=1` to rewrite the expectations after a deliberate change of wording.

use std::fs;

use crate::{arrival_in, fixture, stderr};

fn check(name: &str) {
    let dir = fixture("invalid");
    let file = format!("{name}.toml");
    let out = arrival_in(&dir, &["check", &file]);
    let got = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: exit code; stderr:\n{got}");
    assert!(!got.contains("panicked") && !got.contains("internal error"), "{name}: {got}");
    assert_eq!(got.matches("error:").count(), 1, "{name}: exactly one error message:\n{got}");
    let expected_path = dir.join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(&expected_path, &got).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(got, expected, "{name}: message changed (UPDATE_EXPECT=1 to accept)");
}

/// The fixtures that must exist, one per error class.
const CASES: &[&str] = &[
    "missing_file",
    "directory",
    "invalid_utf8",
    "bad_syntax",
    "unknown_key",
    "unknown_key_nested",
    "wrong_type",
    "negative_capacity",
    "probability_above_one",
    "nan_value",
    "infinite_value",
    "unknown_group",
    "unknown_city",
    "unknown_policy_district",
    "over_capacity",
    "years_zero",
    "years_too_many",
    "extends_cycle",
    "extends_missing",
    "no_districts",
    "duplicate_district",
    "bad_word",
    "birth_ages_swapped",
    "series_key_not_a_year",
    "fractional_population",
    "city_without_district",
    "map_not_geojson",
];

#[test]
fn every_error_class_has_a_precise_message() {
    for name in CASES {
        check(name);
    }
}

#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = fs::read_dir(fixture("invalid"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".expected").map(str::to_string))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}
