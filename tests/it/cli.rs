//! The `arrival` command as a user meets it: files written, overwrite protection, stdout/stderr
//! discipline, help and exit codes.

use std::fs;

use crate::{arrival, arrival_in, fixture, stderr, stdout, temp_dir};

const TABLES: &[&str] = &["city_year", "district_year", "group_year", "region_year", "cohort_year", "flows"];

#[test]
fn run_writes_every_file_and_prints_only_the_result_path() {
    let dir = temp_dir("run-files");
    let scenario = fixture("small.toml");
    let out = arrival_in(&dir, &["run", scenario.to_str().unwrap(), "--years", "2", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "results/small");
    let results = dir.join("results/small");
    for table in TABLES {
        let text = fs::read_to_string(results.join(format!("{table}.csv"))).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with("replication,seed,"), "{table}: {header}");
        assert!(lines.next().is_some(), "{table} has rows");
    }
    let summary = fs::read_to_string(results.join("summary.csv")).unwrap();
    assert!(summary.starts_with("scope,city,group,metric,n,mean,sd,ci_low,ci_high\n"), "{summary}");
    assert!(summary.contains("final_year,Arrivalton,,fluctuation,2,"), "{summary}");
    assert!(summary.contains("whole_run,Suburbia,,sisyphus,2,"), "{summary}");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(results.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["replications"], 2);
    assert!(json["metrics"].as_array().unwrap().len() > 50);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(results.join("manifest.json")).unwrap()).unwrap();
    for key in
        ["version", "command", "seed", "replications", "threads", "scenario_sha256", "wall_seconds", "agent_years"]
    {
        assert!(manifest.get(key).is_some(), "manifest has {key}");
    }
    assert_eq!(manifest["replications"], 2);
    assert_eq!(manifest["years"], 2);
    assert_eq!(manifest["replication_seeds"], serde_json::json!([7, 8]));
    assert!(manifest["agent_years"].as_u64().unwrap() > 2 * 2 * 8000);
    // the resolved scenario is a complete scenario that runs on its own
    let resolved = results.join("scenario.resolved.toml");
    let check = arrival(&["check", resolved.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // no temporary directories are left behind
    let leftovers: Vec<String> = fs::read_dir(dir.join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["small".to_string()]);
}

#[test]
fn existing_results_are_kept_unless_forced() {
    let dir = temp_dir("run-force");
    let scenario = fixture("small.toml");
    let args = ["run", scenario.to_str().unwrap(), "--years", "1", "--replications", "1", "--out", "out", "--quiet"];
    assert_eq!(arrival_in(&dir, &args).status.code(), Some(0));
    fs::write(dir.join("out/marker.txt"), "keep me").unwrap();
    let again = arrival_in(&dir, &args);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again),
        "error: out already exists\n  help: add --force to replace it, or choose another folder with --out\n"
    );
    assert_eq!(fs::read_to_string(dir.join("out/marker.txt")).unwrap(), "keep me");
    let mut forced = args.to_vec();
    forced.push("--force");
    assert_eq!(arrival_in(&dir, &forced).status.code(), Some(0));
    assert!(!dir.join("out/marker.txt").exists());
    assert!(dir.join("out/city_year.csv").exists());
}

#[test]
fn overrides_apply_and_bad_overrides_are_input_errors() {
    let dir = temp_dir("run-set");
    let scenario = fixture("small.toml");
    let s = scenario.to_str().unwrap();
    let ok = arrival_in(
        &dir,
        &["run", s, "--years", "1", "--set", "behaviour.b_own=0.5", "--set", "group.Syrian.arrivals.base=10", "-q"],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let resolved = fs::read_to_string(dir.join("results/small/scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("b_own = 0.5"));
    let bad_path = arrival_in(&dir, &["run", s, "--set", "group.Syrain.work_delay=2", "--out", "x", "-q"]);
    assert_eq!(bad_path.status.code(), Some(1));
    assert_eq!(
        stderr(&bad_path),
        "error: key `group.Syrain.work_delay`: no group named \"Syrain\"; did you mean \"Syrian\"?\n"
    );
    let bad_value = arrival_in(&dir, &["run", s, "--set", "behaviour.job_loss=2", "--out", "x", "-q"]);
    assert_eq!(bad_value.status.code(), Some(1));
    assert!(
        stderr(&bad_value).contains("key `behaviour.job_loss`: must be a share in [0, 1], got 2"),
        "{}",
        stderr(&bad_value)
    );
    let bad_years = arrival_in(&dir, &["run", s, "--years", "0", "--out", "x", "-q"]);
    assert_eq!(bad_years.status.code(), Some(1));
    assert!(stderr(&bad_years).contains("key `scenario.years`: must be a whole number in [1, 500], got 0"));
    assert!(!dir.join("x").exists(), "nothing written on bad input");
}

#[test]
fn help_teaches_and_usage_errors_exit_1() {
    let help = arrival(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = stdout(&help);
    assert!(text.contains("arrival run scenarios/offenbach.toml"), "{text}");
    assert!(text.contains("Exit codes"), "{text}");
    let run_help = arrival(&["run", "--help"]);
    assert!(stdout(&run_help).contains("--replications"));
    assert!(stdout(&run_help).contains("Examples:"));
    let bad = arrival(&["run"]);
    assert_eq!(bad.status.code(), Some(1));
    let unknown = arrival(&["frobnicate"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn check_summarises_valid_scenarios_and_fails_on_any_invalid_one() {
    let good = fixture("small.toml");
    let out = arrival(&["check", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("\"small\", 2 cities, 5 districts, 4 groups, 8550 persons, 2016–2020"),
        "{}",
        stdout(&out)
    );
    let bad = fixture("invalid/years_zero.toml");
    let mixed = arrival(&["check", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(mixed.status.code(), Some(1));
    assert!(stdout(&mixed).contains("ok "));
    assert_eq!(stderr(&mixed).matches("error:").count(), 1);
}

#[test]
fn defaults_lists_every_table() {
    let out = arrival(&["defaults"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for table in
        ["[behaviour]", "[economy]", "[demography]", "[policy.residence_requirement]", "[policy.language_courses]"]
    {
        assert!(text.contains(table), "{table}");
    }
    assert!(text.contains("| `b_own` | `3.0` |"), "{text}");
}

#[test]
fn indices_of_an_observed_table() {
    let table = fixture("offenbach-counts.csv");
    let out = arrival(&["indices", table.to_str().unwrap(), "--native", "German"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // IS of the Turkish column by hand: X = 1500, everyone else = 12430 − 1500 = 10930;
    // ½(|600/1500 − 2500/10930| + |500/1500 − 1900/10930| + |300/1500 − 4020/10930| + |100/1500 − 2510/10930|)
    let by_hand = 0.5
        * ((0.4f64 - 2500.0 / 10930.0).abs()
            + (500.0f64 / 1500.0 - 1900.0 / 10930.0).abs()
            + (0.2f64 - 4020.0 / 10930.0).abs()
            + (100.0f64 / 1500.0 - 2510.0 / 10930.0).abs());
    let is = json["groups"]["Turkish"]["segregation_index"].as_f64().unwrap();
    assert!((is - by_hand).abs() < 1e-12, "{is} vs {by_hand}");
    for key in ["segregation_index", "segregation_index_vs_total", "isolation", "exposure_to_native", "noise_floor"] {
        assert!(json["all_foreign"][key].is_number(), "all_foreign.{key}");
    }
    assert!(json["multigroup"]["theil_h"].is_number());
    let csv = arrival(&["indices", table.to_str().unwrap(), "--native", "German", "--format", "csv"]);
    assert!(stdout(&csv).starts_with("group,index,value\n"), "{}", stdout(&csv));
    let typo = arrival(&["indices", table.to_str().unwrap(), "--native", "Germna"]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        stderr(&typo).contains("no group column named \"Germna\"\n  help: did you mean \"German\"?"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn compare_runs_scenarios_with_common_random_numbers() {
    let dir = temp_dir("compare");
    let base = fixture("small.toml");
    std::fs::write(
        dir.join("courses.toml"),
        format!(
            "extends = \"{}\"\n\n[scenario]\nname = \"more-courses\"\n\n[policy.language_courses]\ncoverage = 1.0\nboost = 0.3\n",
            base.display()
        ),
    )
    .unwrap();
    let out = arrival_in(
        &dir,
        &[
            "compare",
            base.to_str().unwrap(),
            "courses.toml",
            "--years",
            "4",
            "--replications",
            "3",
            "--out",
            "cmp",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("more-courses vs small (n = 3 replications)"), "{table}");
    for file in ["comparison.csv", "comparison.json", "small/city_year.csv", "more-courses/city_year.csv"] {
        assert!(dir.join("cmp").join(file).exists(), "{file}");
    }
    let csv = fs::read_to_string(dir.join("cmp/comparison.csv")).unwrap();
    assert!(csv.starts_with(
        "scenario,baseline,scope,city,group,metric,n,baseline_mean,scenario_mean,difference,ci_low,ci_high,excludes_zero\n"
    ));
    // the same seed gives the baseline run of compare the same numbers as a plain run
    let plain = arrival_in(
        &dir,
        &["run", base.to_str().unwrap(), "--years", "4", "--replications", "3", "--out", "plain", "-q"],
    );
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(
        fs::read(dir.join("plain/city_year.csv")).unwrap(),
        fs::read(dir.join("cmp/small/city_year.csv")).unwrap()
    );
    // more courses raise the language of the region's foreign-born
    let lang = csv
        .lines()
        .find(|l| l.starts_with("more-courses,small,final_year,Arrivalton,,mean_language,"))
        .expect("mean_language row");
    let difference: f64 = lang.split(',').nth(9).unwrap().parse().unwrap();
    assert!(difference > 0.0, "{lang}");
}
