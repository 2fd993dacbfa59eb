//! Imports interrupted half-way leave nothing behind (issue 9): a reference-data load whose
//! last row the database refuses, a directory load stopped after its first batch and a
//! statistics upload whose audit line fails all leave every table as it was.

use refdata::ReferenceData;
use store::{StatsFiles, Store, StoreError};

use super::backup::{contents, database};
use super::ctx;

/// Makes the database refuse, in the middle of an import, a row matching `condition` (SQL on
/// `NEW`): the import has written rows before it in the same transaction.
async fn refuse_rows(store: &Store, sqlite: bool, table: &str, condition: &str) {
    if sqlite {
        store
            .try_raw_sql_for_tests(&format!(
                "CREATE TRIGGER test_interrupt BEFORE INSERT ON {table} WHEN {condition} \
                 BEGIN SELECT RAISE(ABORT, 'interrupted by the test'); END"
            ))
            .await
            .unwrap();
    } else {
        store
            .try_raw_sql_for_tests(&format!(
                "CREATE FUNCTION test_interrupt() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN IF {condition} THEN RAISE EXCEPTION 'interrupted by the test'; END IF; \
                 RETURN NEW; END; $$"
            ))
            .await
            .unwrap();
        store
            .try_raw_sql_for_tests(&format!(
                "CREATE TRIGGER test_interrupt BEFORE INSERT ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION test_interrupt()"
            ))
            .await
            .unwrap();
    }
}

async fn a_reference_load_refused_at_its_last_row_leaves_every_table_as_it_was(sqlite: bool) {
    // Arrange: loaded once; the new load changes a document and ends with a pledge whose code
    // is already used, which only the database's primary key catches, after the documents,
    // places, figures and registry counts are written.
    let db = database(sqlite).await;
    let data = ReferenceData::embedded().unwrap();
    db.store
        .load_reference(&ctx(), &data, "embedded")
        .await
        .unwrap();
    let before = contents(&db.url).await;
    let mut changed = data.clone();
    changed.documents[0].title = "A title that must not appear".into();
    let duplicate = changed.pledges[0].clone();
    changed.pledges.push(duplicate);

    // Act
    let err = db
        .store
        .load_reference(&ctx(), &changed, "bad copy")
        .await
        .unwrap_err();

    // Assert
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    assert_eq!(contents(&db.url).await, before);
    db.store.integrity_check().await.unwrap();
}

#[tokio::test]
async fn a_reference_load_refused_at_its_last_row_leaves_every_table_as_it_was_on_sqlite() {
    a_reference_load_refused_at_its_last_row_leaves_every_table_as_it_was(true).await;
}

#[tokio::test]
async fn a_reference_load_refused_at_its_last_row_leaves_every_table_as_it_was_on_postgres() {
    a_reference_load_refused_at_its_last_row_leaves_every_table_as_it_was(false).await;
}

fn lab(i: u32) -> directory::Profile {
    directory::Profile::try_from(directory::ProfileInput {
        kind: "provider".into(),
        name_en: format!("Lab {i}"),
        name_zh: "檢測實驗室".into(),
        description_en: "Battery testing".into(),
        description_zh: "電池檢測".into(),
        services: vec!["testing_certification".into()],
        regions: vec!["chongqing".into()],
        provenance: "synthetic".into(),
        ..directory::ProfileInput::default()
    })
    .unwrap()
}

async fn a_directory_load_stopped_after_its_first_batch_leaves_nothing_behind(sqlite: bool) {
    // Arrange: the 301st entry is refused, after a first batch of 200 has been written and
    // the revision counter taken.
    let db = database(sqlite).await;
    refuse_rows(
        &db.store,
        sqlite,
        "directory_entries",
        "NEW.entry_json LIKE '%Lab 300\"%'",
    )
    .await;
    let before = contents(&db.url).await;
    let mut reported = Vec::new();

    // Act
    let err = db
        .store
        .load_directory_entries(&ctx(), (0..450).map(lab), "synth", |n| reported.push(n))
        .await
        .unwrap_err();

    // Assert: rows were written before the failure, and none of them is left.
    assert!(err.to_string().contains("interrupted by the test"), "{err}");
    assert_eq!(reported.first(), Some(&200), "{reported:?}");
    assert_eq!(contents(&db.url).await, before);
    assert_eq!(db.store.directory_count().await.unwrap(), 0);
    db.store.integrity_check().await.unwrap();
}

#[tokio::test]
async fn a_directory_load_stopped_after_its_first_batch_leaves_nothing_behind_on_sqlite() {
    a_directory_load_stopped_after_its_first_batch_leaves_nothing_behind(true).await;
}

#[tokio::test]
async fn a_directory_load_stopped_after_its_first_batch_leaves_nothing_behind_on_postgres() {
    a_directory_load_stopped_after_its_first_batch_leaves_nothing_behind(false).await;
}

async fn a_statistics_upload_whose_audit_line_fails_is_not_stored(sqlite: bool) {
    // Arrange: the version's row goes in first; its audit line is refused.
    let db = database(sqlite).await;
    refuse_rows(
        &db.store,
        sqlite,
        "audit_log",
        "NEW.action = 'stats_version.add'",
    )
    .await;
    let before = contents(&db.url).await;
    let files = StatsFiles {
        lines_csv: "code,name\nC1,Food\n".into(),
        values_csv: "code,year,value\nC1,2023,1\n".into(),
        gdp_csv: "year,gdp\n2023,3006.0\n".into(),
        concordance_csv: "line,component,weight\nC1,manufacturing,1\n".into(),
    };

    // Act
    let err = db
        .store
        .add_stats_version(&ctx(), "half", &files, None)
        .await
        .unwrap_err();

    // Assert
    assert!(err.to_string().contains("interrupted by the test"), "{err}");
    assert_eq!(contents(&db.url).await, before);
    assert!(db.store.stats_versions().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_statistics_upload_whose_audit_line_fails_is_not_stored_on_sqlite() {
    a_statistics_upload_whose_audit_line_fails_is_not_stored(true).await;
}

#[tokio::test]
async fn a_statistics_upload_whose_audit_line_fails_is_not_stored_on_postgres() {
    a_statistics_upload_whose_audit_line_fails_is_not_stored(false).await;
}
