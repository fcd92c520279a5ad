//! Observed district × group tables, for the `arrival indices` command: reading one from a CSV
//! file and writing its segregation indices (see [`super::segregation`]) as JSON or tidy CSV.
//!
//! # The CSV
//!
//! A header row, then one row per district. The first column is the district's name (any
//! header text); every further column is one group, headed by its name, holding whole numbers
//! of persons (≥ 0). The groups must partition the population: do not include a total column,
//! totals are the sums of the group columns. Columns are separated by commas, or by semicolons
//! when the header line has more semicolons than commas (as spreadsheets write in German
//! locales). Spaces around fields are ignored; a UTF-8 byte-order mark is skipped.
//!
//! A group whose column sums to 0 is read: its indices are undefined (`null`). Everything else
//! that is wrong is an [`InputError`] naming the file, the 1-based line and the problem:
//! a missing or unreadable file, a directory, an empty file, a header with fewer than two
//! columns, an unnamed or repeated group column, a row with the wrong number of fields, an
//! empty or repeated district name, and a count that is empty, not a number, negative,
//! fractional or too large. [`native_column`] finds the natives' column by name, with a
//! did-you-mean suggestion when it is missing.
//!
//! # The output
//!
//! [`indices_json`] gives
//! `{"groups": {NAME: {"segregation_index", "segregation_index_vs_total", "isolation",
//! "exposure_to_native", "noise_floor"}}, "all_foreign": {same keys},
//! "multigroup": {"theil_h", "dissimilarity"}}`, undefined indices as `null`. A
//! `serde_json::Value` keeps object keys in alphabetical order (this crate's `serde_json` has
//! no `preserve_order` feature), so in the `Value` the groups are alphabetical;
//! [`indices_json_text`] writes the same document with the groups in column order.
//! [`indices_csv`] gives a tidy table `group,index,value`, one row per (group, index), groups
//! in column order followed by `all_foreign` and `multigroup`, an empty value when undefined.

// The API is fixed to return the crate's `InputError` by value (as the scenario loader does);
// clippy's size lint fires on every such function across the crate, so the remedy (boxing the
// error, or allowing the lint in Cargo.toml) is crate-wide, not this module's.

use std::path::Path;

use crate::error::InputError;
use crate::scenario::suggest;

use super::segregation::{CountTable, GroupIndices, SegregationReport};

/// A count above this is rejected as a typo: it is more persons than live on Earth, and sums
/// of such counts cannot overflow.
const LARGEST_COUNT: u64 = 1_000_000_000_000;

const COUNT_HINT: &str = "counts are whole numbers of persons (0 or more) without thousands separators, e.g. 1234";

/// Reads a district × group table from a CSV file (see the module doc for the format).
pub fn read_table(path: &Path) -> Result<CountTable, InputError> {
    let bytes = read_bytes(path)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(detect_delimiter(text))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text);
    let header = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let groups = group_names(path, &header)?;
    let mut districts: Vec<(String, usize)> = Vec::new();
    let mut counts = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let district = district_name(path, line, &record, &districts)?;
        for (field, group) in record.iter().skip(1).zip(&groups) {
            counts.push(parse_count(field).map_err(|(rule, hint)| {
                at_line(path, line, format!("district \"{district}\", column \"{group}\": {rule}")).with_hint(hint)
            })?);
        }
        districts.push((district, line));
    }
    if districts.is_empty() {
        return Err(InputError::file(
            path,
            "the table has no data rows: expected one row per district after the header",
        ));
    }
    let districts = districts.into_iter().map(|(name, _)| name).collect();
    Ok(CountTable::new(districts, groups, counts))
}

/// The column of the natives in `table`, by its header name (exact match). When there is no
/// such column the error, located at the header of `path`, suggests the closest name.
pub fn native_column(table: &CountTable, path: &Path, name: &str) -> Result<usize, InputError> {
    table.group_index(name).ok_or_else(|| {
        let error = at_line(path, 1, format!("no group column named \"{name}\""));
        match suggest::closest(name, table.groups.iter().map(String::as_str)) {
            Some(best) => error.with_hint(format!("did you mean \"{best}\"?")),
            None => error.with_hint(format!("the group columns are: {}", table.groups.join(", "))),
        }
    })
}

/// The report as a JSON value (groups in alphabetical order; see the module doc).
pub fn indices_json(report: &SegregationReport) -> serde_json::Value {
    serde_json::to_value(report).expect("a report of names and numbers always serialises")
}

/// The report as pretty-printed JSON text with the groups in column order.
pub fn indices_json_text(report: &SegregationReport) -> String {
    serde_json::to_string_pretty(report).expect("a report of names and numbers always serialises")
}

/// The report as a tidy CSV `group,index,value` (see the module doc).
pub fn indices_csv(report: &SegregationReport) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["group", "index", "value"]).expect("writing to memory cannot fail");
    let mut write = |group: &str, index: &str, value: Option<f64>| {
        let value = value.map(|v| v.to_string()).unwrap_or_default();
        writer.write_record([group, index, value.as_str()]).expect("writing to memory cannot fail");
    };
    for named in &report.groups {
        for (index, value) in named_values(&named.indices) {
            write(&named.group, index, value);
        }
    }
    for (index, value) in named_values(&report.all_foreign) {
        write("all_foreign", index, value);
    }
    write("multigroup", "theil_h", report.multigroup.theil_h);
    write("multigroup", "dissimilarity", report.multigroup.dissimilarity);
    let bytes = writer.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV is built from UTF-8 strings")
}

/// The five indices of a group with their names, in output order.
fn named_values(indices: &GroupIndices) -> [(&'static str, Option<f64>); 5] {
    [
        ("segregation_index", indices.segregation_index),
        ("segregation_index_vs_total", indices.segregation_index_vs_total),
        ("isolation", indices.isolation),
        ("exposure_to_native", indices.exposure_to_native),
        ("noise_floor", indices.noise_floor),
    ]
}

// ---------------------------------------------------------------------------------------------
// Reading, piece by piece.

fn at_line(path: &Path, line: usize, rule: impl Into<String>) -> InputError {
    let mut error = InputError::file(path, rule);
    error.line = Some(line);
    error
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let metadata = std::fs::metadata(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        InputError::file(path, format!("cannot read table: {why}"))
    })?;
    if metadata.is_dir() {
        return Err(InputError::file(path, "is a directory, not a CSV table")
            .with_hint("name a CSV file with a header row and one row per district"));
    }
    std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read table: {e}")))
}

/// `;` when the first line has more semicolons than commas, else `,`.
fn detect_delimiter(text: &[u8]) -> u8 {
    let first_line = text.split(|&byte| byte == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|&&byte| byte == b';').count();
    let commas = first_line.iter().filter(|&&byte| byte == b',').count();
    if semicolons > commas { b';' } else { b',' }
}

fn csv_error(path: &Path, error: csv::Error) -> InputError {
    let line_of = |position: &Option<csv::Position>| position.as_ref().map(|p| p.line() as usize);
    let (line, rule) = match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
            (line_of(pos), format!("the row has {len} fields but the header has {expected_len}"))
        }
        csv::ErrorKind::Utf8 { pos, .. } => (line_of(pos), "the file is not valid UTF-8".to_string()),
        csv::ErrorKind::Io(e) => (None, format!("cannot read table: {e}")),
        _ => (error.position().map(|p| p.line() as usize), format!("invalid CSV: {error}")),
    };
    let mut input_error = InputError::file(path, rule);
    input_error.line = line;
    input_error
}

/// The group names from the header: at least one, none empty, none repeated.
fn group_names(path: &Path, header: &csv::StringRecord) -> Result<Vec<String>, InputError> {
    if header.is_empty() {
        return Err(InputError::file(path, "the table is empty: expected a header row and one row per district"));
    }
    if header.len() < 2 {
        return Err(at_line(
            path,
            1,
            "the header has only 1 column; expected the district column and at least one group column",
        )
        .with_hint("separate columns with commas (or semicolons), e.g. `district,native,Turkey`"));
    }
    let mut groups: Vec<String> = Vec::new();
    for (offset, name) in header.iter().skip(1).enumerate() {
        let column = offset + 2;
        if name.is_empty() {
            return Err(at_line(path, 1, format!("column {column} has no name in the header")));
        }
        if let Some(earlier) = groups.iter().position(|group| group == name) {
            return Err(at_line(
                path,
                1,
                format!("group column \"{name}\" appears twice (columns {} and {column})", earlier + 2),
            )
            .with_hint("give every group column a different name"));
        }
        groups.push(name.to_string());
    }
    Ok(groups)
}

/// The district name of a row: not empty and not seen before.
fn district_name(
    path: &Path,
    line: usize,
    record: &csv::StringRecord,
    earlier_districts: &[(String, usize)],
) -> Result<String, InputError> {
    let name = record.get(0).unwrap_or_default();
    if name.is_empty() {
        return Err(at_line(path, line, "the district name (first column) is empty"));
    }
    if let Some((_, earlier_line)) = earlier_districts.iter().find(|(earlier, _)| earlier == name) {
        return Err(at_line(
            path,
            line,
            format!("district \"{name}\" appears twice (lines {earlier_line} and {line})"),
        )
        .with_hint("give one row per district"));
    }
    Ok(name.to_string())
}

/// A count: a whole number from 0 to [`LARGEST_COUNT`] (`12.0` and `1e3` are accepted as whole
/// numbers). The error is (rule, hint).
fn parse_count(field: &str) -> Result<u64, (String, &'static str)> {
    if field.is_empty() {
        return Err(("the count is empty".to_string(), "write 0 for a group absent from the district"));
    }
    let value = match field.parse::<u64>() {
        Ok(whole) => whole as f64,
        Err(_) => match field.parse::<f64>() {
            Ok(number) if number.is_finite() => number,
            _ => return Err((format!("\"{field}\" is not a number"), COUNT_HINT)),
        },
    };
    if value < 0.0 {
        return Err((format!("\"{field}\" is negative"), COUNT_HINT));
    }
    if value.fract() != 0.0 {
        return Err((format!("\"{field}\" is not a whole number"), COUNT_HINT));
    }
    if value > LARGEST_COUNT as f64 {
        return Err((format!("\"{field}\" is too large (more than 10^12 persons)"), COUNT_HINT));
    }
    Ok(value as u64)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::{Value, json};

    use super::*;
    use crate::metrics::segregation::{
        DEFAULT_NOISE_FLOOR_DRAWS, DEFAULT_NOISE_FLOOR_SEED, noise_floor, segregation_report,
    };

    /// A fresh directory for one test, unique to this process and test.
    fn scratch_dir(test_name: &str) -> PathBuf {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("arrival-city-observed-{}-{test_name}-{call}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Writes `contents` to `table.csv` in a fresh directory and reads it back.
    fn read_text(test_name: &str, contents: &str) -> (PathBuf, Result<CountTable, InputError>) {
        let dir = scratch_dir(test_name);
        let path = dir.join("table.csv");
        std::fs::write(&path, contents).unwrap();
        let result = read_table(&path);
        let _ = std::fs::remove_dir_all(&dir);
        (path, result)
    }

    fn read_error(test_name: &str, contents: &str) -> InputError {
        let (path, result) = read_text(test_name, contents);
        let error = result.expect_err("the table should be rejected");
        assert_eq!(error.file, Some(path.display().to_string()));
        error
    }

    fn assert_error(error: &InputError, line: Option<usize>, rule: &str, hint: Option<&str>) {
        assert_eq!(error.rule, rule);
        assert_eq!(error.line, line, "line of: {rule}");
        assert_eq!(error.hint.as_deref(), hint, "hint of: {rule}");
    }

    #[test]
    fn missing_file() {
        let path = scratch_dir("missing_file").join("nowhere.csv");
        let error = read_table(&path).unwrap_err();
        assert_eq!(error.to_string(), format!("{}: cannot read table: no such file", path.display()));
        assert_error(&error, None, "cannot read table: no such file", None);
    }

    #[test]
    fn directory_instead_of_file() {
        let dir = scratch_dir("directory_instead_of_file");
        let error = read_table(&dir).unwrap_err();
        let hint = Some("name a CSV file with a header row and one row per district");
        assert_error(&error, None, "is a directory, not a CSV table", hint);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn empty_file() {
        let error = read_error("empty_file", "");
        assert_error(&error, None, "the table is empty: expected a header row and one row per district", None);
    }

    #[test]
    fn header_without_data_rows() {
        let error = read_error("header_without_data_rows", "district,native,Turkey\n");
        let rule = "the table has no data rows: expected one row per district after the header";
        assert_error(&error, None, rule, None);
    }

    #[test]
    fn fewer_than_two_columns() {
        let error = read_error("fewer_than_two_columns", "district\nNordend\n");
        let rule = "the header has only 1 column; expected the district column and at least one group column";
        let hint = Some("separate columns with commas (or semicolons), e.g. `district,native,Turkey`");
        assert_error(&error, Some(1), rule, hint);
    }

    #[test]
    fn non_numeric_count() {
        let error = read_error("non_numeric_count", "district,native,Turkey\nNordend,100,20\nSüd,200,abc\n");
        assert_error(&error, Some(3), "district \"Süd\", column \"Turkey\": \"abc\" is not a number", Some(COUNT_HINT));
        assert!(error.to_string().ends_with(
            ":3: district \"Süd\", column \"Turkey\": \"abc\" is not a number\n  help: counts are whole numbers of \
             persons (0 or more) without thousands separators, e.g. 1234"
        ));
    }

    #[test]
    fn negative_count() {
        let error = read_error("negative_count", "district,native,Turkey\nNordend,-3,20\n");
        assert_error(&error, Some(2), "district \"Nordend\", column \"native\": \"-3\" is negative", Some(COUNT_HINT));
    }

    #[test]
    fn fractional_count() {
        let error = read_error("fractional_count", "district,native,Turkey\nNordend,100,12.5\n");
        let rule = "district \"Nordend\", column \"Turkey\": \"12.5\" is not a whole number";
        assert_error(&error, Some(2), rule, Some(COUNT_HINT));
    }

    #[test]
    fn empty_and_huge_counts() {
        let error = read_error("empty_count", "district,native,Turkey\nNordend,100,\n");
        let hint = Some("write 0 for a group absent from the district");
        assert_error(&error, Some(2), "district \"Nordend\", column \"Turkey\": the count is empty", hint);
        let error = read_error("huge_count", "district,native,Turkey\nNordend,100,1e13\n");
        let rule = "district \"Nordend\", column \"Turkey\": \"1e13\" is too large (more than 10^12 persons)";
        assert_error(&error, Some(2), rule, Some(COUNT_HINT));
        let error = read_error("nan_count", "district,native,Turkey\nNordend,NaN,1\n");
        assert_error(
            &error,
            Some(2),
            "district \"Nordend\", column \"native\": \"NaN\" is not a number",
            Some(COUNT_HINT),
        );
    }

    #[test]
    fn duplicate_group_columns() {
        let error = read_error("duplicate_group_columns", "district,native,Turkey,Poland,Turkey\nNordend,1,2,3,4\n");
        let hint = Some("give every group column a different name");
        assert_error(&error, Some(1), "group column \"Turkey\" appears twice (columns 3 and 5)", hint);
    }

    #[test]
    fn unnamed_group_column() {
        let error = read_error("unnamed_group_column", "district,native,\nNordend,1,2\n");
        assert_error(&error, Some(1), "column 3 has no name in the header", None);
    }

    #[test]
    fn row_with_wrong_number_of_fields() {
        let error = read_error("wrong_field_count", "district,native,Turkey\nNordend,1,2\nSüd,1\n");
        assert_error(&error, Some(3), "the row has 2 fields but the header has 3", None);
    }

    #[test]
    fn empty_or_repeated_district() {
        let error = read_error("repeated_district", "district,native,Turkey\nNordend,1,2\nSüd,1,1\nNordend,3,4\n");
        let hint = Some("give one row per district");
        assert_error(&error, Some(4), "district \"Nordend\" appears twice (lines 2 and 4)", hint);
        let error = read_error("empty_district", "district,native,Turkey\n,1,2\n");
        assert_error(&error, Some(2), "the district name (first column) is empty", None);
    }

    #[test]
    fn invalid_utf8() {
        let dir = scratch_dir("invalid_utf8");
        let path = dir.join("table.csv");
        std::fs::write(&path, b"district,native\nN\xFFrdend,1\n").unwrap();
        let error = read_table(&path).unwrap_err();
        assert_error(&error, Some(2), "the file is not valid UTF-8", None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_native_column_suggests_the_closest() {
        let (path, table) = read_text("missing_native_column", "district,Deutsche,Turkey\nNordend,1,2\n");
        let table = table.unwrap();
        let error = native_column(&table, &path, "deutsch").unwrap_err();
        assert_error(&error, Some(1), "no group column named \"deutsch\"", Some("did you mean \"Deutsche\"?"));
        let error = native_column(&table, &path, "natives").unwrap_err();
        let hint = Some("the group columns are: Deutsche, Turkey");
        assert_error(&error, Some(1), "no group column named \"natives\"", hint);
        assert_eq!(native_column(&table, &path, "Turkey"), Ok(1));
    }

    #[test]
    fn reads_semicolons_bom_spaces_and_zero_columns() {
        let contents = "\u{FEFF}Stadtteil; Deutsche; Syrien; Türkei\nNordend; 100; 0; 12.0\nSüd;200;0;3\n";
        let (_, table) = read_text("semicolons", contents);
        let table = table.unwrap();
        assert_eq!(table.districts, ["Nordend", "Süd"]);
        assert_eq!(table.groups, ["Deutsche", "Syrien", "Türkei"]);
        assert_eq!(table.counts, [100, 0, 12, 200, 0, 3]);
        // A group that is absent everywhere is read; its indices are undefined.
        let report = segregation_report(&table, Some(0), 5, 1);
        assert_eq!(
            report.groups[0].indices,
            GroupIndices {
                segregation_index: None,
                segregation_index_vs_total: None,
                isolation: None,
                exposure_to_native: None,
                noise_floor: None,
            }
        );
    }

    /// natives 20, 30, 70; Turkey 20, 10, 10; Syria 0 everywhere (the hand-worked table of the
    /// segregation tests, plus an absent group).
    const FULL_TABLE: &str = "district,native,Turkey,Syria\nNordend,20,20,0\nOstend,30,10,0\nSüd,70,10,0\n";

    /// Same keys everywhere, same nulls, numbers within 1e-12.
    fn assert_json_close(actual: &Value, expected: &Value, at: &str) {
        match (actual, expected) {
            (Value::Object(actual), Value::Object(expected)) => {
                let actual_keys: Vec<&String> = actual.keys().collect();
                let expected_keys: Vec<&String> = expected.keys().collect();
                assert_eq!(actual_keys, expected_keys, "keys at {at}");
                for (key, value) in expected {
                    assert_json_close(&actual[key], value, &format!("{at}.{key}"));
                }
            }
            (Value::Number(actual), Value::Number(expected)) => {
                let (actual, expected) = (actual.as_f64().unwrap(), expected.as_f64().unwrap());
                assert!((actual - expected).abs() < 1e-12, "{at}: {actual} vs {expected}");
            }
            _ => assert_eq!(actual, expected, "at {at}"),
        }
    }

    fn full_report() -> (CountTable, SegregationReport) {
        let (path, table) = read_text("full_table", FULL_TABLE);
        let table = table.unwrap();
        let native = native_column(&table, &path, "native").unwrap();
        let report = segregation_report(&table, Some(native), DEFAULT_NOISE_FLOOR_DRAWS, DEFAULT_NOISE_FLOOR_SEED);
        (table, report)
    }

    #[test]
    fn full_table_to_json() {
        let (table, report) = full_report();
        let floor = noise_floor(&table, 1, DEFAULT_NOISE_FLOOR_DRAWS, DEFAULT_NOISE_FLOOR_SEED).unwrap();
        assert!(floor > 0.0 && floor < 1.0);
        // Worked out by hand in the segregation tests: IS = 1/3, IS vs total = 1/4,
        // isolation = 0.34375, exposure = 0.65625, H ≈ 0.1068393, multigroup D = 1/3 (the
        // absent group adds nothing). "All foreign" is Turkey + Syria = Turkey.
        let city = 0.25 * 4f64.ln() + 0.75 * (4.0f64 / 3.0).ln();
        let third = 0.125 * 8f64.ln() + 0.875 * (8.0f64 / 7.0).ln();
        let theil_h = (40.0 * (city - 2f64.ln()) + 80.0 * (city - third)) / (160.0 * city);
        let turkey = json!({
            "segregation_index": 1.0 / 3.0,
            "segregation_index_vs_total": 0.25,
            "isolation": 0.34375,
            "exposure_to_native": 0.65625,
            "noise_floor": floor,
        });
        let expected = json!({
            "groups": {
                "Turkey": turkey,
                "Syria": {
                    "segregation_index": null,
                    "segregation_index_vs_total": null,
                    "isolation": null,
                    "exposure_to_native": null,
                    "noise_floor": null,
                },
            },
            "all_foreign": turkey,
            "multigroup": { "theil_h": theil_h, "dissimilarity": 1.0 / 3.0 },
        });
        assert_json_close(&indices_json(&report), &expected, "");
        // The text keeps the column order: Turkey before Syria.
        let text = indices_json_text(&report);
        assert!(text.find("\"Turkey\"").unwrap() < text.find("\"Syria\"").unwrap(), "{text}");
        let reparsed: Value = serde_json::from_str(&text).unwrap();
        // (serde_json's parser may differ from the printed value in the last bit.)
        assert_json_close(&reparsed, &indices_json(&report), "");
    }

    #[test]
    fn full_table_to_tidy_csv() {
        let (_, report) = full_report();
        let csv = indices_csv(&report);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 5 + 5 + 5 + 2);
        assert_eq!(lines[0], "group,index,value");
        assert_eq!(
            lines[1],
            format!("Turkey,segregation_index,{}", report.groups[0].indices.segregation_index.unwrap())
        );
        assert_eq!(lines[2], "Turkey,segregation_index_vs_total,0.25");
        assert_eq!(lines[3], "Turkey,isolation,0.34375");
        assert_eq!(lines[6], "Syria,segregation_index,");
        assert!(lines[11].starts_with("all_foreign,segregation_index,0.333333333333333"), "{}", lines[11]);
        assert_eq!(lines[14], "all_foreign,exposure_to_native,0.65625");
        assert!(lines[16].starts_with("multigroup,theil_h,0.10683928"), "{}", lines[16]);
        assert!(lines[17].starts_with("multigroup,dissimilarity,0.333333333333333"), "{}", lines[17]);
    }

    #[test]
    fn tidy_csv_quotes_group_names() {
        let table = CountTable::from_rows(
            vec!["a".into(), "b".into()],
            vec!["native".into(), "Bosnia, Herzegovina".into()],
            &[vec![10, 1], vec![10, 3]],
        );
        let csv = indices_csv(&segregation_report(&table, Some(0), 3, 1));
        assert!(csv.contains("\n\"Bosnia, Herzegovina\",isolation,"), "{csv}");
    }
}
