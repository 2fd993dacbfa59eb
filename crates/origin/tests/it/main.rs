//! Integration tests of the origin check, one binary: checks, fixes, parsing and the default
//! rule book, all through the public API.

mod checks;
mod default_rules;
mod fixes;
mod parsing;

use origin::RuleBook;

/// A rule book for the tests: a plain 60% class, classes with awkward thresholds, and an
/// industrial class with an essential step and an excludable material.
const TEST_RULES: &str = r#"
source = "synthetic"

[[class]]
code = "plain"
name_en = "Plain"
name_zh = "普通"
min_hk_share_pct = "60"

[[class]]
code = "five-eighths"
name_en = "Five eighths"
name_zh = "八分之五"
min_hk_share_pct = "62.5"

[[class]]
code = "one-third"
name_en = "One third"
name_zh = "三分之一"
min_hk_share_pct = "33.333333"

[[class]]
code = "industrial"
name_en = "Industrial products"
name_zh = "工業產品"
min_hk_share_pct = "60"
essential_steps = ["final-assembly"]
excludable_materials = ["natural-rubber"]
"#;

fn test_rules() -> RuleBook {
    RuleBook::parse(TEST_RULES).expect("the test rule book is valid")
}

/// Writes a product's TOML from one line per material or step:
/// `m <code> <cost> <origin> [unavailable]` or `s <code> <cost> <place> [essential]`.
fn product_toml(class: &str, lines: &str) -> String {
    let mut toml = format!("name = \"Test product\"\nclass = \"{class}\"\n");
    for line in lines.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [kind, code, cost, place, flags @ ..] = words.as_slice() else {
            panic!("bad test line {line:?}");
        };
        match *kind {
            "m" => {
                toml.push_str(&format!(
                    "\n[[material]]\ncode = \"{code}\"\nitem = \"Material {code}\"\ncost = \"{cost}\"\norigin = \"{place}\"\n"
                ));
                if flags.contains(&"unavailable") {
                    toml.push_str("available_in_hk = false\n");
                }
            }
            "s" => {
                toml.push_str(&format!(
                    "\n[[step]]\ncode = \"{code}\"\nstep = \"Step {code}\"\ncost = \"{cost}\"\nplace = \"{place}\"\n"
                ));
                if flags.contains(&"essential") {
                    toml.push_str("essential = true\n");
                }
            }
            other => panic!("bad test line kind {other:?}"),
        }
    }
    toml
}
