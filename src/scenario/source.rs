//! Reading scenario files: the `extends` chain, syntax and schema errors with their position, the
//! merge of a chain into one table, and finding where a key path was written.
//!
//! Each file is checked on its own against the wire schema, so unknown keys and wrong types are
//! reported with the line they stand on. Merging follows three rules: tables merge key by key, the
//! named arrays (`[[city]]`, `[[district]]`, `[[group]]`) merge entry by entry on `name`, and any
//! other value of the extending file replaces the base's.
//!
//! Not responsible for defaults or value rules (`resolve.rs`).

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::path::{KeyPath, NAMED_ARRAYS, Seg};
use super::suggest;
use super::wire::WireScenario;
use crate::error::InputError;

/// How many files an `extends` chain may hold.
const MAX_CHAIN: usize = 32;

/// One scenario file as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// The path used to open the file.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    doc: toml_edit::Document<String>,
}

impl SourceFile {
    fn display(&self) -> String {
        self.path.display().to_string()
    }

    /// 1-based line and column of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        position(&self.text, offset)
    }

    fn error_at(&self, offset: usize, rule: impl Into<String>) -> InputError {
        let (line, column) = self.position(offset);
        InputError {
            file: Some(self.display()),
            line: Some(line),
            column: Some(column),
            key: None,
            rule: rule.into(),
            hint: None,
        }
    }

    /// Byte offset where `path` is written in this file, or where its closest written ancestor
    /// is, with whether the full path was found.
    fn find(&self, path: &KeyPath) -> Option<(usize, bool)> {
        let mut node = Node::Item(self.doc.as_item());
        let mut best: Option<usize> = None;
        for seg in &path.0 {
            let next = match seg {
                Seg::Key(key) => node.child_by_key(key),
                Seg::Named(name) => node.child_by_name(name),
                Seg::Index(i) => node.child_by_index(*i),
            };
            match next {
                Some((child, offset)) => {
                    if offset.is_some() {
                        best = offset;
                    }
                    node = child;
                }
                None => return best.map(|o| (o, false)),
            }
        }
        best.map(|o| (o, true))
    }
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// A place in a parsed document: an item, or a table inside an array of tables.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a toml_edit::Item),
    Table(&'a toml_edit::Table),
}

impl<'a> Node<'a> {
    fn as_table_like(self) -> Option<&'a dyn toml_edit::TableLike> {
        match self {
            Node::Item(item) => item.as_table_like(),
            Node::Table(table) => Some(table),
        }
    }

    fn child_by_key(self, key: &str) -> Option<(Node<'a>, Option<usize>)> {
        let (k, child) = self.as_table_like()?.get_key_value(key)?;
        let offset = k.span().or_else(|| child.span()).map(|s| s.start);
        Some((Node::Item(child), offset))
    }

    fn child_by_name(self, name: &str) -> Option<(Node<'a>, Option<usize>)> {
        let Node::Item(item) = self else { return None };
        let array = item.as_array_of_tables()?;
        let table = array.iter().find(|t| t.get("name").and_then(|v| v.as_str()) == Some(name))?;
        let offset = table.get("name").and_then(|v| v.span()).or_else(|| table.span());
        Some((Node::Table(table), offset.map(|s| s.start)))
    }

    fn child_by_index(self, idx: usize) -> Option<(Node<'a>, Option<usize>)> {
        let Node::Item(item) = self else { return None };
        let table = item.as_array_of_tables()?.get(idx)?;
        Some((Node::Table(table), table.span().map(|s| s.start)))
    }
}

/// The files of an `extends` chain, the one the user named first.
#[derive(Debug)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// Reads `path` and every file it extends, checks each against the schema, and merges them.
    pub fn read(path: &Path) -> Result<(Sources, Table), InputError> {
        let mut files: Vec<SourceFile> = Vec::new();
        let mut seen: Vec<PathBuf> = Vec::new();
        let mut next = Some((path.to_path_buf(), None::<usize>));
        while let Some((file_path, extends_offset)) = next.take() {
            let read = read_file(&file_path).map_err(|e| match (extends_offset, files.last()) {
                (Some(offset), Some(child)) => {
                    let mut located = child.error_at(
                        offset,
                        format!(
                            "cannot read \"{}\": {}",
                            file_path.display(),
                            e.rule.trim_start_matches("cannot read scenario: ")
                        ),
                    );
                    located.key = Some("extends".into());
                    located
                }
                _ => e,
            })?;
            let canonical = std::fs::canonicalize(&file_path).unwrap_or_else(|_| file_path.clone());
            if seen.contains(&canonical) {
                let child = files.last().expect("a cycle needs an extending file");
                let chain: Vec<String> =
                    files.iter().map(|f| f.display()).chain(std::iter::once(file_path.display().to_string())).collect();
                let mut e =
                    child.error_at(extends_offset.unwrap_or(0), format!("extends cycle: {}", chain.join(" → ")));
                e.key = Some("extends".into());
                return Err(e.with_hint("remove the `extends` that points back into the chain"));
            }
            seen.push(canonical);
            if files.len() >= MAX_CHAIN {
                return Err(InputError::file(path, format!("extends chain longer than {MAX_CHAIN} files")));
            }
            let wire = check_schema(&read)?;
            check_unique_names(&read)?;
            if let Some(base) = wire.extends.as_deref() {
                let offset =
                    read.doc.as_table().get_key_value("extends").and_then(|(_, v)| v.span()).map_or(0, |s| s.start);
                let dir = file_path.parent().unwrap_or(Path::new(""));
                next = Some((dir.join(base), Some(offset)));
            }
            files.push(read);
        }
        let mut merged = Table::new();
        for file in files.iter().rev() {
            let table: Table = toml::from_str(&file.text)
                .map_err(|e| file.error_at(e.span().map_or(0, |s| s.start), e.message().to_string()))?;
            merge_top(&mut merged, table);
        }
        merged.remove("extends");
        Ok((Sources { files }, merged))
    }

    /// The directory of the file that last writes `path` (the extending file wins), if any.
    pub fn defining_dir(&self, path: &KeyPath) -> Option<PathBuf> {
        self.files
            .iter()
            .find(|f| f.find(path).is_some_and(|(_, full)| full))
            .map(|f| f.path.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// The file the user named.
    pub fn first(&self) -> &SourceFile {
        &self.files[0]
    }

    /// Turns a rule broken at `path` into an error located where that key was last written
    /// (the extending file wins over its base, as in the merge).
    pub fn locate(&self, path: &KeyPath, rule: String, hint: Option<String>) -> InputError {
        let mut fallback: Option<(&SourceFile, usize)> = None;
        for file in &self.files {
            match file.find(path) {
                Some((offset, true)) => return finish(file.error_at(offset, rule), path, hint),
                Some((offset, false)) if fallback.is_none() => fallback = Some((file, offset)),
                _ => {}
            }
        }
        match (fallback, self.files.first()) {
            (Some((file, offset)), _) => finish(file.error_at(offset, rule), path, hint),
            (None, Some(file)) => finish(file.error_at(0, rule), path, hint),
            (None, None) => finish(InputError::plain(rule), path, hint),
        }
    }

    /// SHA-256 over the chain's texts, base first, each prefixed by its length.
    pub fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for file in self.files.iter().rev() {
            hasher.update((file.text.len() as u64).to_le_bytes());
            hasher.update(file.text.as_bytes());
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn finish(mut e: InputError, path: &KeyPath, hint: Option<String>) -> InputError {
    if !path.0.is_empty() {
        e.key = Some(path.to_string());
    }
    e.hint = hint;
    e
}

fn read_file(path: &Path) -> Result<SourceFile, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        InputError::file(path, format!("cannot read scenario: {why}"))
    })?;
    if meta.is_dir() {
        return Err(InputError::file(path, "is a directory, not a scenario file")
            .with_hint("name a .toml file, e.g. scenarios/offenbach.toml"));
    }
    let bytes = std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read scenario: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) = position(&String::from_utf8_lossy(&e.as_bytes()[..valid]), valid);
        let mut err =
            InputError::file(path, "the file is not valid UTF-8").with_hint("save the scenario as UTF-8 text");
        err.line = Some(line);
        err.column = Some(column);
        err
    })?;
    let doc = toml_edit::Document::parse(text.clone()).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let (line, column) = position(&text, offset);
        InputError {
            file: Some(path.display().to_string()),
            line: Some(line),
            column: Some(column),
            key: None,
            rule: format!("invalid TOML: {}", e.message().trim()),
            hint: None,
        }
    })?;
    Ok(SourceFile { path: path.to_path_buf(), text, doc })
}

/// Reads one file into the wire type; unknown keys and wrong types come back located.
fn check_schema(file: &SourceFile) -> Result<WireScenario, InputError> {
    deserialize_located(file)
}

/// Reads any TOML file (e.g. a sweep) into a serde type, with the same located errors as
/// scenario files.
pub fn read_typed<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, SourceFile), InputError> {
    let file = read_file(path)?;
    let value = deserialize_located(&file)?;
    Ok((value, file))
}

impl SourceFile {
    /// An error about `path` in this file, at the key's line (or its closest written ancestor).
    pub fn locate(&self, path: &KeyPath, rule: impl Into<String>, hint: Option<String>) -> InputError {
        let offset = self.find(path).map_or(0, |(o, _)| o);
        let mut e = self.error_at(offset, rule);
        if !path.0.is_empty() {
            e.key = Some(path.to_string());
        }
        e.hint = hint;
        e
    }
}

fn deserialize_located<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T, InputError> {
    let de = toml::Deserializer::parse(&file.text)
        .map_err(|e| file.error_at(e.span().map_or(0, |s| s.start), format!("invalid TOML: {}", e.message())))?;
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
        let path = readable_path(file, e.path());
        let inner = e.inner();
        let offset = inner.span().map_or(0, |s| s.start);
        let message = inner.message().to_string();
        let (rule, hint) = explain(&message);
        let mut err = file.error_at(offset, rule);
        err.hint = hint;
        let key = path.to_string();
        if !key.is_empty() && key != "?" {
            err.key = Some(key);
        }
        err
    })
}

/// Two entries of a named array with the same name in one file would silently merge: refuse.
fn check_unique_names(file: &SourceFile) -> Result<(), InputError> {
    for array in NAMED_ARRAYS {
        let Some(tables) = file.doc.as_table().get(array).and_then(|i| i.as_array_of_tables()) else { continue };
        let mut seen: Vec<&str> = Vec::new();
        for table in tables.iter() {
            let Some(item) = table.get("name") else { continue };
            let Some(name) = item.as_str() else { continue };
            if seen.contains(&name) {
                let offset = item.span().map_or(0, |s| s.start);
                let mut e = file.error_at(offset, format!("two [[{array}]] entries in this file are named \"{name}\""));
                e.key = Some(KeyPath::root().key(array).named(name).key("name").to_string());
                return Err(e.with_hint("names must be unique; an extending file merges entries by name"));
            }
            seen.push(name);
        }
    }
    Ok(())
}

/// Serde's path (`district[1].housng`) with array positions of named entries replaced by names.
fn readable_path(file: &SourceFile, path: &serde_path_to_error::Path) -> KeyPath {
    use serde_path_to_error::Segment;
    let mut out = KeyPath::root();
    let mut node: Option<Node> = Some(Node::Item(file.doc.as_item()));
    for seg in path.iter() {
        match seg {
            Segment::Map { key } => {
                out = out.key(key);
                node = node.and_then(|n| n.child_by_key(key)).map(|(c, _)| c);
            }
            Segment::Seq { index } => {
                let child = node.and_then(|n| n.child_by_index(*index)).map(|(c, _)| c);
                let name = child.and_then(|c| c.as_table_like()).and_then(|t| t.get("name")).and_then(|v| v.as_str());
                let is_named = matches!(out.0.as_slice(), [Seg::Key(k)] if NAMED_ARRAYS.contains(&k.as_str()));
                out = match name {
                    Some(n) if is_named => out.named(n),
                    _ => out.index(*index),
                };
                node = child;
            }
            Segment::Enum { variant } => out = out.key(variant),
            Segment::Unknown => {}
        }
    }
    out
}

/// Rewrites serde's messages into rules with a suggestion.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match suggest::closest(field, candidates.iter().copied()) {
            Some(best) => format!("did you mean \"{best}\"?"),
            None if candidates.is_empty() => "this table takes no keys".to_string(),
            None => format!("known keys here: {}", candidates.join(", ")),
        };
        return (format!("unknown key \"{field}\""), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        let expected = match expected.trim() {
            "i64" | "u64" | "i32" | "u32" => "a whole number",
            "f64" | "f32" => "a number",
            "a boolean" | "bool" => "true or false",
            "a string" => "a string in quotes",
            "a sequence" => "a list [..]",
            "a map" => "a table",
            other => other,
        };
        return (format!("must be {expected}, got {got}"), None);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (format!("missing key \"{field}\""), None);
    }
    (message.trim().to_string(), None)
}

fn merge_top(base: &mut Table, child: Table) {
    for (key, value) in child {
        if key == "extends" {
            continue;
        }
        let named = NAMED_ARRAYS.contains(&key.as_str());
        match (base.get_mut(&key), value) {
            (Some(Value::Array(existing)), Value::Array(incoming)) if named => merge_named(existing, incoming),
            (Some(Value::Table(existing)), Value::Table(incoming)) => merge_tables(existing, incoming),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn merge_tables(base: &mut Table, child: Table) {
    for (key, value) in child {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(existing)), Value::Table(incoming)) => merge_tables(existing, incoming),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn merge_named(base: &mut Vec<Value>, child: Vec<Value>) {
    for entry in child {
        let name = entry.get("name").and_then(|v| v.as_str()).map(str::to_string);
        let existing =
            name.as_deref().and_then(|n| base.iter_mut().find(|e| e.get("name").and_then(|v| v.as_str()) == Some(n)));
        match (existing, entry) {
            (Some(Value::Table(existing)), Value::Table(incoming)) => merge_tables(existing, incoming),
            (_, entry) => base.push(entry),
        }
    }
}

/// Sets `path` in a merged scenario table to `value` (a sweep or command-line override).
/// Named entries are addressed by name; the entry must exist.
pub fn set_path(table: &mut Table, path: &KeyPath, value: Value) -> Result<(), String> {
    let segs = &path.0;
    let mut current = table;
    let mut i = 0;
    while i < segs.len() {
        let Seg::Key(key) = &segs[i] else {
            return Err(format!("`{path}` is not a key path"));
        };
        let last = i + 1 == segs.len();
        if last {
            current.insert(key.clone(), value);
            return Ok(());
        }
        if let Some(Seg::Named(name)) = segs.get(i + 1) {
            let entries = current
                .get_mut(key)
                .and_then(Value::as_array_mut)
                .ok_or_else(|| format!("the scenario has no [[{key}]] entries"))?;
            let names: Vec<String> =
                entries.iter().filter_map(|e| e.get("name").and_then(|v| v.as_str()).map(str::to_string)).collect();
            let entry = entries
                .iter_mut()
                .find(|e| e.get("name").and_then(|v| v.as_str()) == Some(name.as_str()))
                .ok_or_else(|| {
                    let hint = suggest::closest(name, names.iter().map(String::as_str))
                        .map(|b| format!("; did you mean \"{b}\"?"))
                        .unwrap_or_default();
                    format!("no {key} named \"{name}\"{hint}")
                })?;
            if i + 2 == segs.len() {
                return Err(format!("`{path}` names a whole {key}; add the key to set, e.g. `{path}.KEY`"));
            }
            current = entry.as_table_mut().ok_or_else(|| format!("{key} \"{name}\" is not a table"))?;
            i += 2;
        } else {
            let next = current.entry(key.clone()).or_insert_with(|| Value::Table(Table::new()));
            current = next.as_table_mut().ok_or_else(|| format!("`{key}` in `{path}` is not a table"))?;
            i += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position("a\nbc\nd", 0), (1, 1));
        assert_eq!(position("a\nbc\nd", 3), (2, 2));
        assert_eq!(position("a\nbc\nd", 5), (3, 1));
    }

    #[test]
    fn named_arrays_merge_by_name() {
        let mut base: Table = toml::from_str(
            "[[district]]\nname = \"A\"\nhousing = 1\nrent = 2\n[[district]]\nname = \"B\"\nhousing = 3\n",
        )
        .unwrap();
        let child: Table =
            toml::from_str("[[district]]\nname = \"B\"\nhousing = 30\n[[district]]\nname = \"C\"\nhousing = 5\n")
                .unwrap();
        merge_top(&mut base, child);
        let expected: Table = toml::from_str(
            "[[district]]\nname = \"A\"\nhousing = 1\nrent = 2\n[[district]]\nname = \"B\"\nhousing = 30\n[[district]]\nname = \"C\"\nhousing = 5\n",
        )
        .unwrap();
        assert_eq!(base, expected);
    }

    #[test]
    fn explains_unknown_keys_with_a_suggestion() {
        let (rule, hint) = explain("unknown field `housng`, expected `name` or `housing`");
        assert_eq!(rule, "unknown key \"housng\"");
        assert_eq!(hint.as_deref(), Some("did you mean \"housing\"?"));
    }
}
