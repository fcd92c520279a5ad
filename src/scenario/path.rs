//! Key paths into a scenario: `behaviour.b_own`, `district.Zentrum.housing`,
//! `group.Afghan.arrivals.base`.
//!
//! Entries of the named arrays (`[[city]]`, `[[district]]`, `[[group]]`) are addressed by their
//! `name`, never by position, so a path stays valid when entries are reordered or inherited. The
//! same syntax is used in error messages and in sweep parameters.

use std::fmt;

/// The arrays whose entries are addressed by name.
pub const NAMED_ARRAYS: &[&str] = &["city", "district", "group"];

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// The entry of a named array with this `name`.
    Named(String),
    /// An element of a plain array, by position (only in messages).
    Index(usize),
}

/// A path of keys from the top of a scenario file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }

    /// This path extended by a table key.
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        KeyPath(segs)
    }

    /// This path extended by a named entry.
    pub fn named(&self, name: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Named(name.to_string()));
        KeyPath(segs)
    }

    /// This path extended by an array position.
    pub fn index(&self, i: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(i));
        KeyPath(segs)
    }

    /// Parses a dotted path as written in sweeps and on the command line. After a named array
    /// key (`district`, `group`, `city`) the next part is an entry name; quoted parts
    /// (`city."Offenbach am Main"`) may contain dots and spaces.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let (part, after) = if let Some(stripped) = rest.strip_prefix('"') {
                let end = stripped.find('"').ok_or_else(|| format!("unclosed quote in `{text}`"))?;
                (stripped[..end].to_string(), &stripped[end + 1..])
            } else {
                let end = rest.find('.').unwrap_or(rest.len());
                (rest[..end].to_string(), &rest[end..])
            };
            if part.is_empty() {
                return Err(format!("empty part in key path `{text}`"));
            }
            parts.push(part);
            rest = match after.strip_prefix('.') {
                Some("") => return Err(format!("key path `{text}` ends with a dot")),
                Some(r) => r,
                None if after.is_empty() => "",
                None => return Err(format!("expected `.` after a quoted part in `{text}`")),
            };
        }
        if parts.is_empty() {
            return Err("empty key path".into());
        }
        let mut segs = Vec::new();
        let mut i = 0;
        while i < parts.len() {
            let part = &parts[i];
            segs.push(Seg::Key(part.clone()));
            if segs.len() == 1 && NAMED_ARRAYS.contains(&part.as_str()) {
                match parts.get(i + 1) {
                    Some(name) => segs.push(Seg::Named(name.clone())),
                    None => return Err(format!("`{part}` must be followed by an entry name, as in `{part}.NAME.key`")),
                }
                i += 1;
            }
            i += 1;
        }
        Ok(KeyPath(segs))
    }
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Index(i) => write!(f, "[{i}]")?,
                Seg::Key(s) | Seg::Named(s) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    if needs_quotes(s) { write!(f, "\"{s}\"")? } else { f.write_str(s)? }
                }
            }
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        let path = KeyPath::parse(text).unwrap();
        assert_eq!(path.to_string(), expected);
    }

    #[test]
    fn parses_and_prints_paths() {
        check("behaviour.b_own", "behaviour.b_own");
        check("group.Afghan.arrivals.base", "group.Afghan.arrivals.base");
        check("city.\"Offenbach am Main\"", "city.\"Offenbach am Main\"");
        assert_eq!(
            KeyPath::parse("district.Zentrum.housing").unwrap(),
            KeyPath::root().key("district").named("Zentrum").key("housing")
        );
    }

    #[test]
    fn rejects_malformed_paths() {
        assert!(KeyPath::parse("").is_err());
        assert!(KeyPath::parse("behaviour.").is_err());
        assert!(KeyPath::parse("district").is_err());
        assert!(KeyPath::parse("city.\"open").is_err());
    }
}
