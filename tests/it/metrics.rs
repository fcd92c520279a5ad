//! Metrics on whole runs: turnover agrees with the flow counts, and the Sisyphus index behaves
//! at its extremes.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::{arrival_in, fixture, stderr, temp_dir};

type Row = HashMap<String, String>;

fn run(dir: &Path, out: &str, sets: &[&str]) -> Vec<Row> {
    let scenario = fixture("small.toml");
    let mut args = vec!["run", scenario.to_str().unwrap(), "--out", out, "-q", "--replications", "1", "--years", "8"];
    for s in sets {
        args.push("--set");
        args.push(s);
    }
    let o = arrival_in(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    read(&dir.join(out).join("city_year.csv"))
}

fn read(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

fn num(r: &Row, key: &str) -> f64 {
    r[key].parse().unwrap_or_else(|_| panic!("{key} = {:?}", r[key]))
}

#[test]
fn fluctuation_is_the_out_moves_over_the_mean_population() {
    let dir = temp_dir("fluctuation");
    let rows = run(&dir, "out", &[]);
    let mut checked = 0;
    for city in ["Arrivalton", "Suburbia"] {
        let series: Vec<&Row> = rows.iter().filter(|r| r["city"] == city).collect();
        for pair in series.windows(2) {
            let (before, now) = (pair[0], pair[1]);
            let mean = (num(before, "population") + num(now, "population")) / 2.0;
            let out = num(now, "out_other_city") + num(now, "out_elsewhere") + num(now, "out_abroad");
            let into = num(now, "arrivals_abroad") + num(now, "in_elsewhere") + num(now, "in_other_city");
            assert!((num(now, "fluctuation") - out / mean).abs() < 1e-12);
            assert!((num(now, "in_rate") - into / mean).abs() < 1e-12);
            assert!((num(now, "gross_rate") - (out + into) / mean).abs() < 1e-12);
            assert!((num(now, "intra_rate") - num(now, "moves_within") / mean).abs() < 1e-12);
            // the stock balance, in the published table
            let balance = num(before, "population") + num(now, "births") + into
                - num(now, "deaths")
                - out
                - num(now, "population");
            assert_eq!(balance, 0.0, "{city} {}", now["year"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 14);
}

#[test]
fn nobody_moving_means_no_sisyphus_and_everyone_moving_on_means_a_high_one() {
    let dir = temp_dir("sisyphus");
    let still = run(&dir, "still", &["behaviour.move_base=-60"]);
    for r in still.iter().filter(|r| !r["sisyphus"].is_empty()) {
        assert_eq!(num(r, "sisyphus"), 0.0, "{} {}", r["city"], r["year"]);
        assert_eq!(num(r, "moves_within") + num(r, "out_other_city") + num(r, "out_elsewhere"), 0.0);
    }
    assert!(still.iter().any(|r| !r["sisyphus"].is_empty()), "returns were realised");
    let districts = read(&dir.join("still/district_year.csv"));
    assert!(districts.iter().filter(|r| !r["sisyphus"].is_empty()).all(|r| num(r, "sisyphus") == 0.0));

    let leaving = run(
        &dir,
        "leaving",
        &[
            "behaviour.move_base=8",
            "behaviour.u_elsewhere=4",
            "behaviour.u_elsewhere_employed=6",
            "behaviour.u_stay=-5",
        ],
    );
    let last = leaving.iter().rfind(|r| r["city"] == "Arrivalton").unwrap();
    assert!(num(last, "sisyphus") > 0.8, "Sisyphus index {}", last["sisyphus"]);
    let flows = fs::read_to_string(dir.join("leaving/flows.csv")).unwrap();
    assert!(flows.lines().any(|l| l.contains(",elsewhere,")), "returns realised elsewhere");
}
