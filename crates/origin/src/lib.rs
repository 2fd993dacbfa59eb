//! The "Brand Hong Kong" origin check: may a product say it is made in Hong Kong?
//!
//! The rule follows the Swiss "Swiss Made" rule, and is data, not code.
//! A [`RuleBook`] holds, for each [`ProductClass`], the least share of the manufacturing cost
//! that must be incurred in Hong Kong, the essential steps that must be done there, and the
//! materials that may be left out of the cost base when they are not available in Hong Kong
//! (as the Swiss rule leaves out natural materials that cannot be had locally).
//! A [`Product`] is a bill of [`Material`]s and a list of [`ProcessStep`]s, each with a cost and
//! a country.
//! [`check`] returns an [`OriginReport`]: the verdict, the share with every [`Term`] shown, each
//! [`EssentialStepCheck`], and the cheapest [`Fix`] (which costs must move to Hong Kong).
//!
//! Hong Kong has no statutory rule of this kind.
//! [`default_rules`] ships the Swiss thresholds as an indicative rule book: 60% for industrial
//! and electronic products, 80% for foodstuffs (which the Swiss rule measures by raw-material
//! weight and this crate approximates by cost).
//!
//! # How the share is computed
//!
//! - Every cost is in the base, except a material that is marked `available_in_hk = false`
//!   *and* is listed in the class's `excludable_materials`.
//! - A cost counts as incurred in Hong Kong when the material's `origin` or the step's
//!   `place` is `HK`.
//! - The product qualifies when `hk_cost / base_cost >= threshold`, compared exactly in
//!   integer cents (`hk_cost * 100 * 10^6 >= threshold_millionths * base_cost`), so a share
//!   exactly at the threshold qualifies; and every essential step (the class's, and any step
//!   the product marks `essential = true`) is present and done in Hong Kong.
//! - The share shown is rounded down to 2 decimals, so it never looks better than it is.
//! - Moving a cost `c` to Hong Kong raises `hk_cost` by `c` and leaves the base alone, so the
//!   least amount to move is the smallest `x` with
//!   `(hk_cost + x) * 100 * 10^6 >= threshold_millionths * base_cost`.
//!   The fix moves any essential step done elsewhere, then the fewest other costs (largest
//!   first) that cover the rest.
//!
//! Money is never a float: costs are [`vocab::Money`] in whole cents, sums are `i128`.
//!
//! # Rule book format
//!
//! ```toml
//! source = "indicative"   # "published: <document>", "indicative" or "synthetic"
//!
//! [[class]]
//! code = "industrial"
//! name_en = "Industrial products"
//! name_zh = "工業產品"
//! min_hk_share_pct = "60"                     # 0 to 100, up to 6 decimals
//! essential_steps = ["final-assembly"]        # step codes that must be done in Hong Kong
//! excludable_materials = ["natural-rubber"]   # may leave the base when not available in HK
//! ```
//!
//! # Product format
//!
//! ```toml
//! name = "Smart battery pack"
//! class = "industrial"
//! currency = "HKD"            # optional, HKD by default; every cost is in this currency
//!
//! [[material]]
//! code = "cells"              # codes are unique across materials and steps
//! item = "Li-ion cells"
//! cost = "420.00"             # a string or a whole number, never a float; not negative
//! origin = "CN"               # ISO 3166-1 alpha-2
//!
//! [[material]]
//! code = "natural-rubber"
//! item = "Rubber seals"
//! cost = "15"
//! origin = "MY"
//! available_in_hk = false     # optional, true by default
//!
//! [[step]]
//! code = "final-assembly"
//! step = "Final assembly and calibration"
//! cost = "300"
//! place = "HK"
//! essential = true            # optional, false by default
//! ```
//!
//! Bad input is an [`OriginError`] naming the 1-based line and the field, such as
//! ``line 12: field `cost`: "-5" must not be negative``; a caller reading a file puts the file
//! name in front.
//!
//! # Example
//!
//! ```
//! use origin::{check, default_rules, OriginError, Product};
//!
//! let rules = default_rules();
//! let product = Product::parse(
//!     &rules,
//!     r#"
//! name = "Smart battery pack"
//! class = "industrial"
//!
//! [[material]]
//! code = "cells"
//! item = "Li-ion cells"
//! cost = "400"
//! origin = "CN"
//!
//! [[step]]
//! code = "final-assembly"
//! step = "Final assembly and calibration"
//! cost = "300"
//! place = "HK"
//! "#,
//! )?;
//!
//! let report = check(&rules, &product)?;
//! // HK$300 of HK$700 is 42.857...%, shown rounded down.
//! assert!(!report.qualifies);
//! assert_eq!(report.share.map(|share| share.to_string()).as_deref(), Some("42.85"));
//!
//! // 60% of HK$700 is HK$420: HK$120 more must be incurred in Hong Kong, so the cells move.
//! let fix = report.fix.expect("a product that does not qualify has a fix");
//! assert_eq!(fix.amount_to_move.to_string(), "HK$120.00");
//! assert_eq!(fix.moves[0].code.as_str(), "cells");
//! # Ok::<(), OriginError>(())
//! ```

#![deny(missing_docs)]

mod check;
mod code;
mod error;
mod product;
mod report;
mod rules;
mod source;

pub use check::check;
pub use code::{ClassCode, ItemCode};
pub use error::{Location, OriginError};
pub use product::{Material, MaterialParts, ProcessStep, Product, ProductParts, StepParts};
pub use report::{
    EssentialStepCheck, Fix, Move, MoveReason, OriginReport, RequiredBy, Term, TermKind, TermNote,
};
pub use rules::{ProductClass, RuleBook};

/// The text of the default rule book, `rules/default.toml`.
pub const DEFAULT_RULES_TOML: &str = include_str!("../rules/default.toml");

/// The default rule book: indicative thresholds after the Swiss "Swiss Made" ordinances,
/// 60% for `industrial` and `electronics`, 80% for `food`.
///
/// Hong Kong has no statutory origin rule of this kind, so the book's source is "indicative".
pub fn default_rules() -> RuleBook {
    RuleBook::parse(DEFAULT_RULES_TOML).expect("the embedded default rule book is valid (tested)")
}

/// An example product (synthetic figures) that qualifies under the default `industrial` class:
/// the starting point of the web form and the command line's documentation.
pub const EXAMPLE_PRODUCT_TOML: &str = include_str!("../products/smart-battery-pack.toml");
