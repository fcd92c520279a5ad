//! The runs of a sweep on disk: `runs.csv`, appended to as runs finish and read back to resume.
//!
//! While a sweep runs, `runs.csv` is a journal in the order runs finish; each row is written and
//! flushed whole, so a killed sweep loses at most the row being written. Reading repairs a
//! truncated last line (it is dropped and the file cut back to the last complete row). When the
//! sweep is complete, the file is rewritten sorted by run id, so its bytes do not depend on the
//! order runs finished in, on sharding or on resuming.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::error::Error;

/// One run of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub run_id: u64,
    pub point_id: u64,
    pub replication: u32,
    pub seed: u64,
    /// `ok`, or `failed: <message>`.
    pub status: String,
    pub parameters: Vec<f64>,
    pub outcomes: Vec<Option<f64>>,
}

impl RunRecord {
    pub fn ok(&self) -> bool {
        self.status == "ok"
    }
}

/// The header of `runs.csv`.
pub fn header(parameters: &[String], outcomes: &[String]) -> Vec<String> {
    let mut h: Vec<String> =
        ["run_id", "point_id", "replication", "seed", "status"].iter().map(|s| s.to_string()).collect();
    h.extend(parameters.iter().cloned());
    h.extend(outcomes.iter().cloned());
    h
}

/// A number as written in the tables (shortest representation that reads back the same).
pub fn number(x: f64) -> String {
    format!("{x}")
}

fn fields(r: &RunRecord) -> Vec<String> {
    let mut f = vec![
        r.run_id.to_string(),
        r.point_id.to_string(),
        r.replication.to_string(),
        r.seed.to_string(),
        r.status.clone(),
    ];
    f.extend(r.parameters.iter().map(|&x| number(x)));
    f.extend(r.outcomes.iter().map(|x| x.map(number).unwrap_or_default()));
    f
}

/// One CSV line for a record.
pub fn line(r: &RunRecord) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(fields(r)).expect("in-memory CSV");
    w.into_inner().expect("in-memory CSV")
}

/// Appends finished runs to `runs.csv`.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens `path` for appending, writing the header if the file is new or empty.
    pub fn open(path: &Path, header: &[String]) -> Result<Self, Error> {
        let io = |e: std::io::Error| Error::internal(format!("cannot write {}: {e}", path.display()));
        let fresh = fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true);
        let mut file = OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
        if fresh {
            let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            w.write_record(header).expect("in-memory CSV");
            file.write_all(&w.into_inner().expect("in-memory CSV")).map_err(io)?;
            file.flush().map_err(io)?;
        }
        Ok(Journal { file })
    }

    /// Writes one finished run as a single write of a whole line.
    pub fn append(&mut self, r: &RunRecord) -> Result<(), Error> {
        self.file
            .write_all(&line(r))
            .and_then(|_| self.file.flush())
            .map_err(|e| Error::internal(format!("cannot append to runs.csv: {e}")))
    }
}

/// Reads `runs.csv`, cutting a truncated last line off the file. Returns the records (in file
/// order) and the header.
pub fn read(path: &Path) -> Result<(Vec<String>, Vec<RunRecord>), Error> {
    let io = |e: std::io::Error| Error::internal(format!("cannot read {}: {e}", path.display()));
    let bytes = fs::read(path).map_err(io)?;
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    if complete < bytes.len() {
        let f = OpenOptions::new().write(true).open(path).map_err(io)?;
        f.set_len(complete as u64).map_err(io)?;
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..complete]);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => return Ok((Vec::new(), Vec::new())),
    };
    let n_params = header.iter().skip(5).count();
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::internal(format!("{}: {e}", path.display())))?;
        let get = |i: usize| rec.get(i).unwrap_or("");
        let parse_u =
            |s: &str| s.parse::<u64>().map_err(|_| Error::internal(format!("{}: bad number {s:?}", path.display())));
        out.push((rec.clone(), parse_u(get(0))?, parse_u(get(1))?, parse_u(get(2))? as u32, parse_u(get(3))?));
    }
    // Split the value columns into parameters and outcomes later, when the sweep says how many
    // parameters there are; here every value column is kept in order.
    let records = out
        .into_iter()
        .map(|(rec, run_id, point_id, replication, seed)| {
            let values: Vec<Option<f64>> = (5..5 + n_params).map(|i| rec.get(i).and_then(|s| s.parse().ok())).collect();
            RunRecord {
                run_id,
                point_id,
                replication,
                seed,
                status: rec.get(4).unwrap_or("").to_string(),
                parameters: Vec::new(),
                outcomes: values,
            }
        })
        .collect();
    Ok((header, records))
}

/// Splits the value columns read by [`read`] into parameters and outcomes.
pub fn split_values(records: &mut [RunRecord], n_parameters: usize) {
    for r in records {
        let values = std::mem::take(&mut r.outcomes);
        r.parameters = values.iter().take(n_parameters).map(|v| v.unwrap_or(f64::NAN)).collect();
        r.outcomes = values.into_iter().skip(n_parameters).collect();
    }
}

/// Writes `runs.csv` sorted by run id (atomically).
pub fn write_sorted(path: &Path, header: &[String], records: &mut [RunRecord]) -> Result<(), Error> {
    records.sort_by_key(|r| r.run_id);
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(header).expect("in-memory CSV");
    for r in records.iter() {
        w.write_record(fields(r)).expect("in-memory CSV");
    }
    crate::output::dir::write_file(path, &w.into_inner().expect("in-memory CSV"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(run_id: u64, status: &str) -> RunRecord {
        RunRecord {
            run_id,
            point_id: run_id / 2,
            replication: (run_id % 2) as u32,
            seed: 7 + run_id % 2,
            status: status.into(),
            parameters: vec![1.5, 3.0],
            outcomes: vec![Some(0.25), None],
        }
    }

    #[test]
    fn journal_round_trips_and_repairs_a_truncated_line() {
        let dir = std::env::temp_dir().join(format!("arrival-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("runs.csv");
        let header = header(&["a".into(), "b".into()], &["x".into(), "y".into()]);
        let mut j = Journal::open(&path, &header).unwrap();
        j.append(&record(3, "ok")).unwrap();
        j.append(&record(1, "failed: bad value, really")).unwrap();
        drop(j);
        // a killed writer leaves half a line
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"5,2,1,8,ok,1.5").unwrap();
        drop(f);
        let (h, mut records) = read(&path).unwrap();
        assert_eq!(h, header);
        split_values(&mut records, 2);
        assert_eq!(records, vec![record(3, "ok"), record(1, "failed: bad value, really")]);
        assert!(fs::read_to_string(&path).unwrap().ends_with('\n'), "the partial line is cut off");
        write_sorted(&path, &h, &mut records).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "run_id,point_id,replication,seed,status,a,b,x,y\n1,0,1,8,\"failed: bad value, really\",1.5,3,0.25,\n3,1,1,8,ok,1.5,3,0.25,\n"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
