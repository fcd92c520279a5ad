//! The two kinds of failure: the user's input is wrong, or the program failed.
//!
//! Input errors carry where the problem is (file, line, column, key path) and the rule that was
//! broken, so the command line can print one precise message and exit with code 1. Everything
//! else is an internal error (exit code 2): an I/O failure writing results, a broken invariant.

use std::fmt;
use std::path::Path;

/// Something wrong with what the user gave us.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file, as the user named it (or as reached through `extends`).
    pub file: Option<String>,
    /// 1-based line of the offending key or value.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// Key path in the scenario, e.g. `district.Zentrum.housing`.
    pub key: Option<String>,
    /// The rule broken, in words.
    pub rule: String,
    /// A suggested fix.
    pub hint: Option<String>,
}

impl InputError {
    /// An error about a file as a whole.
    pub fn file(path: &Path, rule: impl Into<String>) -> Self {
        InputError {
            file: Some(path.display().to_string()),
            line: None,
            column: None,
            key: None,
            rule: rule.into(),
            hint: None,
        }
    }

    /// An error not tied to a file (a command-line argument).
    pub fn plain(rule: impl Into<String>) -> Self {
        InputError { file: None, line: None, column: None, key: None, rule: rule.into(), hint: None }
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            f.write_str(file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        f.write_str(&self.rule)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Any failure of a command.
#[derive(Debug)]
pub enum Error {
    /// The input is wrong; exit code 1.
    Input(InputError),
    /// We failed; exit code 2.
    Internal(String),
}

impl Error {
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 1,
            Error::Internal(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => e.fmt(f),
            Error::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

/// Shorthand for results of commands.
pub type Result<T, E = Error> = std::result::Result<T, E>;
