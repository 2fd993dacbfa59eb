//! Facet counts equal a brute-force count over the demo entries.

use std::collections::BTreeMap;

use directory::{Kind, Region, SearchQuery, Sector, Service};

use crate::demo;

#[track_caller]
fn check_facets(query: &SearchQuery, selected: impl Fn(&directory::Profile) -> bool) {
    // Arrange
    let demo = demo();
    let matching: Vec<&directory::Profile> = demo
        .entries
        .values()
        .map(|e| e.profile())
        .filter(|p| selected(p))
        .collect();
    let mut kinds: BTreeMap<Kind, u64> = BTreeMap::new();
    let mut services: BTreeMap<Service, u64> = BTreeMap::new();
    let mut regions: BTreeMap<Region, u64> = BTreeMap::new();
    let mut sectors: BTreeMap<Sector, u64> = BTreeMap::new();
    for profile in &matching {
        *kinds.entry(profile.kind()).or_default() += 1;
        profile
            .services()
            .iter()
            .for_each(|s| *services.entry(*s).or_default() += 1);
        profile
            .regions()
            .iter()
            .for_each(|r| *regions.entry(*r).or_default() += 1);
        profile
            .sectors()
            .iter()
            .for_each(|s| *sectors.entry(*s).or_default() += 1);
    }

    // Act
    let results = demo.index.search(query).expect("the search runs");

    // Assert
    assert!(!matching.is_empty(), "the filter selects something");
    assert_eq!(results.total, matching.len() as u64);
    assert_eq!(
        results
            .facets
            .kinds
            .iter()
            .copied()
            .collect::<BTreeMap<_, _>>(),
        kinds
    );
    assert_eq!(
        results
            .facets
            .services
            .iter()
            .copied()
            .collect::<BTreeMap<_, _>>(),
        services
    );
    assert_eq!(
        results
            .facets
            .regions
            .iter()
            .copied()
            .collect::<BTreeMap<_, _>>(),
        regions
    );
    assert_eq!(
        results
            .facets
            .sectors
            .iter()
            .copied()
            .collect::<BTreeMap<_, _>>(),
        sectors
    );
    let counts: Vec<u64> = results.facets.services.iter().map(|(_, n)| *n).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most first: {counts:?}"
    );
}

#[test]
fn facets_of_a_region_and_service_filter_match_a_brute_force_count() {
    let mut query = SearchQuery::text("", 10);
    query.regions = vec![Region::Chongqing];
    query.services = vec![Service::TestingCertification, Service::Law];
    check_facets(&query, |p| {
        p.regions().contains(&Region::Chongqing)
            && (p.services().contains(&Service::TestingCertification)
                || p.services().contains(&Service::Law))
    });
}

#[test]
fn facets_of_a_kind_and_sector_filter_match_a_brute_force_count() {
    let mut query = SearchQuery::text("", 0);
    query.kinds = vec![Kind::Project, Kind::Investor];
    query.sectors = vec![Sector::Ev];
    check_facets(&query, |p| {
        matches!(p.kind(), Kind::Project | Kind::Investor) && p.sectors().contains(&Sector::Ev)
    });
}
