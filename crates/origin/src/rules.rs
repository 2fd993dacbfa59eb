//! Origin rules as data: a [`RuleBook`] of [`ProductClass`]es, read from TOML.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;
use vocab::{BilingualText, Percent, Provenance};

use crate::code::{ClassCode, ItemCode};
use crate::error::OriginError;
use crate::source::Source;

/// The origin rules for every product class, and where their thresholds come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    source: Provenance,
    classes: Vec<ProductClass>,
}

/// The rule for one class of products.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductClass {
    code: ClassCode,
    name: BilingualText,
    min_hk_share: Percent,
    essential_steps: Vec<ItemCode>,
    excludable_materials: Vec<ItemCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleBook {
    source: Spanned<String>,
    #[serde(default)]
    class: Vec<RawClass>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClass {
    code: Spanned<String>,
    name_en: Spanned<String>,
    name_zh: Spanned<String>,
    min_hk_share_pct: Spanned<toml::Value>,
    #[serde(default)]
    essential_steps: Vec<Spanned<String>>,
    #[serde(default)]
    excludable_materials: Vec<Spanned<String>>,
}

impl RuleBook {
    /// Reads a rule book from TOML text (the format is in the crate documentation).
    ///
    /// Errors name the line and field: a missing or unknown field, a bad code, percentage or
    /// provenance, a threshold outside 0..=100, no classes, or a code used twice.
    pub fn parse(text: &str) -> Result<RuleBook, OriginError> {
        let source = Source::new(text);
        let raw: RawRuleBook = source.deserialize()?;
        let provenance = source.provenance(&raw.source, "source")?;
        if raw.class.is_empty() {
            return Err(OriginError::Invalid {
                at: source.first_line("class"),
                reason: "the rule book has no classes; add at least one [[class]]".to_owned(),
            });
        }
        let mut first_lines: HashMap<ClassCode, usize> = HashMap::new();
        let mut classes = Vec::with_capacity(raw.class.len());
        for raw_class in &raw.class {
            let class = parse_class(&source, raw_class)?;
            let line = source.line_of(&raw_class.code.span());
            if let Some(first_line) = first_lines.get(&class.code) {
                return Err(OriginError::DuplicateCode {
                    at: source.at(&raw_class.code, "code"),
                    code: class.code.to_string(),
                    first_line: Some(*first_line),
                });
            }
            first_lines.insert(class.code.clone(), line);
            classes.push(class);
        }
        Ok(RuleBook {
            source: provenance,
            classes,
        })
    }

    /// Where the thresholds come from: a published document, or "indicative".
    pub fn source(&self) -> &Provenance {
        &self.source
    }

    /// The classes, in the order of the file.
    pub fn classes(&self) -> &[ProductClass] {
        &self.classes
    }

    /// The class with this code, if the rule book has it.
    pub fn class(&self, code: &ClassCode) -> Option<&ProductClass> {
        self.classes.iter().find(|class| class.code == *code)
    }

    /// The class codes, comma-separated, for error messages: `"industrial, food, electronics"`.
    pub(crate) fn known_classes(&self) -> String {
        let codes: Vec<&str> = self
            .classes
            .iter()
            .map(|class| class.code.as_str())
            .collect();
        codes.join(", ")
    }
}

impl ProductClass {
    /// The class code, e.g. `"industrial"`.
    pub fn code(&self) -> &ClassCode {
        &self.code
    }

    /// The class name in English and Traditional Chinese.
    pub fn name(&self) -> &BilingualText {
        &self.name
    }

    /// The least share of the cost base that must be incurred in Hong Kong, e.g. 60.
    pub fn min_hk_share(&self) -> Percent {
        self.min_hk_share
    }

    /// The process steps that must be done in Hong Kong.
    pub fn essential_steps(&self) -> &[ItemCode] {
        &self.essential_steps
    }

    /// The materials that may be left out of the cost base when they are not available in
    /// Hong Kong.
    pub fn excludable_materials(&self) -> &[ItemCode] {
        &self.excludable_materials
    }
}

fn parse_class(source: &Source<'_>, raw: &RawClass) -> Result<ProductClass, OriginError> {
    let code = source.class_code(&raw.code, "code")?;
    let name_en = source.label(&raw.name_en, "name_en")?;
    let name_zh = source.label(&raw.name_zh, "name_zh")?;
    let name = match BilingualText::new(name_en, name_zh) {
        Ok(name) => name,
        Err(problem) => {
            return Err(OriginError::Vocab {
                at: source.at(&raw.name_en, "name_en"),
                problem,
            })
        }
    };
    let min_hk_share = source.share_threshold(&raw.min_hk_share_pct, "min_hk_share_pct")?;
    let essential_steps = code_list(source, &raw.essential_steps, "essential_steps")?;
    let excludable_materials =
        code_list(source, &raw.excludable_materials, "excludable_materials")?;
    Ok(ProductClass {
        code,
        name,
        min_hk_share,
        essential_steps,
        excludable_materials,
    })
}

fn code_list(
    source: &Source<'_>,
    raw: &[Spanned<String>],
    field: &str,
) -> Result<Vec<ItemCode>, OriginError> {
    let mut codes: Vec<ItemCode> = Vec::with_capacity(raw.len());
    for value in raw {
        let code = source.item_code(value, field)?;
        if codes.contains(&code) {
            return Err(OriginError::DuplicateCode {
                at: source.at(value, field),
                code: code.to_string(),
                first_line: None,
            });
        }
        codes.push(code);
    }
    Ok(codes)
}
