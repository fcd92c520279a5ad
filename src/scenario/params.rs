//! One declaration per parameter table: name, type, default, rule and meaning in one place.
//!
//! The [`param_table!`] macro expands a list of parameters into
//! - the *wire* struct (every field optional, unknown keys rejected) that serde reads,
//! - the *domain* struct (every field present) the engine uses,
//! - `resolve`, which fills defaults and checks each value against its rule, and
//! - `describe`, which lists the parameters for `arrival defaults` and the documentation.
//!
//! It is not responsible for cross-references between tables (a district naming a city): that is
//! `resolve.rs`.

use std::collections::BTreeMap;

use super::path::KeyPath;

/// The rule a value must satisfy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Any finite value.
    Finite,
    /// A probability or share: a finite value in [0, 1].
    Share,
    /// A finite value ≥ 0.
    NonNegative,
    /// A finite value > 0.
    Positive,
    /// A finite value in the inclusive range.
    Range(f64, f64),
    /// A whole number in the inclusive range.
    IntRange(i64, i64),
    /// A whole number ≥ 0 (a count of persons or places).
    Count,
    /// One of the listed words.
    OneOf(&'static [&'static str]),
    /// Nothing to check.
    Free,
}

impl Rule {
    /// The rule in words, as shown in errors and in `arrival defaults`.
    pub fn describe(&self) -> String {
        match self {
            Rule::Finite => "a finite number".into(),
            Rule::Share => "a share in [0, 1]".into(),
            Rule::NonNegative => "a number ≥ 0".into(),
            Rule::Positive => "a number > 0".into(),
            Rule::Range(lo, hi) => format!("a number in [{lo}, {hi}]"),
            Rule::IntRange(lo, hi) => format!("a whole number in [{lo}, {hi}]"),
            Rule::Count => "a whole number ≥ 0".into(),
            Rule::OneOf(words) => format!("one of {}", quote_list(words)),
            Rule::Free => "any value".into(),
        }
    }
}

fn quote_list(words: &[&str]) -> String {
    words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
}

/// A value that can be checked against a [`Rule`].
pub trait Checked {
    /// `Err(reason)` when the value breaks the rule.
    fn check(&self, rule: Rule) -> Result<(), String>;
    /// The value as written in a TOML file (for documentation).
    fn show(&self) -> String;
}

pub(crate) fn check_number(x: f64, rule: Rule) -> Result<(), String> {
    if !x.is_finite() {
        return Err(format!("must be {}, got {x}", rule_or_finite(rule)));
    }
    let ok = match rule {
        Rule::Finite | Rule::Free => true,
        Rule::Share => (0.0..=1.0).contains(&x),
        Rule::NonNegative => x >= 0.0,
        Rule::Positive => x > 0.0,
        Rule::Range(lo, hi) => (lo..=hi).contains(&x),
        Rule::IntRange(lo, hi) => x.fract() == 0.0 && x >= lo as f64 && x <= hi as f64,
        Rule::Count => x.fract() == 0.0 && (0.0..=1e12).contains(&x),
        Rule::OneOf(_) => true,
    };
    if ok { Ok(()) } else { Err(format!("must be {}, got {x}", rule.describe())) }
}

fn rule_or_finite(rule: Rule) -> String {
    match rule {
        Rule::Free | Rule::Finite => "a finite number".into(),
        other => other.describe(),
    }
}

impl Checked for f64 {
    fn check(&self, rule: Rule) -> Result<(), String> {
        check_number(*self, rule)
    }
    fn show(&self) -> String {
        format!("{self:?}")
    }
}

impl Checked for i64 {
    fn check(&self, rule: Rule) -> Result<(), String> {
        match rule {
            Rule::IntRange(lo, hi) if !(lo..=hi).contains(self) => {
                Err(format!("must be {}, got {self}", rule.describe()))
            }
            Rule::IntRange(..) => Ok(()),
            other => check_number(*self as f64, other),
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Checked for bool {
    fn check(&self, _: Rule) -> Result<(), String> {
        Ok(())
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Checked for String {
    fn check(&self, rule: Rule) -> Result<(), String> {
        match rule {
            Rule::OneOf(words) if !words.contains(&self.as_str()) => {
                let hint = super::suggest::closest(self, words.iter().copied())
                    .map(|w| format!("; did you mean \"{w}\"?"))
                    .unwrap_or_default();
                Err(format!("must be {}, got \"{self}\"{hint}", rule.describe()))
            }
            _ => Ok(()),
        }
    }
    fn show(&self) -> String {
        format!("\"{self}\"")
    }
}

impl Checked for Vec<String> {
    fn check(&self, _: Rule) -> Result<(), String> {
        Ok(())
    }
    fn show(&self) -> String {
        format!("[{}]", self.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "))
    }
}

impl Checked for BTreeMap<String, f64> {
    fn check(&self, rule: Rule) -> Result<(), String> {
        for (k, v) in self {
            check_number(*v, rule).map_err(|e| format!("entry \"{k}\" {e}"))?;
        }
        Ok(())
    }
    fn show(&self) -> String {
        let inner: Vec<String> = self.iter().map(|(k, v)| format!("\"{k}\" = {v}")).collect();
        format!("{{ {} }}", inner.join(", "))
    }
}

/// A parameter's documentation row.
#[derive(Debug, Clone)]
pub struct ParamDoc {
    pub key: &'static str,
    pub default: String,
    pub rule: String,
    pub meaning: String,
}

/// A value that breaks its rule, before it is located in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub path: KeyPath,
    pub rule: String,
    pub hint: Option<String>,
}

impl Invalid {
    pub fn new(path: KeyPath, rule: impl Into<String>) -> Self {
        Invalid { path, rule: rule.into(), hint: None }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Declares a parameter table; see the module documentation.
macro_rules! param_table {
    (
        $(#[doc = $sdoc:literal])*
        $name:ident / $wire:ident {
            $(
                $(#[doc = $doc:literal])*
                $field:ident : $ty:ty = $default:expr, $rule:expr;
            )*
        }
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        #[doc = concat!("The wire form of [`", stringify!($name), "`]: every key optional, unknown keys rejected.")]
        #[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
        #[serde(deny_unknown_fields)]
        pub struct $wire {
            $( #[serde(skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl $name {
            /// Fills defaults and checks every value against its rule.
            pub fn resolve(
                wire: Option<&$wire>,
                path: &$crate::scenario::path::KeyPath,
            ) -> Result<Self, $crate::scenario::params::Invalid> {
                use $crate::scenario::params::Checked;
                let defaults = Self::default();
                let empty = $wire::default();
                let wire = wire.unwrap_or(&empty);
                Ok(Self {
                    $( $field: {
                        let value = wire.$field.clone().unwrap_or(defaults.$field);
                        value.check($rule).map_err(|rule| {
                            $crate::scenario::params::Invalid::new(path.key(stringify!($field)), rule)
                        })?;
                        value
                    }, )*
                })
            }

            /// The wire form with every key present (for the resolved scenario file).
            pub fn to_wire(&self) -> $wire {
                $wire { $( $field: Some(self.$field.clone()), )* }
            }

            /// One row per parameter: key, default, rule, meaning.
            pub fn describe() -> Vec<$crate::scenario::params::ParamDoc> {
                use $crate::scenario::params::Checked;
                let defaults = Self::default();
                vec![ $( $crate::scenario::params::ParamDoc {
                    key: stringify!($field),
                    default: defaults.$field.show(),
                    rule: $rule.describe(),
                    meaning: [$($doc),*].iter().map(|s| s.trim()).collect::<Vec<_>>().join(" "),
                }, )* ]
            }

            /// The keys of this table.
            pub const KEYS: &'static [&'static str] = &[ $( stringify!($field) ),* ];
        }
    };
}

pub(crate) use param_table;
