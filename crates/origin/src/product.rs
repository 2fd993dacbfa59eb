//! A product as the origin check sees it: a bill of materials and the process steps, each with
//! a cost and a place, read from TOML or built in code.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;
use vocab::{CountryCode, Currency, Money};

use crate::code::{ClassCode, ItemCode};
use crate::error::{Location, OriginError};
use crate::rules::RuleBook;
use crate::source::Source;

/// A product: its class, a non-empty bill of materials and its process steps, all costed in one
/// currency, with codes unique across materials and steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    name: String,
    class: ClassCode,
    currency: Currency,
    materials: Vec<Material>,
    steps: Vec<ProcessStep>,
}

/// The parts of a [`Product`], checked by [`Product::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductParts {
    /// The product's name, e.g. "Smart battery pack".
    pub name: String,
    /// The product class, a code of the rule book.
    pub class: ClassCode,
    /// The bill of materials; must not be empty.
    pub materials: Vec<Material>,
    /// The process steps (fabrication, assembly, R&D, QA); may be empty.
    pub steps: Vec<ProcessStep>,
}

/// One line of the bill of materials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    code: ItemCode,
    item: String,
    cost: Money,
    origin: CountryCode,
    available_in_hk: bool,
}

/// The parts of a [`Material`], checked by [`Material::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialParts {
    /// The material's code, e.g. `"cells"`.
    pub code: ItemCode,
    /// What it is, e.g. "Li-ion cells".
    pub item: String,
    /// Its cost per unit of product; not negative.
    pub cost: Money,
    /// The country it comes from.
    pub origin: CountryCode,
    /// Whether it can be had in Hong Kong; a material that cannot, and that the class lists as
    /// excludable, is left out of the cost base.
    pub available_in_hk: bool,
}

/// One process step: fabrication, assembly, R&D, testing, QA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessStep {
    code: ItemCode,
    step: String,
    cost: Money,
    place: CountryCode,
    essential: bool,
}

/// The parts of a [`ProcessStep`], checked by [`ProcessStep::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepParts {
    /// The step's code, e.g. `"final-assembly"`.
    pub code: ItemCode,
    /// What is done, e.g. "Final assembly and calibration".
    pub step: String,
    /// Its cost per unit of product; not negative.
    pub cost: Money,
    /// The country where it is done.
    pub place: CountryCode,
    /// Whether the maker declares it an essential manufacturing step, which must then be done
    /// in Hong Kong (on top of the class's essential steps).
    pub essential: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    name: Spanned<String>,
    class: Spanned<String>,
    currency: Option<Spanned<String>>,
    material: Option<Spanned<Vec<RawMaterial>>>,
    #[serde(default)]
    step: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMaterial {
    code: Spanned<String>,
    item: Spanned<String>,
    cost: Spanned<toml::Value>,
    origin: Spanned<String>,
    available_in_hk: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    code: Spanned<String>,
    step: Spanned<String>,
    cost: Spanned<toml::Value>,
    place: Spanned<String>,
    #[serde(default)]
    essential: Option<Spanned<bool>>,
}

/// Where each line of a product sits in its TOML text, to locate the errors [`Product::new`]
/// finds in the parsed parts.
struct Lines {
    material: Option<usize>,
    materials: Vec<ItemLines>,
    steps: Vec<ItemLines>,
}

struct ItemLines {
    code: usize,
    cost: usize,
}

/// One material or step seen through what the product-wide checks need.
struct Entry<'a> {
    code: &'a ItemCode,
    cost: Money,
    lines: Option<&'a ItemLines>,
}

impl Product {
    /// Reads a product from TOML text (the format is in the crate documentation), checking its
    /// class against the rule book.
    ///
    /// Errors name the line and field: a missing or unknown field, a malformed or negative
    /// cost, an unknown country, an empty bill of materials, a duplicate code, or a class the
    /// rule book does not have.
    pub fn parse(rules: &RuleBook, text: &str) -> Result<Product, OriginError> {
        let source = Source::new(text);
        let raw: RawProduct = source.deserialize()?;
        let name = source.label(&raw.name, "name")?;
        let class = source.class_code(&raw.class, "class")?;
        if rules.class(&class).is_none() {
            return Err(OriginError::UnknownClass {
                at: source.at(&raw.class, "class"),
                code: class.to_string(),
                known: rules.known_classes(),
            });
        }
        let currency = match &raw.currency {
            Some(currency) => source.currency(currency, "currency")?,
            None => Currency::Hkd,
        };
        let (raw_materials, material_line) = match &raw.material {
            Some(materials) => (
                materials.get_ref().as_slice(),
                Some(source.line_of(&materials.span())),
            ),
            None => (&[][..], None),
        };
        let mut lines = Lines {
            material: material_line,
            materials: Vec::with_capacity(raw_materials.len()),
            steps: Vec::with_capacity(raw.step.len()),
        };
        let mut materials = Vec::with_capacity(raw_materials.len());
        for raw_material in raw_materials {
            materials.push(parse_material(&source, raw_material, currency)?);
            lines.materials.push(ItemLines {
                code: source.line_of(&raw_material.code.span()),
                cost: source.line_of(&raw_material.cost.span()),
            });
        }
        let mut steps = Vec::with_capacity(raw.step.len());
        for raw_step in &raw.step {
            steps.push(parse_step(&source, raw_step, currency)?);
            lines.steps.push(ItemLines {
                code: source.line_of(&raw_step.code.span()),
                cost: source.line_of(&raw_step.cost.span()),
            });
        }
        let parts = ProductParts {
            name,
            class,
            materials,
            steps,
        };
        assemble(parts, Some(&lines))
    }

    /// Checks the parts: a non-empty name, at least one material, codes unique across
    /// materials and steps, one currency, and a total cost that fits in 64-bit cents.
    ///
    /// The class is not checked here but by [`crate::check`], against its rule book.
    pub fn new(parts: ProductParts) -> Result<Product, OriginError> {
        assemble(parts, None)
    }

    /// The product's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The product class.
    pub fn class(&self) -> &ClassCode {
        &self.class
    }

    /// The currency every cost is in.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The bill of materials, never empty.
    pub fn materials(&self) -> &[Material] {
        &self.materials
    }

    /// The process steps.
    pub fn steps(&self) -> &[ProcessStep] {
        &self.steps
    }

    /// The parts, to build a changed product (say, with a step moved to Hong Kong).
    pub fn into_parts(self) -> ProductParts {
        ProductParts {
            name: self.name,
            class: self.class,
            materials: self.materials,
            steps: self.steps,
        }
    }
}

impl Material {
    /// Checks the parts: a non-empty label, a cost not below zero, and not both of Hong Kong
    /// origin and unavailable in Hong Kong.
    pub fn new(parts: MaterialParts) -> Result<Material, OriginError> {
        let item = non_empty_label(&parts.item, "item")?;
        non_negative(parts.cost)?;
        if !parts.available_in_hk && parts.origin.as_str() == "HK" {
            return Err(OriginError::Invalid {
                at: Location::field("available_in_hk"),
                reason: "a material of Hong Kong origin cannot be unavailable in Hong Kong"
                    .to_owned(),
            });
        }
        Ok(Material {
            code: parts.code,
            item,
            cost: parts.cost,
            origin: parts.origin,
            available_in_hk: parts.available_in_hk,
        })
    }

    /// The material's code.
    pub fn code(&self) -> &ItemCode {
        &self.code
    }

    /// What it is.
    pub fn item(&self) -> &str {
        &self.item
    }

    /// Its cost.
    pub fn cost(&self) -> Money {
        self.cost
    }

    /// The country it comes from.
    pub fn origin(&self) -> CountryCode {
        self.origin
    }

    /// Whether it can be had in Hong Kong.
    pub fn available_in_hk(&self) -> bool {
        self.available_in_hk
    }
}

impl ProcessStep {
    /// Checks the parts: a non-empty label and a cost not below zero.
    pub fn new(parts: StepParts) -> Result<ProcessStep, OriginError> {
        let step = non_empty_label(&parts.step, "step")?;
        non_negative(parts.cost)?;
        Ok(ProcessStep {
            code: parts.code,
            step,
            cost: parts.cost,
            place: parts.place,
            essential: parts.essential,
        })
    }

    /// The step's code.
    pub fn code(&self) -> &ItemCode {
        &self.code
    }

    /// What is done.
    pub fn step(&self) -> &str {
        &self.step
    }

    /// Its cost.
    pub fn cost(&self) -> Money {
        self.cost
    }

    /// The country where it is done.
    pub fn place(&self) -> CountryCode {
        self.place
    }

    /// Whether the maker declares it essential.
    pub fn essential(&self) -> bool {
        self.essential
    }
}

fn parse_material(
    source: &Source<'_>,
    raw: &RawMaterial,
    currency: Currency,
) -> Result<Material, OriginError> {
    let parts = MaterialParts {
        code: source.item_code(&raw.code, "code")?,
        item: source.label(&raw.item, "item")?,
        cost: source.cost(&raw.cost, "cost", currency)?,
        origin: source.country(&raw.origin, "origin")?,
        available_in_hk: raw
            .available_in_hk
            .as_ref()
            .is_none_or(|available| *available.get_ref()),
    };
    Material::new(parts).map_err(|error| {
        let line = match &raw.available_in_hk {
            Some(available) if error.location().field == "available_in_hk" => {
                source.line_of(&available.span())
            }
            _ => source.line_of(&raw.code.span()),
        };
        with_line(error, line)
    })
}

fn parse_step(
    source: &Source<'_>,
    raw: &RawStep,
    currency: Currency,
) -> Result<ProcessStep, OriginError> {
    let parts = StepParts {
        code: source.item_code(&raw.code, "code")?,
        step: source.label(&raw.step, "step")?,
        cost: source.cost(&raw.cost, "cost", currency)?,
        place: source.country(&raw.place, "place")?,
        essential: raw
            .essential
            .as_ref()
            .is_some_and(|essential| *essential.get_ref()),
    };
    let line = source.line_of(&raw.code.span());
    ProcessStep::new(parts).map_err(|error| with_line(error, line))
}

fn assemble(parts: ProductParts, lines: Option<&Lines>) -> Result<Product, OriginError> {
    let name = non_empty_label(&parts.name, "name")?;
    let Some(first) = parts.materials.first() else {
        let line = lines.map(|lines| lines.material.unwrap_or(1));
        return Err(OriginError::EmptyBillOfMaterials {
            at: Location {
                line,
                field: "material".to_owned(),
            },
        });
    };
    let currency = first.cost.currency();
    let material_entries = parts
        .materials
        .iter()
        .enumerate()
        .map(|(idx, material)| Entry {
            code: &material.code,
            cost: material.cost,
            lines: lines.and_then(|lines| lines.materials.get(idx)),
        });
    let step_entries = parts.steps.iter().enumerate().map(|(idx, step)| Entry {
        code: &step.code,
        cost: step.cost,
        lines: lines.and_then(|lines| lines.steps.get(idx)),
    });
    let mut first_lines: HashMap<&ItemCode, Option<usize>> = HashMap::new();
    let mut total = Money::zero(currency);
    for entry in material_entries.chain(step_entries) {
        let at = |field: &str, line: Option<usize>| Location {
            line,
            field: field.to_owned(),
        };
        let code_line = entry.lines.map(|lines| lines.code);
        let cost_line = entry.lines.map(|lines| lines.cost);
        if let Some(first_line) = first_lines.get(entry.code) {
            return Err(OriginError::DuplicateCode {
                at: at("code", code_line),
                code: entry.code.to_string(),
                first_line: *first_line,
            });
        }
        first_lines.insert(entry.code, code_line);
        if entry.cost.currency() != currency {
            return Err(OriginError::MixedCurrency {
                at: at("cost", cost_line),
                expected: currency,
                found: entry.cost.currency(),
            });
        }
        total = match total.checked_add(entry.cost) {
            Ok(total) => total,
            Err(_) => {
                return Err(OriginError::Overflow {
                    at: at("cost", cost_line),
                })
            }
        };
    }
    Ok(Product {
        name,
        class: parts.class,
        currency,
        materials: parts.materials,
        steps: parts.steps,
    })
}

fn non_empty_label(text: &str, field: &str) -> Result<String, OriginError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(OriginError::Invalid {
            at: Location::field(field),
            reason: "must not be empty".to_owned(),
        });
    }
    Ok(trimmed.to_owned())
}

fn non_negative(cost: Money) -> Result<(), OriginError> {
    if cost.is_negative() {
        return Err(OriginError::NegativeCost {
            at: Location::field("cost"),
            text: cost.format_scaled(vocab::Scale::Unit),
        });
    }
    Ok(())
}

/// Puts a line on an error found in parts that came from TOML text.
fn with_line(mut error: OriginError, line: usize) -> OriginError {
    let at = match &mut error {
        OriginError::Toml { at, .. }
        | OriginError::Vocab { at, .. }
        | OriginError::Invalid { at, .. }
        | OriginError::InvalidCode { at, .. }
        | OriginError::NegativeCost { at, .. }
        | OriginError::EmptyBillOfMaterials { at }
        | OriginError::DuplicateCode { at, .. }
        | OriginError::UnknownClass { at, .. }
        | OriginError::MixedCurrency { at, .. }
        | OriginError::Overflow { at } => at,
    };
    at.line = Some(line);
    error
}
