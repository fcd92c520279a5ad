//! Writing the result tables: each replication streams its rows to its own part files, which
//! are joined in replication order when all are done. Replications can run in parallel, memory
//! does not grow with the run's length, and the joined files are the same whatever the order in
//! which replications finished.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::rows::{CityRow, CohortRow, DistrictRow, FlowRow, GroupRow, RegionRow, YearRows};
use crate::error::Error;

/// The per-year tables, in the order they are documented.
pub const TABLES: &[(&str, &str)] = &[
    ("city_year", "per city and year: population, flows, turnover, labour, segregation, money, Sisyphus index"),
    ("district_year", "per district and year: population, flows, district fluctuation, labour, money, Sisyphus index"),
    ("group_year", "per city, group and year: population, flows, turnover, labour, segregation indices"),
    ("region_year", "per year: the region, the rest of the country, diverted arrivals, ledger merges"),
    ("cohort_year", "per group, years since arrival and year: employment and language of the foreign-born aged 18-64"),
    ("flows", "per investing district and place of realisation: returns on the district's investment over the run"),
];

fn io(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::internal(format!("cannot write {}: {e}", path.display()))
}

type Csv = csv::Writer<BufWriter<File>>;

fn open(dir: &Path, table: &str, replication: u32) -> Result<(Csv, PathBuf), Error> {
    let path = part_path(dir, table, replication);
    let file = File::create(&path).map_err(|e| io(&path, e))?;
    let w = csv::WriterBuilder::new().has_headers(false).from_writer(BufWriter::new(file));
    Ok((w, path))
}

fn part_path(dir: &Path, table: &str, replication: u32) -> PathBuf {
    dir.join("parts").join(format!("{table}.{replication:06}.csv"))
}

/// The part files of one replication.
pub struct PartWriters {
    cities: Csv,
    districts: Csv,
    groups: Csv,
    region: Csv,
    cohorts: Csv,
    flows: Csv,
    first: PathBuf,
}

impl PartWriters {
    pub fn open(dir: &Path, replication: u32) -> Result<Self, Error> {
        let parts = dir.join("parts");
        fs::create_dir_all(&parts).map_err(|e| io(&parts, e))?;
        let (cities, first) = open(dir, "city_year", replication)?;
        Ok(PartWriters {
            cities,
            districts: open(dir, "district_year", replication)?.0,
            groups: open(dir, "group_year", replication)?.0,
            region: open(dir, "region_year", replication)?.0,
            cohorts: open(dir, "cohort_year", replication)?.0,
            flows: open(dir, "flows", replication)?.0,
            first,
        })
    }

    fn rows<T: Serialize>(w: &mut Csv, rows: &[T], path: &Path) -> Result<(), Error> {
        for r in rows {
            w.serialize(r).map_err(|e| io(path, e))?;
        }
        Ok(())
    }

    pub fn write_year(&mut self, rows: &YearRows) -> Result<(), Error> {
        let p = self.first.clone();
        Self::rows(&mut self.cities, &rows.cities, &p)?;
        Self::rows(&mut self.districts, &rows.districts, &p)?;
        Self::rows(&mut self.groups, &rows.groups, &p)?;
        Self::rows(&mut self.region, &rows.region, &p)?;
        Self::rows(&mut self.cohorts, &rows.cohorts, &p)
    }

    pub fn write_flows(&mut self, rows: &[FlowRow]) -> Result<(), Error> {
        let p = self.first.clone();
        Self::rows(&mut self.flows, rows, &p)
    }

    pub fn finish(self) -> Result<(), Error> {
        for mut w in [self.cities, self.districts, self.groups, self.region, self.cohorts, self.flows] {
            w.flush().map_err(|e| io(&self.first, e))?;
        }
        Ok(())
    }
}

fn header<T: Serialize + Default>() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default()).expect("a default row serialises");
    let bytes = w.into_inner().expect("in-memory writer");
    let end = bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| p + 1);
    bytes[..end].to_vec()
}

/// The header line of a table.
pub fn table_header(table: &str) -> Vec<u8> {
    match table {
        "city_year" => header::<CityRow>(),
        "district_year" => header::<DistrictRow>(),
        "group_year" => header::<GroupRow>(),
        "region_year" => header::<RegionRow>(),
        "cohort_year" => header::<CohortRow>(),
        "flows" => header::<FlowRow>(),
        other => panic!("unknown table {other}"),
    }
}

/// Joins the part files of `replications` into `TABLE.csv` files and removes the parts.
pub fn join_parts(dir: &Path, replications: u32) -> Result<(), Error> {
    for (table, _) in TABLES {
        let path = dir.join(format!("{table}.csv"));
        let file = File::create(&path).map_err(|e| io(&path, e))?;
        let mut out = BufWriter::new(file);
        out.write_all(&table_header(table)).map_err(|e| io(&path, e))?;
        for r in 0..replications {
            let part = part_path(dir, table, r);
            let mut f = File::open(&part).map_err(|e| io(&part, e))?;
            std::io::copy(&mut f, &mut out).map_err(|e| io(&path, e))?;
        }
        let file = out.into_inner().map_err(|e| io(&path, e.error()))?;
        file.sync_all().map_err(|e| io(&path, e))?;
    }
    let parts = dir.join("parts");
    fs::remove_dir_all(&parts).map_err(|e| io(&parts, e))?;
    Ok(())
}
