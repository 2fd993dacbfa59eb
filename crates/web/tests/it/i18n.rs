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
    expected.extend(
        vocab::Role::ALL
            .iter()
            .map(|r| format!("role.{}", r.code())),
    );
    expected.extend(
        vocab::OrgKind::ALL
            .iter()
            .map(|k| format!("org_kind.{}", k.code())),
    );
    expected.extend(funding_keys());
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
        "currency.",
        "funding.status.",
        "funding.route.",
        "funding.decision.",
        "funding.decided.",
        "funding.outcome.",
        "funding.change_kind.",
        "funding.change_status.",
        "funding.part.",
        "role.",
        "org_kind.",
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

/// Every code the funding pages name: statuses, decisions, routes and outcomes, the rule kinds,
/// finding and route-reason codes of a screening report, the risk model's features, the
/// application's fields, and the sectors, costs and documents of the shipped schemes.
fn funding_keys() -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut family = |prefix: &str, codes: &mut dyn Iterator<Item = String>| {
        keys.extend(codes.map(|code| format!("{prefix}{code}")));
    };
    family(
        "currency.",
        &mut vocab::Currency::ALL.iter().map(|c| c.code().to_owned()),
    );
    family(
        "funding.status.",
        &mut store::ApplicationStatus::ALL
            .iter()
            .map(|s| s.code().to_owned()),
    );
    for prefix in ["funding.decision.", "funding.decided."] {
        family(
            prefix,
            &mut store::Decision::ALL.iter().map(|d| d.code().to_owned()),
        );
    }
    family(
        "funding.route.",
        &mut ["fast_track", "officer_queue"]
            .iter()
            .map(|c| c.to_string()),
    );
    family(
        "funding.outcome.",
        &mut ["pass", "fail", "unknown"].iter().map(|c| c.to_string()),
    );
    family(
        "funding.change_kind.",
        &mut ["budget", "milestone"].iter().map(|c| c.to_string()),
    );
    family(
        "funding.change_status.",
        &mut ["requested", "approved", "rejected"]
            .iter()
            .map(|c| c.to_string()),
    );
    family(
        "funding.part.",
        &mut ["title", "description", "budget_lines"]
            .iter()
            .map(|c| c.to_string()),
    );
    family(
        "funding.rule.",
        &mut screening::RULE_KINDS.iter().map(|c| c.to_string()),
    );
    family(
        "funding.feature.",
        &mut screening::STRUCTURED_FEATURES.iter().map(|c| c.to_string()),
    );
    let findings = [
        "missing_field",
        "missing_document",
        "currency_mismatch",
        "budget_does_not_add_up",
        "funding_does_not_add_up",
        "above_funding_cap",
        "above_matching_ratio",
        "contribution_below_ratio",
        "dates_out_of_order",
        "submitted_outside_window",
        "ineligible_cost",
        "arithmetic_overflow",
    ];
    for prefix in ["funding.finding.", "funding.check."] {
        family(prefix, &mut findings.iter().map(|c| c.to_string()));
    }
    family(
        "funding.reason.",
        &mut [
            "rule_failed",
            "rule_unknown",
            "incomplete",
            "inconsistent",
            "possible_duplicate",
            "risk_above",
            "amount_above",
        ]
        .iter()
        .map(|c| c.to_string()),
    );
    let fields = serde_json::to_value(screening::ApplicationInput::default()).unwrap();
    family(
        "funding.field.",
        &mut fields.as_object().unwrap().keys().cloned(),
    );
    for scheme in screening::example_schemes() {
        family(
            "funding.cost.",
            &mut scheme.eligible_costs().iter().map(|c| c.to_string()),
        );
        family(
            "funding.document.",
            &mut scheme.required_documents().iter().map(|d| d.to_string()),
        );
        for rule in scheme.rules() {
            if let screening::Requirement::SectorIn { sectors }
            | screening::Requirement::SectorNotIn { sectors } = &rule.requirement
            {
                family(
                    "funding.sector.",
                    &mut sectors.iter().map(|s| s.to_string()),
                );
            }
        }
    }
    keys
}
