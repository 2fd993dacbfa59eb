//! Search on the demo directory: English, Chinese, typos, filters, browsing, paging.

use directory::{Kind, Region, SearchQuery, SearchResults, Service};

use crate::demo;

#[track_caller]
fn check_top(
    query: &SearchQuery,
    n_top: usize,
    want: impl Fn(&directory::Profile) -> bool,
) -> SearchResults {
    let demo = demo();
    let results = demo.index.search(query).expect("the search runs");
    assert!(
        results.hits.len() >= n_top,
        "{:?}: only {} hits",
        query.text,
        results.hits.len()
    );
    for (rank, hit) in results.hits.iter().take(n_top).enumerate() {
        let profile = demo.entry(hit.id).profile();
        assert!(
            want(profile),
            "{:?}: hit {rank} {:?} ({:?}, services {:?}, regions {:?})",
            query.text,
            hit.name.en(),
            profile.kind(),
            profile.services(),
            profile.regions()
        );
        assert_eq!(hit.kind, profile.kind());
        assert_eq!(hit.name, *profile.name());
        assert_eq!(hit.verified, profile.verified());
    }
    results
}

fn testing_provider(profile: &directory::Profile) -> bool {
    profile.kind() == Kind::Provider && profile.services().contains(&Service::TestingCertification)
}

fn serving_chongqing(profile: &directory::Profile) -> bool {
    profile.regions().contains(&Region::Chongqing)
}

#[test]
fn testing_chongqing_finds_testing_providers_serving_chongqing() {
    check_top(&SearchQuery::text("testing Chongqing", 10), 10, |p| {
        testing_provider(p) && serving_chongqing(p)
    });
}

#[test]
fn chinese_testing_chongqing_finds_the_same_kind_of_providers() {
    check_top(&SearchQuery::text("檢測 重慶", 10), 10, |p| {
        testing_provider(p) && serving_chongqing(p)
    });
}

#[test]
fn chinese_without_a_space_finds_them_too() {
    check_top(&SearchQuery::text("重慶檢測", 10), 10, |p| {
        testing_provider(p) && serving_chongqing(p)
    });
}

#[test]
fn a_typo_still_finds_testing_providers() {
    // "tesing" is "testing" less one letter: no exact term, only the fuzzy one.
    let results = check_top(&SearchQuery::text("tesing", 10), 10, testing_provider);
    assert!(!results.relaxed);
}

#[test]
fn a_transposition_counts_as_one_edit() {
    check_top(&SearchQuery::text("tsesting", 10), 10, testing_provider);
}

#[test]
fn a_region_filter_narrows_to_that_region() {
    // Arrange
    let mut query = SearchQuery::text("testing", 20);
    query.regions = vec![Region::Shenzhen];

    // Act / Assert
    let results = check_top(&query, 20, |p| {
        testing_provider(p) && p.regions().contains(&Region::Shenzhen)
    });
    assert!(results
        .facets
        .regions
        .iter()
        .any(|(r, n)| *r == Region::Shenzhen && *n == results.total));
}

#[test]
fn every_word_must_match_unless_none_does() {
    // Arrange: no entry is about both testing and "zzzz".
    let query = SearchQuery::text("testing zzzzqqq", 5);

    // Act
    let results = demo().index.search(&query).expect("the search runs");

    // Assert
    assert!(results.relaxed);
    assert!(results.total > 0);
}

#[test]
fn nonsense_finds_nothing() {
    let results = demo()
        .index
        .search(&SearchQuery::text("qqqqxxxx", 5))
        .expect("the search runs");
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
}

#[test]
fn empty_text_with_a_filter_browses_by_facet_verified_first() {
    // Arrange
    let mut query = SearchQuery::text("", 50);
    query.kinds = vec![Kind::Site];

    // Act
    let results = demo().index.search(&query).expect("the search runs");

    // Assert
    let n_sites = demo()
        .entries
        .values()
        .filter(|e| e.profile().kind() == Kind::Site)
        .count() as u64;
    assert_eq!(results.total, n_sites);
    assert!(results.hits.iter().all(|h| h.kind == Kind::Site));
    let first_unverified = results
        .hits
        .iter()
        .position(|h| !h.verified)
        .unwrap_or(results.hits.len());
    assert!(
        results.hits[first_unverified..].iter().all(|h| !h.verified),
        "verified entries come first"
    );
}

#[test]
fn empty_text_without_filters_lists_everything() {
    let results = demo()
        .index
        .search(&SearchQuery::text("  ", 0))
        .expect("the search runs");
    assert_eq!(results.total, demo().entries.len() as u64);
    assert!(results.hits.is_empty());
}

#[test]
fn pages_do_not_overlap() {
    // Arrange
    let mut first = SearchQuery::text("testing", 10);
    let mut second = first.clone();
    second.offset = 10;
    first.kinds = vec![Kind::Provider];
    second.kinds = vec![Kind::Provider];

    // Act
    let page1 = demo().index.search(&first).expect("the search runs");
    let page2 = demo().index.search(&second).expect("the search runs");

    // Assert
    assert_eq!(page1.total, page2.total);
    assert_eq!(page2.hits.len(), 10);
    assert!(page2
        .hits
        .iter()
        .all(|h| page1.hits.iter().all(|g| g.id != h.id)));
    assert!(page1.hits[9].score >= page2.hits[0].score);
}

#[test]
fn a_limit_above_the_maximum_is_refused() {
    let err = demo()
        .index
        .search(&SearchQuery::text("x", 5_000))
        .expect_err("too many");
    assert!(err.to_string().starts_with("limit: "), "{err}");
}
