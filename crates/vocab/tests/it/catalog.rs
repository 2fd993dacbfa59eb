//! The vocabulary catalogs in the web crate name every code, in both languages, and nothing else.

use std::collections::BTreeSet;

use vocab::{
    Currency, IndustryComponent, ManufacturingSector, NewIndustriesSubgroup, OrgKind, PlaceLevel,
    ProjectStage, Role, Scale, Visibility,
};

const EN: &str = include_str!("../../../web/i18n/en/vocab.toml");
const ZH_HK: &str = include_str!("../../../web/i18n/zh-HK/vocab.toml");

/// Reads the `"key" = "value"` lines of a flat catalog, failing on anything else.
#[track_caller]
fn entries(catalog: &str) -> Vec<(String, String)> {
    let mut res = Vec::new();
    for line in catalog.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("not a `\"key\" = \"value\"` line: {line}"));
        let unquote = |s: &str| {
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or_else(|| panic!("not quoted: {s}"))
                .to_owned()
        };
        res.push((unquote(key), unquote(value)));
    }
    res
}

fn expected_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    keys.extend(ManufacturingSector::all().map(|it| format!("sector.{}", it.code())));
    keys.extend(IndustryComponent::ALL.map(|it| format!("component.{}", it.code())));
    keys.extend(NewIndustriesSubgroup::ALL.map(|it| format!("subgroup.{}", it.code())));
    keys.extend(Role::ALL.map(|it| format!("role.{}", it.code())));
    keys.extend(OrgKind::ALL.map(|it| format!("org_kind.{}", it.code())));
    keys.extend(ProjectStage::ALL.map(|it| format!("stage.{}", it.code())));
    keys.extend(Visibility::ALL.map(|it| format!("visibility.{}", it.code())));
    keys.extend(["published", "indicative", "synthetic"].map(|it| format!("provenance.{it}")));
    keys.extend(Currency::ALL.map(|it| format!("currency.{}", it.code())));
    keys.extend(PlaceLevel::ALL.map(|it| format!("place_level.{}", it.code())));
    keys.extend(Scale::ALL.map(|it| format!("scale.{}", it.code())));
    keys.extend(vocab::Programme::ALL.map(|it| format!("programme.{}", it.code())));
    keys
}

#[test]
fn both_catalogs_name_every_code_and_nothing_else() {
    for (language, catalog) in [("en", EN), ("zh-HK", ZH_HK)] {
        // Arrange
        let entries = entries(catalog);

        // Act
        let keys: BTreeSet<String> = entries.iter().map(|(key, _)| key.clone()).collect();

        // Assert
        assert_eq!(keys.len(), entries.len(), "{language}: a key appears twice");
        assert_eq!(
            keys,
            expected_keys(),
            "{language}: keys differ from the codes"
        );
        for (key, value) in &entries {
            assert!(!value.trim().is_empty(), "{language}: {key} is empty");
        }
    }
}

#[test]
fn names_the_electronics_division_as_the_study_does() {
    let en = entries(EN);
    let zh = entries(ZH_HK);
    let find = |entries: &[(String, String)], key: &str| {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        find(&en, "sector.C39").as_deref(),
        Some("Computers, communication and other electronic equipment")
    );
    assert_eq!(
        find(&zh, "sector.C39").as_deref(),
        Some("計算機、通信和其他電子設備製造業")
    );
}
