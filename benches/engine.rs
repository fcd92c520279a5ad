//! Engine benchmark: agent-years per second and peak resident memory per agent.
//!
//! Run with `cargo bench --bench engine`. Prints Markdown tables to stdout (progress goes to
//! stderr).
//!
//! An agent-year is one person simulated for one year, counted as in the engine's
//! `RunStats::agent_years`: the persons alive (in the region or elsewhere) at the start of each
//! simulated year, summed over the years.
//!
//! Every run of every case is measured in a fresh process: the benchmark re-invokes its own
//! executable with `--case NAME --threads N`, which runs that single case once and prints one
//! machine-readable line (`RESULT {json}`). Peak memory is the process's `VmHWM` (peak resident
//! set) read from `/proc/self/status` at the end of the case, which only ever grows; a fresh
//! process per run keeps the cases from inflating each other.
//!
//! Cases:
//! - `offenbach`: `scenarios/offenbach.toml` as shipped (~1.2 M persons, 20 years), engine only.
//! - `synthetic-1m`, `synthetic-10m`, `synthetic-20m`: generated scenarios (see
//!   [`synthetic_toml`]), 10 years, engine only.
//! - the full command-line path for Offenbach (`arrival run … --out /tmp/bench-ob --force -q`),
//!   timed around the child process, with the manifest's `agent_years_per_second`.
//!
//! "Engine only" means the wall time of `Simulation::run` (which includes drawing the initial
//! population) with an observer that only records a timestamp and the number alive per year.
//!
//! - `national`: `scenarios/germany-synthetic.toml` as shipped (84 million persons, 400 cities of
//!   one district, 30 years), engine only; `national-1m`, `national-10m`, `national-84m` (400
//!   districts) and `national-10m-d20`, `national-10m-d100` (10 million persons) are the same
//!   scenario with `synthetic.population` / `synthetic.cities` set and every group's arrivals
//!   scaled with the population, 5 years: the scaling series.
//! - `sweep`: `arrival sweep benches/fixtures/sweep-200.toml` (200 runs of Offenbach, 5 years
//!   each), timed around the child process.
//!
//! Options (after `--`): `--only a,b` runs only the named cases (`offenbach`, `national`,
//! `national-1m`, `national-10m`, `national-84m`, `national-10m-d20`, `national-10m-d100`,
//! `synthetic-1m`, `synthetic-10m`, `synthetic-20m`, `cli`, `sweep`; without `--only` all but
//! `national` and `sweep`, which take minutes), `--runs N` (default 3), `--threads 1,2` (default).
//! Unknown arguments (such as the `--bench` that cargo passes) are ignored.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use arrival_city::engine::{Simulation, YearOutput};
use arrival_city::scenario::{self, Scenario};
use serde_json::{Value, json};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Root seed of the synthetic runs (Offenbach uses its own `[scenario] seed`).
const SYNTHETIC_SEED: u64 = 20_240_601;

/// Longest wait for the machine to become idle before each run.
const QUIET_WAIT: Duration = Duration::from_secs(120);

/// A run during which other processes used more than this many cores on average is repeated…
const MAX_FOREIGN: f64 = 0.1;

/// … up to this many attempts in all (the last attempt is kept whatever the load).
const ATTEMPTS: usize = 4;

#[derive(Clone, Copy)]
enum Kind {
    Offenbach,
    Synthetic {
        persons: u64,
        districts: usize,
        cities: usize,
    },
    /// `scenarios/germany-synthetic.toml` with `synthetic.population` and `synthetic.cities`
    /// (one district each) set.
    National {
        persons: u64,
        cities: u32,
    },
}

#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    kind: Kind,
    years: u32,
}

const CASES: &[Case] = &[
    Case { name: "offenbach", kind: Kind::Offenbach, years: 20 },
    // The national scenario as shipped: 84 million persons in 400 cities, 30 years.
    Case { name: "national", kind: Kind::National { persons: 84_000_000, cities: 400 }, years: 30 },
    // Scaling in persons (400 districts) and in districts (10 million persons), 5 years each.
    Case { name: "national-1m", kind: Kind::National { persons: 1_000_000, cities: 400 }, years: 5 },
    Case { name: "national-10m", kind: Kind::National { persons: 10_000_000, cities: 400 }, years: 5 },
    Case { name: "national-84m", kind: Kind::National { persons: 84_000_000, cities: 400 }, years: 5 },
    Case { name: "national-10m-d20", kind: Kind::National { persons: 10_000_000, cities: 20 }, years: 5 },
    Case { name: "national-10m-d100", kind: Kind::National { persons: 10_000_000, cities: 100 }, years: 5 },
    Case { name: "synthetic-1m", kind: Kind::Synthetic { persons: 1_000_000, districts: 40, cities: 4 }, years: 10 },
    Case {
        name: "synthetic-10m",
        kind: Kind::Synthetic { persons: 10_000_000, districts: 200, cities: 20 },
        years: 10,
    },
    Case {
        name: "synthetic-20m",
        kind: Kind::Synthetic { persons: 20_000_000, districts: 400, cities: 40 },
        years: 10,
    },
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match value_of(&args, "--case") {
        Some(case) => child(&case, &args),
        None => parent(&args),
    };
    if let Err(e) = result {
        eprintln!("engine bench: {e}");
        std::process::exit(1);
    }
}

fn value_of(args: &[String], flag: &str) -> Option<String> {
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned()
}

fn find_case(name: &str) -> Result<Case, BoxError> {
    CASES.iter().copied().find(|c| c.name == name).ok_or_else(|| format!("unknown case {name}").into())
}

// ------------------------------------------------------------------------------------------
// Child: one case, one run, one line.

fn child(name: &str, args: &[String]) -> Result<(), BoxError> {
    let case = find_case(name)?;
    let threads: usize = value_of(args, "--threads").unwrap_or_else(|| "1".into()).parse()?;
    let (scenario, seed) = match case.kind {
        Kind::Offenbach => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/offenbach.toml");
            let loaded = scenario::load(&path, &[]).map_err(|e| format!("{e}"))?;
            let seed = loaded.scenario.meta.seed;
            (loaded.scenario, seed)
        }
        Kind::Synthetic { persons, districts, cities } => {
            let text = synthetic_toml(case.name, persons, districts, cities, case.years);
            (scenario::from_str(&text, case.name).map_err(|e| format!("{e}"))?, SYNTHETIC_SEED)
        }
        Kind::National { persons, cities } => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/germany-synthetic.toml");
            let set = |key: &str, value: i64| -> Result<scenario::Override, BoxError> {
                Ok(scenario::Override { path: scenario::KeyPath::parse(key)?, value: toml::Value::Integer(value) })
            };
            // Arrivals are scaled with the population, so every size has the same dynamics.
            let shipped = scenario::load(&path, &[]).map_err(|e| format!("{e}"))?.scenario;
            let factor = persons as f64 / shipped.initial_population() as f64;
            let mut overrides =
                vec![set("synthetic.population", persons as i64)?, set("synthetic.cities", cities as i64)?];
            for g in &shipped.groups {
                let base = (g.arrivals.base * factor).round() as i64;
                overrides.push(set(&format!("group.{}.arrivals.base", g.name), base)?);
            }
            let loaded = scenario::load(&path, &overrides).map_err(|e| format!("{e}"))?;
            let seed = loaded.scenario.meta.seed;
            (loaded.scenario, seed)
        }
    };
    let persons = scenario.initial_population();
    let native_share = native_share(&scenario);
    let hwm_before = vm_hwm_kib()?;

    let sim = Simulation::new(&scenario);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let years = case.years as usize;
    let mut marks: Vec<f64> = Vec::with_capacity(years);
    let mut alive_end: Vec<u64> = Vec::with_capacity(years);
    let started = Instant::now();
    let stats = pool.install(|| {
        sim.run(seed, 0, case.years, &mut |y: &YearOutput| {
            marks.push(started.elapsed().as_secs_f64());
            alive_end.push(y.alive as u64);
        })
    });
    let seconds = started.elapsed().as_secs_f64();
    let hwm = vm_hwm_kib()?;

    // Year k > 0 starts with the persons alive at the end of year k-1; year 0 with the rest.
    let later: u64 = alive_end[..years - 1].iter().sum();
    let mut year_seconds = Vec::with_capacity(years);
    let mut year_agent_years = Vec::with_capacity(years);
    for k in 0..years {
        year_seconds.push(marks[k] - if k == 0 { 0.0 } else { marks[k - 1] });
        year_agent_years.push(if k == 0 { stats.agent_years - later } else { alive_end[k - 1] });
    }
    let steady_seconds = marks[years - 1] - marks[0];
    let line = json!({
        "case": case.name,
        "threads": rayon_threads(&pool),
        "persons": persons,
        "native_share": native_share,
        "districts": scenario.districts.len(),
        "years": case.years,
        "seconds": seconds,
        "agent_years": stats.agent_years,
        "peak_records": stats.peak_records,
        "alive_end": alive_end.last().copied().unwrap_or(0),
        "vm_hwm_kib": hwm,
        "vm_hwm_before_kib": hwm_before,
        "year_seconds": year_seconds,
        "year_agent_years": year_agent_years,
        "steady_rate": if years > 1 { later as f64 / steady_seconds } else { f64::NAN },
    });
    println!("RESULT {line}");
    Ok(())
}

fn rayon_threads(pool: &rayon::ThreadPool) -> usize {
    pool.current_num_threads()
}

fn native_share(s: &Scenario) -> f64 {
    let total = s.initial_population() as f64;
    let natives: u64 = s
        .districts
        .iter()
        .flat_map(|d| d.population.iter().zip(&s.groups).filter(|(_, g)| g.native).map(|(&n, _)| n as u64))
        .sum();
    natives as f64 / total
}

fn vm_hwm_kib() -> Result<u64, BoxError> {
    read_vm_hwm(&std::fs::read_to_string("/proc/self/status")?).ok_or_else(|| "no VmHWM in /proc/self/status".into())
}

fn read_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Busy jiffies of the whole machine (all CPUs), from the first line of `/proc/stat`.
fn machine_busy_jiffies() -> u64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().next() else { return 0 };
    // cpu user nice system idle iowait irq softirq steal ...
    let v: Vec<u64> = line.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| v.get(i)).sum()
}

/// CPU jiffies of this process plus its reaped children (utime, stime, cutime, cstime).
fn own_jiffies() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime is field 14 overall, i.e. index 11 here.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let v: Vec<u64> = rest.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    (11..15).filter_map(|i| v.get(i)).sum()
}

/// Jiffies per second as used by `/proc/stat` (USER_HZ, 100 on Linux).
const USER_HZ: f64 = 100.0;

/// Measures CPU used by other processes on the machine while it is alive.
struct ForeignLoad {
    busy: u64,
    own: u64,
    started: Instant,
}

impl ForeignLoad {
    fn start() -> Self {
        ForeignLoad { busy: machine_busy_jiffies(), own: own_jiffies(), started: Instant::now() }
    }
    /// Average number of cores busy with other processes since `start`.
    fn cores(&self) -> f64 {
        let busy = machine_busy_jiffies().saturating_sub(self.busy);
        let own = own_jiffies().saturating_sub(self.own);
        busy.saturating_sub(own) as f64 / USER_HZ / self.started.elapsed().as_secs_f64().max(1e-3)
    }
}

/// Waits (up to `limit`) until other processes use less than 0.1 core over half a second.
/// Returns the seconds waited.
fn wait_until_quiet(limit: Duration) -> f64 {
    let started = Instant::now();
    loop {
        let probe = ForeignLoad::start();
        std::thread::sleep(Duration::from_millis(500));
        if probe.cores() < 0.1 || started.elapsed() >= limit {
            return started.elapsed().as_secs_f64();
        }
    }
}

// ------------------------------------------------------------------------------------------
// Synthetic scenarios.

/// Deterministic pseudo-random numbers in [0, 1) for scenario generation (SplitMix64).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The six origin groups of the synthetic scenarios: name, share of the non-native population,
/// and the group's table body (everything but name, arrivals and in_from_elsewhere).
const MIGRANT_GROUPS: [(&str, f64, &str); 5] = [
    (
        "Turkish",
        0.30,
        "age_mean = 28.0\nchildren_mean = 0.4\nlanguage_mean = 0.25\nskill_mean = 0.45\nparticipation = 0.7\n\
         birth_rate = 0.045\nnaturalisation_rate = 0.025\n\
         initial = { age_mean = 46.0, minor_share = 0.2, citizen_share = 0.55, born_here_share = 0.45, \
         years_since_arrival_mean = 25.0, employment_rate = 0.88, language_mean = 0.7 }\n",
    ),
    (
        "Polish",
        0.23,
        "age_mean = 32.0\nchildren_mean = 0.3\nlanguage_mean = 0.2\nskill_mean = 0.5\nbirth_rate = 0.03\n\
         naturalisation_rate = 0.01\n\
         initial = { age_mean = 44.0, minor_share = 0.14, citizen_share = 0.3, born_here_share = 0.25, \
         years_since_arrival_mean = 15.0, employment_rate = 0.9, language_mean = 0.65 }\n",
    ),
    (
        "Syrian",
        0.17,
        "refugee = true\nwork_delay = 1\nage_mean = 27.0\nchildren_mean = 0.8\nlanguage_mean = 0.05\n\
         skill_mean = 0.4\nparticipation = 0.65\nbirth_rate = 0.06\nnaturalisation_rate = 0.04\n\
         initial = { age_mean = 33.0, minor_share = 0.35, citizen_share = 0.02, born_here_share = 0.08, \
         years_since_arrival_mean = 3.0, employment_rate = 0.35, language_mean = 0.3 }\n",
    ),
    (
        "Romanian",
        0.17,
        "age_mean = 30.0\nchildren_mean = 0.35\nlanguage_mean = 0.1\nskill_mean = 0.42\nbirth_rate = 0.04\n\
         naturalisation_rate = 0.005\n\
         initial = { age_mean = 38.0, minor_share = 0.16, citizen_share = 0.05, born_here_share = 0.06, \
         years_since_arrival_mean = 5.0, employment_rate = 0.85, language_mean = 0.4 }\n",
    ),
    (
        "Other",
        0.13,
        "age_mean = 30.0\nchildren_mean = 0.5\nlanguage_mean = 0.15\nskill_mean = 0.5\nbirth_rate = 0.04\n\
         initial = { age_mean = 40.0, minor_share = 0.2, citizen_share = 0.3, born_here_share = 0.2, \
         years_since_arrival_mean = 10.0, employment_rate = 0.8, language_mean = 0.55 }\n",
    ),
];

const NATIVE_BODY: &str = "native = true\nage_mean = 31.0\nchildren_mean = 0.25\nlanguage_sd = 0.0\n\
    skill_mean = 0.55\nbirth_rate = 0.03\nnaturalisation_rate = 0.0\n\
    initial = { age_mean = 47.0, minor_share = 0.12, citizen_share = 1.0, born_here_share = 1.0, \
    employment_rate = 0.95, language_mean = 1.0 }\n";

/// A synthetic region of `persons` persons in `districts` districts of `cities` cities.
///
/// District sizes follow Zipf (size ∝ 1/rank); districts are dealt to cities in turn. Housing is
/// 3 % above each district's population. Quality, rent and social housing vary between
/// districts; the native share of a district rises with its quality (about 55 % to 85 %, about
/// 70 % overall), and the mix of the five migrant groups varies around fixed shares. Arrivals
/// from abroad are 1 % of the initial population a year (a tenth of them natives returning),
/// moves in from the rest of the country 0.5 % (70 % natives). Baseline policies as in Offenbach:
/// language courses, and neighbourhood management in the tenth of districts of lowest quality.
fn synthetic_toml(name: &str, persons: u64, districts: usize, cities: usize, years: u32) -> String {
    let mut rng = Mix(0x0A11_7A1C_17E5 ^ persons);
    let harmonic: f64 = (1..=districts).map(|r| 1.0 / r as f64).sum();
    let mut sizes: Vec<u64> =
        (1..=districts).map(|r| (persons as f64 / (r as f64 * harmonic)).round() as u64).collect();
    let assigned: u64 = sizes.iter().sum();
    sizes[0] = (sizes[0] as i64 + persons as i64 - assigned as i64) as u64;

    let mut t = String::new();
    let _ = writeln!(
        t,
        "[scenario]\nname = \"{name}\"\ndescription = \"synthetic benchmark region\"\nstart_year = 2016\n\
         years = {years}\nseed = {SYNTHETIC_SEED}\nreplications = 1\n"
    );
    for c in 0..cities {
        let _ = writeln!(t, "[[city]]\nname = \"City {c}\"\n");
    }
    let mut qualities = Vec::with_capacity(districts);
    for (d, &size) in sizes.iter().enumerate() {
        let quality = 0.3 + 0.45 * rng.next();
        qualities.push((quality, d));
        let rent = 0.75 + 0.6 * (quality - 0.3) / 0.45 + 0.15 * rng.next();
        let social = 0.2 * (0.75 - quality) / 0.45 * rng.next();
        let native = 0.55 + 0.30 * (quality - 0.3) / 0.45;
        let weights: Vec<f64> = MIGRANT_GROUPS.iter().map(|(_, share, _)| share * (0.4 + 1.2 * rng.next())).collect();
        let wsum: f64 = weights.iter().sum();
        let mut counts = vec![(size as f64 * native).round() as u64];
        for w in &weights {
            counts.push((size as f64 * (1.0 - native) * w / wsum).floor() as u64);
        }
        let rest = size - counts.iter().sum::<u64>();
        counts[1] += rest;
        let housing = (size as f64 * 1.03).ceil() as u64;
        let _ = write!(
            t,
            "[[district]]\nname = \"District {d}\"\ncity = \"City {}\"\nhousing = {housing}\nrent = {rent:.3}\n\
             quality = {quality:.3}\nsocial_housing = {social:.3}\npopulation = {{ Native = {}",
            d % cities,
            counts[0]
        );
        for ((g, _, _), n) in MIGRANT_GROUPS.iter().zip(&counts[1..]) {
            let _ = write!(t, ", {g} = {n}");
        }
        t.push_str(" }\n\n");
    }

    let arrivals = 0.01 * persons as f64;
    let inflow = 0.005 * persons as f64;
    let _ = writeln!(
        t,
        "[[group]]\nname = \"Native\"\narrivals = {{ base = {:.0} }}\nin_from_elsewhere = {:.0}\n{NATIVE_BODY}",
        0.1 * arrivals,
        0.7 * inflow
    );
    for (g, share, body) in MIGRANT_GROUPS {
        let _ = writeln!(
            t,
            "[[group]]\nname = \"{g}\"\narrivals = {{ base = {:.0} }}\nin_from_elsewhere = {:.0}\n{body}",
            0.9 * arrivals * share,
            0.3 * inflow * share
        );
    }

    qualities.sort_by(|a, b| a.0.total_cmp(&b.0));
    let managed: Vec<String> =
        qualities.iter().take((districts / 10).max(1)).map(|(_, d)| format!("\"District {d}\"")).collect();
    let _ = writeln!(
        t,
        "[policy.language_courses]\ncoverage = 0.5\ncost = 3000\n\n\
         [policy.neighbourhood_management]\ndistricts = [{}]\nbudget = 250000\n",
        managed.join(", ")
    );
    t
}

// ------------------------------------------------------------------------------------------
// Parent: run every case in fresh processes and print the tables.

/// One command-line run: wall seconds, manifest, sampled peak KiB, other load in cores.
type CliRun = (f64, Value, Option<u64>, f64);

struct Runs {
    case: Case,
    threads: usize,
    results: Vec<Value>,
    /// Runs thrown away because other processes used more than `MAX_FOREIGN` cores.
    discarded: usize,
}

/// Runs one case once in a fresh process and returns its `RESULT` line, with the load that other
/// processes put on the machine meanwhile.
fn run_case(exe: &Path, case: &Case, threads: usize, waited: f64) -> Result<Value, BoxError> {
    let load = ForeignLoad::start();
    let out = Command::new(exe)
        .args(["--case", case.name, "--threads", &threads.to_string()])
        .stderr(Stdio::inherit())
        .output()?;
    let foreign = load.cores();
    if !out.status.success() {
        return Err(format!("case {} threads={threads} failed: {}", case.name, out.status).into());
    }
    let stdout = String::from_utf8(out.stdout)?;
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .ok_or_else(|| format!("case {} printed no RESULT line", case.name))?;
    let mut v: Value = serde_json::from_str(line)?;
    v["foreign_cores"] = json!(foreign);
    v["waited_s"] = json!(waited);
    Ok(v)
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

fn u(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or(0)
}

/// Index of the run with the median time (the lower median for an even count).
fn median_index(values: &[f64]) -> usize {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order[(values.len() - 1) / 2]
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// Takes `runs` measurements, each after waiting for a quiet machine. `measure(waited)` returns
/// its result, wall seconds and the other processes' load; a run with more than `MAX_FOREIGN`
/// cores of other load is discarded and repeated, up to `ATTEMPTS` (the last is kept whatever
/// the load). Returns the kept results and how many were discarded.
fn quiet_runs<T>(
    label: &str,
    runs: usize,
    mut measure: impl FnMut(f64) -> Result<(T, f64, f64), BoxError>,
) -> Result<(Vec<T>, usize), BoxError> {
    let mut results = Vec::with_capacity(runs);
    let mut discarded = 0;
    for run in 0..runs {
        for attempt in 1..=ATTEMPTS {
            let waited = wait_until_quiet(QUIET_WAIT);
            eprint!("engine bench: {label} run {}/{runs} … ", run + 1);
            let (result, secs, foreign) = measure(waited)?;
            eprint!("{secs:.3} s (other load {foreign:.2} cores)");
            if foreign <= MAX_FOREIGN || attempt == ATTEMPTS {
                eprintln!();
                results.push(result);
                break;
            }
            eprintln!(" — discarded, repeating");
            discarded += 1;
        }
    }
    Ok((results, discarded))
}

fn parent(args: &[String]) -> Result<(), BoxError> {
    let only: Option<Vec<String>> = value_of(args, "--only").map(|s| s.split(',').map(str::to_string).collect());
    let wanted = |name: &str| match &only {
        Some(o) => o.iter().any(|n| n == name),
        None => name != "national" && name != "sweep",
    };
    let runs: usize = value_of(args, "--runs").map(|s| s.parse()).transpose()?.unwrap_or(3).max(1);
    let thread_counts: Vec<usize> = match value_of(args, "--threads") {
        Some(s) => s.split(',').map(str::parse).collect::<Result<_, _>>()?,
        None => vec![1, 2],
    };
    let exe = std::env::current_exe()?;
    let bench_started = Instant::now();

    let mut all: Vec<Runs> = Vec::new();
    for case in CASES.iter().filter(|c| wanted(c.name)) {
        for &threads in &thread_counts {
            let (results, discarded) = quiet_runs(&format!("{} threads={threads}", case.name), runs, |waited| {
                let v = run_case(&exe, case, threads, waited)?;
                let (secs, foreign) = (f(&v, "seconds"), f(&v, "foreign_cores"));
                Ok((v, secs, foreign))
            })?;
            all.push(Runs { case: *case, threads, results, discarded });
        }
    }

    let mut cli: Vec<(usize, Vec<CliRun>)> = Vec::new();
    if wanted("cli") {
        let ob = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/offenbach.toml");
        for &threads in &thread_counts {
            let (results, _) = quiet_runs(&format!("arrival run offenbach --threads {threads}"), runs, |_| {
                let r = run_cli(&ob, threads)?;
                let (secs, foreign) = (r.0, r.3);
                Ok((r, secs, foreign))
            })?;
            cli.push((threads, results));
        }
    }

    let mut sweeps: Vec<(usize, Vec<(f64, f64)>)> = Vec::new();
    if wanted("sweep") {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures/sweep-200.toml");
        for &threads in &thread_counts {
            let (results, _) = quiet_runs(&format!("arrival sweep (200 runs) --threads {threads}"), runs, |_| {
                let load = ForeignLoad::start();
                let started = Instant::now();
                let status = Command::new(env!("CARGO_BIN_EXE_arrival"))
                    .arg("sweep")
                    .arg(&file)
                    .args(["--out", "/tmp/bench-sweep", "--force", "-q", "--threads", &threads.to_string()])
                    .stdout(Stdio::null())
                    .status()?;
                let secs = started.elapsed().as_secs_f64();
                let foreign = load.cores();
                if !status.success() {
                    return Err(format!("arrival sweep failed: {status}").into());
                }
                Ok(((secs, foreign), secs, foreign))
            })?;
            sweeps.push((threads, results));
        }
    }

    print_tables(&all, &cli, runs);
    if !sweeps.is_empty() {
        println!("\n## Sweep: `arrival sweep benches/fixtures/sweep-200.toml` (200 runs of Offenbach, 5 years each)\n");
        println!("| threads | min s | median s | max s | runs per minute (median) | max other load (cores) |");
        println!("|--:|--:|--:|--:|--:|--:|");
        for (threads, results) in &sweeps {
            let secs: Vec<f64> = results.iter().map(|r| r.0).collect();
            let (lo, hi) = min_max(&secs);
            let med = secs[median_index(&secs)];
            let foreign = results.iter().map(|r| r.1).fold(0.0, f64::max);
            println!("| {threads} | {lo:.1} | {med:.1} | {hi:.1} | {:.0} | {foreign:.2} |", 200.0 / med * 60.0);
        }
    }
    eprintln!("engine bench: total {:.1} s", bench_started.elapsed().as_secs_f64());
    Ok(())
}

/// Runs the command-line program on Offenbach once: wall seconds around the child process, its
/// manifest, and its peak resident set as last sampled from `/proc/PID/status` (every 5 ms).
fn run_cli(scenario: &Path, threads: usize) -> Result<CliRun, BoxError> {
    let out = Path::new("/tmp/bench-ob");
    let load = ForeignLoad::start();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_arrival"))
        .arg("run")
        .arg(scenario)
        .args(["--out", "/tmp/bench-ob", "--force", "-q", "--threads", &threads.to_string()])
        .stdout(Stdio::null())
        .spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut hwm = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Some(h) = std::fs::read_to_string(&status_path).ok().as_deref().and_then(read_vm_hwm) {
            hwm = Some(h);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let seconds = started.elapsed().as_secs_f64();
    let foreign = load.cores();
    if !status.success() {
        return Err(format!("arrival run failed: {status}").into());
    }
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json"))?)?;
    Ok((seconds, manifest, hwm, foreign))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn print_tables(all: &[Runs], cli: &[(usize, Vec<CliRun>)], runs: usize) {
    println!("## Engine: `Simulation::run`, counting observer ({runs} runs per row, each in a fresh process)\n");
    println!(
        "| case | persons | districts | years | threads | min s | median s | max s | agent-years | \
         agent-years/s (median) | steady agent-years/s (years 2+) | peak records | peak MiB (VmHWM) | \
         bytes/record | bytes/initial person | max other load (cores) | runs discarded |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for r in all {
        let secs: Vec<f64> = r.results.iter().map(|v| f(v, "seconds")).collect();
        let m = &r.results[median_index(&secs)];
        let (lo, hi) = min_max(&secs);
        let steady: Vec<f64> = r.results.iter().map(|v| f(v, "steady_rate")).collect();
        let steady_median = steady[median_index(&steady)];
        let hwm = r.results.iter().map(|v| u(v, "vm_hwm_kib")).max().unwrap_or(0);
        let bytes = hwm as f64 * 1024.0;
        let foreign = r.results.iter().map(|v| f(v, "foreign_cores")).fold(0.0, f64::max);
        println!(
            "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {} | {:.2} M | {:.2} M | {} | {:.1} | {:.1} | {:.1} | {:.2} | {} |",
            r.case.name,
            u(m, "persons"),
            u(m, "districts"),
            r.case.years,
            r.threads,
            lo,
            f(m, "seconds"),
            hi,
            u(m, "agent_years"),
            u(m, "agent_years") as f64 / f(m, "seconds") / 1e6,
            steady_median / 1e6,
            u(m, "peak_records"),
            mib(hwm),
            bytes / u(m, "peak_records") as f64,
            bytes / u(m, "persons") as f64,
            foreign,
            r.discarded,
        );
    }

    println!("\n## Two-thread speed-up (median 1-thread s / median 2-thread s)\n");
    println!("| case | 1 thread s | 2 threads s | speed-up |");
    println!("|---|--:|--:|--:|");
    let median_secs = |r: &Runs| {
        let secs: Vec<f64> = r.results.iter().map(|v| f(v, "seconds")).collect();
        secs[median_index(&secs)]
    };
    for case in CASES {
        let one = all.iter().find(|r| r.case.name == case.name && r.threads == 1);
        let two = all.iter().find(|r| r.case.name == case.name && r.threads == 2);
        if let (Some(one), Some(two)) = (one, two) {
            let (a, b) = (median_secs(one), median_secs(two));
            println!("| {} | {a:.3} | {b:.3} | {:.2}× |", case.name, a / b);
        }
    }

    println!("\n## Scaling: nanoseconds per agent-year (median run, whole run incl. the initial population)\n");
    println!("| series | case | threads | ns per agent-year | relative to the first |");
    println!("|---|---|--:|--:|--:|");
    let series: [(&str, &[&str]); 2] = [
        ("persons (400 districts)", &["national-1m", "national-10m", "national-84m"]),
        ("districts (10 M persons)", &["national-10m-d20", "national-10m-d100", "national-10m"]),
    ];
    for (label, names) in series {
        for &threads in &[1usize, 2] {
            let mut first = None;
            for name in names {
                let Some(r) = all.iter().find(|r| r.case.name == *name && r.threads == threads) else { continue };
                let m = &r.results[median_index(&r.results.iter().map(|v| f(v, "seconds")).collect::<Vec<_>>())];
                let ns = f(m, "seconds") / u(m, "agent_years") as f64 * 1e9;
                let base = *first.get_or_insert(ns);
                println!("| {label} | {name} | {threads} | {ns:.1} | {:.2}× |", ns / base);
            }
        }
    }

    println!("\n## Seconds per simulated year (median run; year 1 includes drawing the initial population)\n");
    println!("| case | threads | agent-years by year (M) | seconds by year |");
    println!("|---|--:|---|---|");
    for r in all {
        let secs: Vec<f64> = r.results.iter().map(|v| f(v, "seconds")).collect();
        let m = &r.results[median_index(&secs)];
        let list = |key: &str, scale: f64, digits: usize| {
            m[key]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| format!("{:.*}", digits, x.as_f64().unwrap_or(f64::NAN) / scale))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default()
        };
        println!(
            "| {} | {} | {} | {} |",
            r.case.name,
            r.threads,
            list("year_agent_years", 1e6, 2),
            list("year_seconds", 1.0, 3)
        );
    }

    println!("\n## Memory detail\n");
    println!(
        "| case | threads | VmHWM before run MiB | VmHWM after run MiB | persons alive at end | initial native share |"
    );
    println!("|---|--:|--:|--:|--:|--:|");
    for r in all {
        let m = &r.results[0];
        let hwm = r.results.iter().map(|v| u(v, "vm_hwm_kib")).max().unwrap_or(0);
        println!(
            "| {} | {} | {:.1} | {:.1} | {} | {:.3} |",
            r.case.name,
            r.threads,
            mib(u(m, "vm_hwm_before_kib")),
            mib(hwm),
            u(m, "alive_end"),
            f(m, "native_share"),
        );
    }

    if !cli.is_empty() {
        println!(
            "\n## Full path: `arrival run scenarios/offenbach.toml --out /tmp/bench-ob --force -q --threads N` \
             ({runs} runs)\n"
        );
        println!(
            "| threads | min s | median s | max s | manifest wall_seconds (median run) | \
             manifest agent-years/s (median run) | wall agent-years/s | peak MiB (sampled) | max other load (cores) |"
        );
        println!("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (threads, results) in cli {
            let secs: Vec<f64> = results.iter().map(|r| r.0).collect();
            let (lo, hi) = min_max(&secs);
            let (s, manifest, _, _) = &results[median_index(&secs)];
            let hwm = results.iter().filter_map(|r| r.2).max();
            let foreign = results.iter().map(|r| r.3).fold(0.0, f64::max);
            println!(
                "| {threads} | {lo:.3} | {s:.3} | {hi:.3} | {:.3} | {:.2} M | {:.2} M | {} | {foreign:.2} |",
                f(manifest, "wall_seconds"),
                f(manifest, "agent_years_per_second") / 1e6,
                u(manifest, "agent_years") as f64 / s / 1e6,
                hwm.map(|h| format!("{:.1}", mib(h))).unwrap_or_else(|| "n/a".into()),
            );
        }
    }
}
