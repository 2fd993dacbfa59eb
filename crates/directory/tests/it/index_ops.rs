//! Keeping the index in step with the database: upsert, remove, rebuild, reopening from disk.

use directory::{
    synth, DirectoryIndex, Entry, IndexConfig, Kind, Profile, ProfileInput, SearchQuery,
};

fn small_directory() -> Vec<Entry> {
    synth::generate(&synth::Plan::scaled(600), 11).collect()
}

fn ids(index: &DirectoryIndex, text: &str) -> Vec<u64> {
    let results = index
        .search(&SearchQuery::text(text, 50))
        .expect("the search runs");
    results.hits.iter().map(|h| h.id.get()).collect()
}

fn renamed(entry: &Entry, en: &str, zh: &str) -> Entry {
    let mut input = ProfileInput::from(entry.profile().clone());
    input.name_en = en.to_owned();
    input.name_zh = zh.to_owned();
    Entry::new(entry.id(), Profile::try_from(input).expect("still valid"))
}

#[test]
fn upsert_replaces_an_entry_and_search_follows() {
    // Arrange
    let entries = small_directory();
    let index = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index");
    index
        .rebuild(entries.iter().cloned(), |_| {})
        .expect("rebuilds");
    let target = &entries[3];
    assert!(ids(&index, "Quokkatronics").is_empty());

    // Act
    index
        .upsert(&renamed(target, "Quokkatronics Testing", "袋鼠檢測"))
        .expect("upserts");

    // Assert
    assert_eq!(ids(&index, "Quokkatronics"), [target.id().get()]);
    assert_eq!(ids(&index, "袋鼠"), [target.id().get()]);
    assert_eq!(index.len(), entries.len() as u64, "replaced, not added");
}

#[test]
fn remove_drops_the_entry() {
    // Arrange
    let entries = small_directory();
    let index = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index");
    index
        .rebuild(entries.iter().cloned(), |_| {})
        .expect("rebuilds");
    let target = renamed(&entries[5], "Wombatworks Logistics", "袋熊物流");
    index.upsert(&target).expect("upserts");
    assert_eq!(ids(&index, "Wombatworks"), [target.id().get()]);

    // Act
    index.remove(target.id()).expect("removes");

    // Assert
    assert!(ids(&index, "Wombatworks").is_empty());
    assert_eq!(index.len(), entries.len() as u64 - 1);
}

#[test]
fn a_rebuild_equals_an_incremental_build() {
    // Arrange
    let entries = small_directory();
    let rebuilt = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index");
    let incremental = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index");
    let mut reports = Vec::new();

    // Act
    let n = rebuilt
        .rebuild(entries.iter().cloned(), |done| reports.push(done))
        .expect("rebuilds");
    for chunk in entries.chunks(97) {
        incremental.upsert_batch(chunk).expect("upserts");
    }
    incremental
        .upsert(&entries[0])
        .expect("an upsert of the same entry changes nothing");
    incremental.merge_segments().expect("merges");

    // Assert
    assert_eq!(n, entries.len() as u64);
    assert_eq!(reports.last(), Some(&n));
    assert_eq!(incremental.len(), rebuilt.len());
    for text in [
        "testing Chongqing",
        "檢測 重慶",
        "tesing",
        "EV battery",
        "物流",
        "legal Shenzhen",
    ] {
        let mut query = SearchQuery::text(text, 30);
        let a = rebuilt.search(&query).expect("searches");
        let b = incremental.search(&query).expect("searches");
        assert_eq!(a.total, b.total, "{text}");
        assert_eq!(a.facets, b.facets, "{text}");
        let ids = |r: &directory::SearchResults| {
            let mut ids: Vec<u64> = r.hits.iter().map(|h| h.id.get()).collect();
            ids.sort_unstable();
            ids
        };
        // Scores depend on per-segment statistics only through ties, so compare the sets.
        query.limit = 1_000;
        let (a, b) = (
            rebuilt.search(&query).expect("searches"),
            incremental.search(&query).expect("searches"),
        );
        assert_eq!(ids(&a), ids(&b), "{text}");
    }
}

#[test]
fn a_rebuild_replaces_what_was_there() {
    // Arrange
    let index = DirectoryIndex::create_in_ram(&IndexConfig::SMALL).expect("an index");
    index
        .rebuild(synth::providers(50, 1), |_| {})
        .expect("rebuilds");

    // Act
    index
        .rebuild(synth::investors(20, 1), |_| {})
        .expect("rebuilds");

    // Assert
    let results = index.search(&SearchQuery::text("", 0)).expect("searches");
    assert_eq!(results.total, 20);
    assert_eq!(results.facets.kinds, [(Kind::Investor, 20)]);
}

#[test]
fn an_index_on_disk_is_there_when_reopened() {
    // Arrange
    let dir = tempfile::tempdir().expect("a temporary directory");
    {
        let index =
            DirectoryIndex::open_or_create(dir.path(), &IndexConfig::SMALL).expect("creates");
        index
            .rebuild(synth::providers(200, 3), |_| {})
            .expect("rebuilds");
    }

    // Act
    let index = DirectoryIndex::open_or_create(dir.path(), &IndexConfig::SMALL).expect("reopens");

    // Assert
    assert_eq!(index.len(), 200);
    assert!(
        index
            .search(&SearchQuery::text("testing", 5))
            .expect("searches")
            .total
            > 0
    );
}

#[test]
fn a_too_small_memory_budget_is_refused() {
    let config = IndexConfig {
        memory_budget_bytes: 1_000_000,
        threads: 2,
    };
    let err = DirectoryIndex::create_in_ram(&config)
        .err()
        .expect("refused");
    assert!(
        err.to_string().starts_with("memory_budget_bytes: "),
        "{err}"
    );
}
