//! Matching on the demo directory: investors to pilot projects, enterprises to providers.

use directory::{
    match_request, Entry, EntryId, Kind, MatchRequest, Profile, ProfileInput, Reason, Region,
    Sector, Service,
};
use vocab::Money;

use crate::demo;

const M: i64 = 100_000_000; // HK$1 million in cents

fn ev_investor() -> Entry {
    let input = ProfileInput {
        kind: "investor".to_owned(),
        name_en: "Harbour EV Capital".to_owned(),
        name_zh: "海港新能源資本".to_owned(),
        description_en: "Invests in EV pilot lines on the Hong Kong–Chongqing pathway.".to_owned(),
        description_zh: "投資港渝新能源汽車中試線。".to_owned(),
        sectors: vec!["ev".to_owned()],
        regions: vec!["hk".to_owned(), "chongqing".to_owned()],
        stages: vec!["pilot".to_owned(), "scale_up".to_owned()],
        ticket_min: Some("50,000,000".to_owned()),
        ticket_max: Some("200,000,000".to_owned()),
        provenance: "synthetic".to_owned(),
        ..ProfileInput::default()
    };
    Entry::new(
        EntryId::new(999_999),
        Profile::try_from(input).expect("valid"),
    )
}

#[test]
fn an_ev_investor_gets_ev_pilot_projects_that_fit_its_ticket_first() {
    // Arrange
    let demo = demo();
    let request = MatchRequest::for_investor(&ev_investor()).expect("an investor");

    // Act
    let matches = match_request(&demo.index, &request, 20).expect("matches");

    // Assert
    assert_eq!(matches.len(), 20);
    for m in &matches[..10] {
        let profile = demo.entry(m.id).profile();
        assert_eq!(profile.kind(), Kind::Project, "{m:?}");
        assert_eq!(profile.sectors(), [Sector::Ev], "{m:?}");
        let sought = profile.funding_sought().expect("a project");
        assert!((50 * M..=200 * M).contains(&sought.cents()), "{m:?}");
        assert!(m.reasons.contains(&Reason::InSector(Sector::Ev)), "{m:?}");
        assert!(
            m.reasons.contains(&Reason::TicketFits {
                sought,
                min: Money::hkd(50 * M),
                max: Money::hkd(200 * M)
            }),
            "{m:?}"
        );
        assert!(
            m.reasons.iter().any(|r| matches!(r, Reason::StageFits(_))),
            "{m:?}"
        );
        assert!(
            m.reasons
                .iter()
                .any(|r| matches!(r, Reason::ServesRegion(Region::Hk | Region::Chongqing))),
            "{m:?}"
        );
    }
    assert!(matches[0].score >= 95, "{:?}", matches[0]);
    assert!(matches.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn a_non_investor_has_no_investor_request() {
    let demo = demo();
    let provider = demo
        .entries
        .values()
        .find(|e| e.profile().kind() == Kind::Provider)
        .expect("a provider");
    assert_eq!(MatchRequest::for_investor(provider), None);
}

#[test]
fn an_enterprise_gets_providers_of_the_services_it_needs() {
    // Arrange: a demo enterprise that needs testing.
    let demo = demo();
    let mut enterprises: Vec<&Entry> = demo
        .entries
        .values()
        .filter(|e| {
            e.profile().kind() == Kind::Enterprise
                && e.profile()
                    .services()
                    .contains(&Service::TestingCertification)
        })
        .collect();
    enterprises.sort_by_key(|e| e.id());
    let enterprise = enterprises[0];
    let request = MatchRequest::for_profile(enterprise);

    // Act
    let matches = match_request(&demo.index, &request, 10).expect("matches");

    // Assert
    assert_eq!(matches.len(), 10);
    for m in &matches {
        assert!(matches!(m.kind, Kind::Provider | Kind::Site), "{m:?}");
        assert_ne!(m.id, enterprise.id(), "never the requester");
        let profile = demo.entry(m.id).profile();
        let offered: Vec<Service> = m
            .reasons
            .iter()
            .filter_map(|r| {
                if let Reason::OffersService(s) = r {
                    Some(*s)
                } else {
                    None
                }
            })
            .collect();
        assert!(
            offered.iter().all(|s| profile.services().contains(s)),
            "{m:?}"
        );
    }
    let best = demo.entry(matches[0].id).profile();
    assert!(
        best.services().contains(&Service::TestingCertification),
        "{:?}",
        matches[0]
    );
}

#[test]
fn certifications_and_text_count_with_reasons() {
    // Arrange
    let mut request = MatchRequest::for_kinds(&[Kind::Provider]);
    request.text = "testing".to_owned();
    request.regions = vec![Region::Chongqing];
    request.certifications = vec!["iso/iec  17025".to_owned()];

    // Act
    let matches = match_request(&demo().index, &request, 10).expect("matches");

    // Assert
    assert_eq!(matches.len(), 10);
    for m in &matches {
        let profile = demo().entry(m.id).profile();
        assert!(
            profile
                .certifications()
                .iter()
                .any(|c| c == "ISO/IEC 17025"),
            "{m:?}"
        );
        assert!(
            m.reasons
                .contains(&Reason::Certified("ISO/IEC 17025".to_owned())),
            "{m:?}"
        );
        assert!(
            m.reasons.contains(&Reason::ServesRegion(Region::Chongqing)),
            "{m:?}"
        );
        assert!(m.reasons.contains(&Reason::TextMatch), "{m:?}");
    }
}

#[test]
fn a_project_seeking_funding_gets_investors_whose_ticket_contains_it() {
    // Arrange
    let demo = demo();
    let mut projects: Vec<&Entry> = demo
        .entries
        .values()
        .filter(|e| e.profile().kind() == Kind::Project && e.profile().sectors() == [Sector::Ev])
        .collect();
    projects.sort_by_key(|e| e.id());
    let project = projects[0];
    let sought = project.profile().funding_sought().expect("a project");
    let mut request = MatchRequest::for_profile(project);
    request.kinds = vec![Kind::Investor];

    // Act
    let matches = match_request(&demo.index, &request, 5).expect("matches");

    // Assert
    assert!(!matches.is_empty());
    let best = demo.entry(matches[0].id).profile();
    let ticket = best.ticket().expect("an investor");
    assert!(ticket.contains(sought), "{:?} for {sought}", matches[0]);
    assert!(best.sectors().contains(&Sector::Ev), "{:?}", matches[0]);
}

#[test]
fn too_many_matches_are_refused() {
    let err =
        match_request(&demo().index, &MatchRequest::for_kinds(&[]), 10_000).expect_err("too many");
    assert!(err.to_string().starts_with("limit: "), "{err}");
}
