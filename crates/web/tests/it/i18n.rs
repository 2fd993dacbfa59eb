//! The translation catalogs: both languages hold the same keys, and every key the templates
//! and handlers name exists.

use std::path::Path;

use web::i18n::Catalogs;

#[test]
fn both_languages_hold_exactly_the_same_keys() {
    let catalogs = Catalogs::load().expect("catalogs load");
    let unpaired: Vec<String> = catalogs
        .unpaired_keys()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(unpaired.is_empty(), "{unpaired:#?}");
    assert!(catalogs.len() > 100);
}

/// Collects the literal keys passed to `.s("...")` in a source text.
fn literal_keys(text: &str) -> Vec<String> {
    text.match_indices(".s(\"")
        .map(|(i, m)| text[i + m.len()..].split('"').next().unwrap().to_owned())
        .collect()
}

/// Collects `prefix` of `.k("prefix", ...)` calls.
fn key_prefixes(text: &str) -> Vec<String> {
    text.match_indices(".k(\"")
        .map(|(i, m)| text[i + m.len()..].split('"').next().unwrap().to_owned())
        .collect()
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn every_key_named_in_templates_and_handlers_exists() {
    let catalogs = Catalogs::load().unwrap();
    let mut missing = Vec::new();
    for (file, text) in sources() {
        for key in literal_keys(&text) {
            if !key.is_empty() && !catalogs.contains(&key) {
                missing.push(format!("{file}: {key}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys missing from the catalogs: {missing:#?}"
    );
}

#[test]
fn every_code_shown_through_a_prefix_has_a_name_in_both_languages() {
    let catalogs = Catalogs::load().unwrap();
    let mut expected: Vec<String> = Vec::new();
    expected.extend(
        vocab::ProjectStage::ALL
            .iter()
            .map(|s| format!("stage.{}", s.code())),
    );
    expected.extend(vocab::ManufacturingSector::all().map(|s| format!("sector.{}", s.code())));
    expected.extend(
        vocab::IndustryComponent::ALL
            .iter()
            .map(|c| format!("component.{}", c.code())),
    );
    expected.extend(
        vocab::NewIndustriesSubgroup::ALL
            .iter()
            .map(|c| format!("subgroup.{}", c.code())),
    );
    expected.extend(
        ["published", "indicative", "synthetic"]
            .iter()
            .map(|k| format!("provenance.{k}")),
    );
    expected.extend(refdata::Dataset::ALL.iter().flat_map(|d| {
        [
            format!("dataset.{}", d.code()),
            format!("dataset_about.{}", d.code()),
        ]
    }));
    expected.extend(
        [
            "statistics",
            "sites",
            "network",
            "directory",
            "funding",
            "origin",
        ]
        .iter()
        .flat_map(|c| {
            [
                format!("capability.{c}"),
                format!("capability.who.{c}"),
                format!("capability.question.{c}"),
            ]
        }),
    );
    expected.extend(
        ["material", "step"]
            .iter()
            .map(|k| format!("origin.kind.{k}")),
    );
    expected.extend(
        [
            "excluded_not_available_in_hk",
            "not_excludable_for_class",
            "excludable_but_available_in_hk",
        ]
        .iter()
        .map(|k| format!("origin.note.{k}")),
    );
    expected.extend(
        ["essential_step", "share"]
            .iter()
            .map(|k| format!("origin.reason.{k}")),
    );
    expected.extend(
        ["published", "indicative", "synthetic", "reported"]
            .iter()
            .map(|k| format!("pipeline.source.{k}")),
    );
    expected.extend(
        directory::Kind::ALL
            .iter()
            .map(|c| format!("dir.kind.{}", c.code())),
    );
    expected.extend(
        directory::Service::ALL
            .iter()
            .map(|c| format!("dir.service.{}", c.code())),
    );
    expected.extend(
        directory::Region::ALL
            .iter()
            .map(|c| format!("dir.region.{}", c.code())),
    );
    expected.extend(
        directory::Sector::ALL
            .iter()
            .map(|c| format!("dir.sector.{}", c.code())),
    );
    expected.extend(
        directory::Stage::ALL
            .iter()
            .map(|c| format!("dir.stage.{}", c.code())),
    );
    expected.extend(
        directory::Language::ALL
            .iter()
            .map(|c| format!("dir.language.{}", c.code())),
    );
    expected.extend(
        directory::SizeBand::ALL
            .iter()
            .map(|c| format!("dir.size.{}", c.code())),
    );
    expected.extend(
        ["requested", "accepted", "declined"]
            .iter()
            .map(|s| format!("dir.intro_status.{s}")),
    );
    expected.extend(
        vocab::Programme::ALL
            .iter()
            .map(|p| format!("programme.{}", p.code())),
    );
    expected.extend(
        store::PlanJobStatus::ALL
            .iter()
            .map(|s| format!("plan.status.{}", s.code())),
    );
    let missing: Vec<&String> = expected.iter().filter(|k| !catalogs.contains(k)).collect();
    assert!(missing.is_empty(), "{missing:#?}");
    // And every prefix used with `.k(` is one of those families.
    let families = [
        "stage.",
        "sector.",
        "component.",
        "subgroup.",
        "provenance.",
        "dataset.",
        "dataset_about.",
        "capability.",
        "capability.who.",
        "capability.question.",
        "visibility.",
        "origin.kind.",
        "origin.note.",
        "origin.reason.",
        "sites.profile.",
        "sites.criterion.",
        "sites.item.",
        "plan.status.",
        "programme.",
        "pipeline.source.",
        "dir.kind.",
        "dir.service.",
        "dir.region.",
        "dir.sector.",
        "dir.stage.",
        "dir.intro_status.",
    ];
    for (file, text) in sources() {
        for prefix in key_prefixes(&text) {
            assert!(
                families.contains(&prefix.as_str()),
                "{file}: unchecked key family {prefix}"
            );
        }
    }
}
