//! `summary.csv` and `summary.json`: the key metrics of a run over its replications, with mean,
//! standard deviation and a 95 % confidence interval for the mean.
//!
//! Each replication yields one value per (scope, city, group, metric):
//! - scope `final_year`: the metric in the last simulated year (per city, per group in a city,
//!   and per district, whose `group` column reads `district:NAME`);
//! - scope `whole_run`: rates averaged over the years, money summed over the years, and the
//!   Sisyphus index and paybacks on everything invested and returned during the run.
//!
//! Over R replications: mean, sample sd (R − 1), and mean ± t(0.975, R − 1)·sd/√R. With one
//! replication sd and the interval are empty. A metric undefined in some replications is
//! summarised over those where it is defined (`n` says how many).

use serde::Serialize;

use super::rows::{CityRow, YearRows};

/// One value of one replication.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub scope: &'static str,
    pub city: String,
    pub group: String,
    pub metric: &'static str,
    pub value: Option<f64>,
}

/// A row of `summary.csv`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SummaryRow {
    pub scope: String,
    pub city: String,
    pub group: String,
    pub metric: String,
    pub n: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Rates averaged over the years of the run (scope `whole_run`).
const AVERAGED: &[&str] = &[
    "fluctuation",
    "fluctuation_german",
    "fluctuation_foreign",
    "in_rate",
    "gross_rate",
    "intra_rate",
    "employment_rate",
    "unemployment_rate",
    "transfer_quota",
    "segregation_foreign",
    "theil_h",
];

/// Money summed over the years of the run (scope `whole_run`).
const SUMMED: &[&str] =
    &["costs", "investment", "returns", "city_costs", "city_returns", "balance_before", "balance_after"];

fn city_metrics(r: &CityRow) -> Vec<(&'static str, Option<f64>)> {
    let costs = (r.cost_transfers + r.cost_counselling + r.cost_courses + r.cost_admin + r.cost_neighbourhood) as f64;
    vec![
        ("population", Some(r.population as f64)),
        ("foreign_share", r.foreign_share),
        ("migration_background_share", r.migration_background_share),
        ("fluctuation", r.fluctuation),
        ("fluctuation_german", r.fluctuation_german),
        ("fluctuation_foreign", r.fluctuation_foreign),
        ("in_rate", r.in_rate),
        ("gross_rate", r.gross_rate),
        ("intra_rate", r.intra_rate),
        ("employment_rate", r.employment_rate),
        ("unemployment_rate", r.unemployment_rate),
        ("transfer_quota", r.transfer_quota),
        ("mean_language", r.mean_language),
        ("segregation_foreign", r.segregation_foreign),
        ("theil_h", r.theil_h),
        ("sisyphus", r.sisyphus),
        ("local_payback", r.local_payback),
        ("social_payback", r.social_payback),
        ("costs", Some(costs)),
        ("investment", Some(r.investment as f64)),
        ("returns", Some(r.returns as f64)),
        ("city_costs", Some(r.city_costs)),
        ("city_returns", Some(r.city_returns)),
        ("balance_before", Some(r.balance_before)),
        ("balance_after", Some(r.balance_after)),
    ]
}

/// A running (metric, sum, count) over the years.
type Running = (&'static str, f64, usize);

/// Metrics of a group in a city (scope `final_year`).
pub const GROUP_METRICS: &[&str] =
    &["population", "fluctuation", "employment_rate", "transfer_quota", "segregation_index", "noise_floor"];

/// Metrics of a district (scope `final_year`; the Sisyphus index and paybacks are cumulated over
/// the run).
pub const DISTRICT_METRICS: &[&str] =
    &["population", "foreign_share", "fluctuation", "transfer_quota", "sisyphus", "local_payback", "social_payback"];

/// Metrics of the whole run besides the averaged and summed ones.
const RUN_RATIOS: &[&str] = &["sisyphus", "local_payback", "social_payback"];

/// What an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    City,
    Group,
    District,
}

/// The metric names available for outcomes of a scope and level.
pub fn metric_names(scope: &str, level: Level) -> Vec<&'static str> {
    match (scope, level) {
        ("final_year", Level::City) => city_metrics(&CityRow::default()).into_iter().map(|(m, _)| m).collect(),
        ("final_year", Level::Group) => GROUP_METRICS.to_vec(),
        ("final_year", Level::District) => DISTRICT_METRICS.to_vec(),
        ("whole_run", Level::City) => AVERAGED.iter().chain(SUMMED).chain(RUN_RATIOS).copied().collect(),
        _ => Vec::new(),
    }
}

/// The value of one metric in a replication's observations.
pub fn find(observations: &[Observation], scope: &str, city: &str, group: &str, metric: &str) -> Option<f64> {
    observations
        .iter()
        .find(|o| o.scope == scope && o.metric == metric && o.city == city && o.group == group)
        .and_then(|o| o.value)
}

/// Collects one replication's observations year by year.
#[derive(Debug, Default)]
pub struct SummaryBuilder {
    last: Option<YearRows>,
    /// Per city: the running sum and count of each averaged or summed metric.
    running: Vec<(String, Vec<Running>)>,
}

impl SummaryBuilder {
    pub fn add_year(&mut self, rows: YearRows) {
        for r in &rows.cities {
            let pos = match self.running.iter().position(|(c, _)| *c == r.city) {
                Some(p) => p,
                None => {
                    let init = AVERAGED.iter().chain(SUMMED).map(|m| (*m, 0.0, 0)).collect();
                    self.running.push((r.city.clone(), init));
                    self.running.len() - 1
                }
            };
            let metrics = city_metrics(r);
            for (name, sum, count) in &mut self.running[pos].1 {
                if let Some(Some(v)) = metrics.iter().find(|(m, _)| m == name).map(|(_, v)| *v) {
                    *sum += v;
                    *count += 1;
                }
            }
        }
        self.last = Some(rows);
    }

    /// The replication's observations, in a fixed order.
    pub fn finish(self) -> Vec<Observation> {
        let mut out = Vec::new();
        let Some(last) = self.last else { return out };
        for r in &last.cities {
            for (metric, value) in city_metrics(r) {
                out.push(Observation {
                    scope: "final_year",
                    city: r.city.clone(),
                    group: String::new(),
                    metric,
                    value,
                });
            }
        }
        for g in &last.groups {
            let values = [
                Some(g.population as f64),
                g.fluctuation,
                g.employment_rate,
                g.transfer_quota,
                g.segregation_index,
                g.noise_floor,
            ];
            for (&metric, value) in GROUP_METRICS.iter().zip(values) {
                out.push(Observation {
                    scope: "final_year",
                    city: g.city.clone(),
                    group: g.group.clone(),
                    metric,
                    value,
                });
            }
        }
        for d in &last.districts {
            let values = [
                Some(d.population as f64),
                d.foreign_share,
                d.fluctuation,
                d.transfer_quota,
                d.sisyphus,
                d.local_payback,
                d.social_payback,
            ];
            for (&metric, value) in DISTRICT_METRICS.iter().zip(values) {
                out.push(Observation {
                    scope: "final_year",
                    city: d.city.clone(),
                    group: format!("district:{}", d.district),
                    metric,
                    value,
                });
            }
        }
        for (city, sums) in &self.running {
            for (metric, sum, count) in sums {
                let value =
                    if SUMMED.contains(metric) { Some(*sum) } else { (*count > 0).then(|| sum / *count as f64) };
                out.push(Observation { scope: "whole_run", city: city.clone(), group: String::new(), metric, value });
            }
            if let Some(r) = last.cities.iter().find(|r| r.city == *city) {
                for (&metric, value) in RUN_RATIOS.iter().zip([r.sisyphus, r.local_payback, r.social_payback]) {
                    out.push(Observation {
                        scope: "whole_run",
                        city: city.clone(),
                        group: String::new(),
                        metric,
                        value,
                    });
                }
            }
        }
        out
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df - 1],
        // Cornish–Fisher expansion around the normal quantile; error < 1e-3 beyond 30.
        _ => {
            let z: f64 = 1.959_964;
            let d = df as f64;
            z + (z.powi(3) + z) / (4.0 * d) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
        }
    }
}

/// Mean, sd and 95 % interval of some values.
pub fn describe(values: &[f64]) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
    let n = values.len();
    if n == 0 {
        return (None, None, None, None);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (Some(mean), None, None, None);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t_975(n - 1) * sd / (n as f64).sqrt();
    (Some(mean), Some(sd), Some(mean - half), Some(mean + half))
}

/// Summarises the replications' observations (each in the same order).
pub fn summarise(replications: &[Vec<Observation>]) -> Vec<SummaryRow> {
    let Some(first) = replications.first() else { return Vec::new() };
    (0..first.len())
        .map(|i| {
            let o = &first[i];
            let values: Vec<f64> = replications.iter().filter_map(|rep| rep.get(i).and_then(|x| x.value)).collect();
            let (mean, sd, ci_low, ci_high) = describe(&values);
            SummaryRow {
                scope: o.scope.to_string(),
                city: o.city.clone(),
                group: o.group.clone(),
                metric: o.metric.to_string(),
                n: values.len(),
                mean,
                sd,
                ci_low,
                ci_high,
            }
        })
        .collect()
}

/// `summary.csv` bytes.
pub fn to_csv(rows: &[SummaryRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        w.serialize(SummaryRow::default()).expect("serialises");
        let bytes = w.into_inner().expect("in memory");
        let end = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| p + 1);
        return bytes[..end].to_vec();
    }
    for r in rows {
        w.serialize(r).expect("summary rows serialise");
    }
    w.into_inner().expect("in memory")
}

/// `summary.json` text.
pub fn to_json(scenario: &str, replications: u32, rows: &[SummaryRow]) -> String {
    let value = serde_json::json!({
        "scenario": scenario,
        "replications": replications,
        "confidence": 0.95,
        "metrics": rows,
    });
    serde_json::to_string_pretty(&value).expect("serialises") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_by_hand() {
        // values 1, 2, 3, 4: mean 2.5, sd = sqrt(5/3) = 1.2910, half = 3.182 · 1.2910 / 2
        let (mean, sd, lo, hi) = describe(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(mean, Some(2.5));
        let sd = sd.unwrap();
        assert!((sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let half = 3.182 * sd / 2.0;
        assert!((lo.unwrap() - (2.5 - half)).abs() < 1e-12);
        assert!((hi.unwrap() - (2.5 + half)).abs() < 1e-12);
        assert_eq!(describe(&[7.0]), (Some(7.0), None, None, None));
        assert_eq!(describe(&[]), (None, None, None, None));
    }

    #[test]
    fn t_quantiles_approach_the_normal() {
        assert_eq!(t_975(1), 12.706);
        assert_eq!(t_975(30), 2.042);
        assert!((t_975(60) - 2.000).abs() < 2e-3);
        assert!((t_975(1000) - 1.962).abs() < 2e-3);
    }

    /// Intervals built this way cover the true mean at about the nominal rate.
    #[test]
    fn intervals_cover_the_true_mean_about_95_percent_of_the_time() {
        use crate::rng::{Purpose, StreamKey};
        let key = StreamKey::new(99, 0, Purpose::Initial);
        let trials = 4000;
        let mut covered = 0;
        for t in 0..trials {
            let mut r = key.stream(t);
            let values: Vec<f64> = (0..10).map(|_| 5.0 + 2.0 * r.normal()).collect();
            let (_, _, lo, hi) = describe(&values);
            if lo.unwrap() <= 5.0 && 5.0 <= hi.unwrap() {
                covered += 1;
            }
        }
        let rate = covered as f64 / trials as f64;
        assert!((0.935..=0.965).contains(&rate), "coverage {rate}");
    }
}
