//! The codes that name product classes, materials and process steps: lowercase slugs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The code of a product class in a rule book, e.g. `"industrial"`.
///
/// A lowercase slug of `a-z`, `0-9` and `-`, 1 to 64 characters, starting with a letter or
/// digit; serialized as its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ClassCode(String);

/// The code of a material or a process step, e.g. `"cells"` or `"final-assembly"`.
///
/// Same form as [`ClassCode`]. A product's materials and steps share one set of codes, so a
/// code names exactly one line of the product.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ItemCode(String);

const MAX_CODE_LEN: usize = 64;

// Deserialising goes through `parse`, so a stored or received code is checked like a typed one.
impl<'de> Deserialize<'de> for ClassCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ClassCode::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for ItemCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ItemCode::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl ClassCode {
    /// Parses a slug; surrounding whitespace is ignored and ASCII letters are lowercased.
    ///
    /// The error is the reason, for the caller to attach to a field.
    pub fn parse(text: &str) -> Result<Self, String> {
        parse_slug(text).map(ClassCode)
    }

    /// The code, e.g. `"industrial"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ItemCode {
    /// Parses a slug; surrounding whitespace is ignored and ASCII letters are lowercased.
    ///
    /// The error is the reason, for the caller to attach to a field.
    pub fn parse(text: &str) -> Result<Self, String> {
        parse_slug(text).map(ItemCode)
    }

    /// The code, e.g. `"final-assembly"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for ItemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ClassCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for ItemCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn parse_slug(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err("empty".to_owned());
    }
    if code.len() > MAX_CODE_LEN {
        return Err(format!("longer than {MAX_CODE_LEN} characters"));
    }
    if code.starts_with('-') {
        return Err("starts with '-'".to_owned());
    }
    if let Some(bad) = code
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "{bad:?} is not allowed; use lowercase letters, digits and '-'"
        ));
    }
    Ok(code)
}
