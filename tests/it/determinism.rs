//! Same scenario and seed ⇒ the same bytes, at any thread count; another seed ⇒ other numbers.

use std::fs;
use std::path::Path;

use crate::{arrival_in, fixture, stderr, temp_dir};

const TABLES: &[&str] = &["city_year", "district_year", "group_year", "region_year", "cohort_year", "flows"];

fn run(dir: &Path, out: &str, extra: &[&str]) {
    let scenario = fixture("small.toml");
    let mut args = vec!["run", scenario.to_str().unwrap(), "--out", out, "-q"];
    args.extend_from_slice(extra);
    let o = arrival_in(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn read(dir: &Path, out: &str, table: &str) -> Vec<u8> {
    fs::read(dir.join(out).join(format!("{table}.csv"))).unwrap()
}

#[test]
fn outputs_are_byte_identical_at_one_and_two_threads() {
    let dir = temp_dir("threads");
    run(&dir, "t1", &["--threads", "1"]);
    run(&dir, "t2", &["--threads", "2"]);
    run(&dir, "t2-again", &["--threads", "2"]);
    for table in TABLES {
        assert_eq!(read(&dir, "t1", table), read(&dir, "t2", table), "{table} differs between 1 and 2 threads");
        assert_eq!(read(&dir, "t2", table), read(&dir, "t2-again", table), "{table} differs between two runs");
    }
}

/// The national benchmark scenario, scaled down to 150,000 persons in 40 cities: the same
/// generator, groups, policies and market as the 84-million run, at a size a test can afford.
#[test]
fn the_national_benchmark_scenario_is_byte_identical_at_one_and_two_threads() {
    let dir = temp_dir("national");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/germany-synthetic.toml");
    let run = |out: &str, threads: &str| {
        let args = [
            "run",
            scenario.to_str().unwrap(),
            "--set",
            "synthetic.population=150000",
            "--set",
            "synthetic.cities=40",
            "--years",
            "3",
            "--out",
            out,
            "-q",
            "--no-report",
            "--threads",
            threads,
        ];
        let o = arrival_in(&dir, &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    run("t1", "1");
    run("t2", "2");
    for table in TABLES {
        assert_eq!(read(&dir, "t1", table), read(&dir, "t2", table), "{table} differs between 1 and 2 threads");
    }
}

#[test]
fn another_seed_gives_other_numbers() {
    let dir = temp_dir("seeds");
    run(&dir, "a", &["--seed", "1"]);
    run(&dir, "b", &["--seed", "2"]);
    assert_ne!(read(&dir, "a", "district_year"), read(&dir, "b", "district_year"));
}

#[test]
fn a_replication_can_be_rerun_alone_with_its_seed() {
    let dir = temp_dir("replication-seed");
    run(&dir, "both", &["--seed", "10", "--replications", "2", "--years", "2"]);
    run(&dir, "second", &["--seed", "11", "--replications", "1", "--years", "2"]);
    let both = String::from_utf8(read(&dir, "both", "city_year")).unwrap();
    let second = String::from_utf8(read(&dir, "second", "city_year")).unwrap();
    // replication 1 of seed 10 is replication 0 of seed 11, apart from the replication column
    let strip = |line: &str| line.split_once(',').unwrap().1.to_string();
    let from_both: Vec<String> = both.lines().skip(1).filter(|l| l.starts_with("1,")).map(strip).collect();
    let alone: Vec<String> = second.lines().skip(1).map(strip).collect();
    assert_eq!(from_both, alone);
}

/// Common random numbers: a lever that only moves money between budgets leaves every person's
/// life exactly as it was, so the population tables are identical.
#[test]
fn a_pure_accounting_lever_leaves_every_person_where_they_were() {
    let dir = temp_dir("crn");
    run(&dir, "base", &["--years", "4"]);
    run(&dir, "eq", &["--years", "4", "--set", "policy.fiscal_equalisation.return_sharing=0.5"]);
    assert_eq!(read(&dir, "base", "district_year"), read(&dir, "eq", "district_year"));
    assert_eq!(read(&dir, "base", "cohort_year"), read(&dir, "eq", "cohort_year"));
    assert_ne!(read(&dir, "base", "city_year"), read(&dir, "eq", "city_year"), "the budgets differ");
}
