//! Translation catalogs: every string a person reads, in English and Traditional Chinese.
//!
//! The catalogs are TOML files under `crates/web/i18n/<lang>/`, compiled into the binary.
//! Keys are flat dotted names (`home.title`); a file may also nest tables, which are
//! flattened. Both languages must hold exactly the same keys: [`Catalogs::load`] refuses
//! catalogs that differ, and a test checks every key the templates and handlers use.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A language the platform speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// Traditional Chinese as written in Hong Kong.
    ZhHk,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhHk];

    /// The BCP 47 tag used in URLs, cookies and `<html lang>`: `en` or `zh-HK`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHk => "zh-HK",
        }
    }

    /// Reads a language tag; any Chinese tag in traditional script or for Hong Kong, Macau or
    /// Taiwan is zh-HK, any English tag is English.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") {
            return Some(Lang::En);
        }
        if matches!(
            tag.as_str(),
            "zh-hk" | "zh-hant" | "zh-tw" | "zh-mo" | "zh" | "zh-hant-hk"
        ) {
            return Some(Lang::ZhHk);
        }
        None
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::ZhHk,
            Lang::ZhHk => Lang::En,
        }
    }
}

/// Why the catalogs could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A file is not valid TOML or holds a non-string value.
    #[error("translation catalog {file}: {reason}")]
    Malformed {
        /// Which file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// A key exists in one language only.
    #[error("translation key `{key}` exists in {present} but not in {missing}")]
    Unpaired {
        /// The key.
        key: String,
        /// Language that has it.
        present: &'static str,
        /// Language that lacks it.
        missing: &'static str,
    },
}

/// The catalog files of one language, as (file name, text).
fn sources(lang: Lang) -> [(&'static str, &'static str); 2] {
    match lang {
        Lang::En => [
            ("en/web.toml", include_str!("../i18n/en/web.toml")),
            ("en/vocab.toml", include_str!("../i18n/en/vocab.toml")),
        ],
        Lang::ZhHk => [
            ("zh-HK/web.toml", include_str!("../i18n/zh-HK/web.toml")),
            ("zh-HK/vocab.toml", include_str!("../i18n/zh-HK/vocab.toml")),
        ],
    }
}

/// Both languages' catalogs.
#[derive(Debug)]
pub struct Catalogs {
    en: BTreeMap<String, String>,
    zh_hk: BTreeMap<String, String>,
}

impl Catalogs {
    /// Loads the compiled-in catalogs and checks that both languages hold the same keys.
    pub fn load() -> Result<Catalogs, CatalogError> {
        let en = parse_files(&sources(Lang::En))?;
        let zh_hk = parse_files(&sources(Lang::ZhHk))?;
        let catalogs = Catalogs { en, zh_hk };
        if let Some(err) = catalogs.unpaired_keys().into_iter().next() {
            return Err(err);
        }
        Ok(catalogs)
    }

    /// Every key that exists in one language only.
    pub fn unpaired_keys(&self) -> Vec<CatalogError> {
        let en: BTreeSet<&String> = self.en.keys().collect();
        let zh: BTreeSet<&String> = self.zh_hk.keys().collect();
        let only_en = en.difference(&zh).map(|k| CatalogError::Unpaired {
            key: (*k).clone(),
            present: "en",
            missing: "zh-HK",
        });
        let only_zh = zh.difference(&en).map(|k| CatalogError::Unpaired {
            key: (*k).clone(),
            present: "zh-HK",
            missing: "en",
        });
        only_en.chain(only_zh).collect()
    }

    /// Whether a key exists (in both languages, since load checked that).
    pub fn contains(&self, key: &str) -> bool {
        self.en.contains_key(key)
    }

    /// The string for a key; a missing key shows as `[key]` so it is seen, not hidden.
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        let map = match lang {
            Lang::En => &self.en,
            Lang::ZhHk => &self.zh_hk,
        };
        match map.get(key) {
            Some(text) => text,
            None => {
                tracing::warn!(key, lang = lang.code(), "missing translation key");
                key
            }
        }
    }

    /// Number of keys per language.
    pub fn len(&self) -> usize {
        self.en.len()
    }

    /// Whether the catalogs are empty.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty()
    }
}

fn parse_files(files: &[(&str, &str)]) -> Result<BTreeMap<String, String>, CatalogError> {
    let mut out = BTreeMap::new();
    for (file, text) in files {
        let table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| CatalogError::Malformed {
                    file: (*file).to_owned(),
                    reason: e.to_string(),
                })?;
        flatten(file, "", &table, &mut out)?;
    }
    Ok(out)
}

fn flatten(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), CatalogError> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                if out.insert(full.clone(), text.clone()).is_some() {
                    return Err(CatalogError::Malformed {
                        file: file.to_owned(),
                        reason: format!("key `{full}` is defined twice"),
                    });
                }
            }
            toml::Value::Table(inner) => flatten(file, &full, inner, out)?,
            other => {
                return Err(CatalogError::Malformed {
                    file: file.to_owned(),
                    reason: format!("key `{full}` holds a {}, not a string", other.type_str()),
                })
            }
        }
    }
    Ok(())
}

/// A translator for one request: the language plus the catalogs. Templates call `t.s` with a key.
#[derive(Clone, Debug)]
pub struct Tr {
    lang: Lang,
    catalogs: Arc<Catalogs>,
}

impl Tr {
    /// A translator for a language.
    pub fn new(lang: Lang, catalogs: Arc<Catalogs>) -> Tr {
        Tr { lang, catalogs }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The string for a key.
    pub fn s<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogs.get(self.lang, key)
    }

    /// The string for a key built from parts, e.g. `t.k("sector.", code)`.
    pub fn k(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}{code}");
        self.catalogs.get(self.lang, &key).to_owned()
    }

    /// The string for a key, if the catalogs have it.
    pub fn maybe<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        self.catalogs
            .contains(key)
            .then(|| self.catalogs.get(self.lang, key))
    }

    /// The string for a key with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.catalogs.get(self.lang, key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Whether the language is Chinese (for bilingual data fields).
    pub fn is_zh(&self) -> bool {
        self.lang == Lang::ZhHk
    }
}
