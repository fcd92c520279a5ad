//! Sweeps: the same runs.csv whole, sharded and merged, or killed and resumed; failures are
//! recorded and the rest completes; bad sweep files are clear errors.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{arrival_in, fixture, stderr, stdout, temp_dir};

const OUTPUTS: &[&str] = &["runs.csv", "points.csv"];

fn sweep_file(dir: &Path, years: u32, extra: &str) -> String {
    let text = fs::read_to_string(fixture("sweeps/small-factorial.toml"))
        .unwrap()
        .replace("scenario = \"../small.toml\"", &format!("scenario = \"{}\"", fixture("small.toml").display()))
        .replace("years = 3", &format!("years = {years}"))
        + extra;
    let path = dir.join("sweep.toml");
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = arrival_in(dir, args);
    assert!(out.status.code().is_some(), "{}", stderr(&out));
    out
}

#[test]
fn whole_sharded_and_merged_give_the_same_files() {
    let dir = temp_dir("sweep-shards");
    let sweep = sweep_file(&dir, 3, "");
    let whole = run(&dir, &["sweep", &sweep, "--out", "whole", "-q"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = format!("part{i}");
        let o = run(&dir, &["sweep", &sweep, "--shard", &shard, "--out", &out, "-q"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!dir.join(&out).join("points.csv").exists(), "a shard alone has no summaries");
    }
    let merged = run(&dir, &["merge", "part0", "part1", "part2", "--out", "merged"]);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    for file in OUTPUTS {
        assert_eq!(
            fs::read(dir.join("whole").join(file)).unwrap(),
            fs::read(dir.join("merged").join(file)).unwrap(),
            "{file}"
        );
    }
    let runs = fs::read_to_string(dir.join("whole/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 12);
    // merging with a shard missing is refused
    let partial = run(&dir, &["merge", "part0", "part1", "--out", "partial"]);
    assert_eq!(partial.status.code(), Some(1));
    assert!(stderr(&partial).contains("4 of 12 runs are in none of the directories"), "{}", stderr(&partial));
}

#[test]
fn a_killed_sweep_resumes_without_losing_or_repeating_runs() {
    let dir = temp_dir("sweep-kill");
    // long enough runs that the sweep is still going when it is killed
    let sweep = sweep_file(&dir, 40, "");
    let whole = run(&dir, &["sweep", &sweep, "--out", "whole", "-q"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));

    let mut child = Command::new(env!("CARGO_BIN_EXE_arrival"))
        .args(["sweep", &sweep, "--out", "killed", "-q", "--threads", "1"])
        .current_dir(&dir)
        .spawn()
        .unwrap();
    let journal = dir.join("killed/runs.csv");
    let started = Instant::now();
    loop {
        let rows = fs::read_to_string(&journal).map(|t| t.lines().count()).unwrap_or(0);
        if rows >= 4 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let rows_at_kill = fs::read_to_string(&journal).unwrap().lines().count() - 1;
    assert!((3..12).contains(&rows_at_kill), "killed after {rows_at_kill} of 12 runs");
    assert!(!dir.join("killed/points.csv").exists(), "an unfinished sweep has no summaries");

    let resumed = run(&dir, &["sweep", &sweep, "--out", "killed", "--resume", "-q"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    for file in OUTPUTS {
        assert_eq!(
            fs::read(dir.join("whole").join(file)).unwrap(),
            fs::read(dir.join("killed").join(file)).unwrap(),
            "{file}"
        );
    }
    // resuming a finished sweep runs nothing and changes nothing
    let again = run(&dir, &["sweep", &sweep, "--out", "killed", "--resume"]);
    assert!(stderr(&again).contains("12 runs (0 now, 0 failed)"), "{}", stderr(&again));
    // without --resume an existing directory is refused
    let refused = run(&dir, &["sweep", &sweep, "--out", "killed", "-q"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("killed already exists"));
}

#[test]
fn a_failing_point_is_recorded_and_the_rest_completes() {
    let dir = temp_dir("sweep-fail");
    let sweep = sweep_file(&dir, 2, "\n[[parameter]]\npath = \"behaviour.job_loss\"\nvalues = [0.05, 1.5]\n");
    let out = run(&dir, &["sweep", &sweep, "--out", "out", "-q"]);
    assert_eq!(out.status.code(), Some(1), "a failed run makes the exit code 1");
    assert_eq!(stdout(&out).trim(), "out");
    let runs = fs::read_to_string(dir.join("out/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 24);
    let failed: Vec<&str> = runs.lines().filter(|l| l.contains("failed:")).collect();
    assert_eq!(failed.len(), 12, "every run of a point with job_loss = 1.5 fails");
    assert!(failed[0].contains("key `behaviour.job_loss`: must be a share in [0, 1], got 1.5"), "{}", failed[0]);
    assert_eq!(runs.lines().filter(|l| l.contains(",ok,")).count(), 12);
    assert!(dir.join("out/points.csv").exists());
}

#[test]
fn sweep_files_are_checked_before_anything_runs() {
    let dir = temp_dir("sweep-errors");
    let sweep = sweep_file(&dir, 2, "\n[[parameter]]\npath = \"behaviour.b_onw\"\nvalues = [1.0]\n");
    let out = run(&dir, &["sweep", &sweep, "--out", "out", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {sweep}:35:1: key `parameter[2].path`: no scenario key `behaviour.b_onw`\n  help: the closest valid path is `behaviour.b_own`\n"
        )
    );
    assert!(!dir.join("out").exists());
    let sweep = sweep_file(&dir, 2, "\n[[outcome]]\nmetric = \"fluctuaton\"\n");
    let out = run(&dir, &["sweep", &sweep, "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("no city metric \"fluctuaton\" with scope \"whole_run\"\n  help: did you mean \"fluctuation\"?"),
        "{}",
        stderr(&out)
    );
    let dry = run(&dir, &["sweep", &sweep_file(&dir, 2, ""), "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert!(stdout(&dry).contains("runs: 12 (2 replications each)"), "{}", stdout(&dry));
    assert!(!dir.join("results").exists(), "a dry run writes nothing");
}
