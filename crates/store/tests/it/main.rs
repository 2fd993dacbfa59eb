//! The store against both real backends: a temp-file SQLite and a PostgreSQL the tests start.

use store::{Actor, AuditContext, DatabaseUrl, NewUser, Store, StoreError};
use vocab::{BilingualText, DisplayName, EmailAddress, OrgKind, Role};

mod backup;
mod directory;
mod funding;
mod imports;

async fn fresh(sqlite: bool) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = if sqlite {
        DatabaseUrl::sqlite_in(dir.path())
    } else {
        DatabaseUrl::parse(&testkit::TestPostgres::shared().fresh_database()).unwrap()
    };
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    (store, dir)
}

fn ctx() -> AuditContext {
    AuditContext {
        actor: Actor::System,
        request_id: "test".into(),
    }
}

async fn reference_data_round_trips_exactly(sqlite: bool) {
    // Arrange
    let (store, _dir) = fresh(sqlite).await;
    let data = refdata::ReferenceData::embedded().unwrap();
    // Act
    let rows = store
        .load_reference(&ctx(), &data, "embedded")
        .await
        .unwrap();
    let back = store.reference_data().await.unwrap();
    // Assert
    let total: usize = refdata::Dataset::ALL
        .iter()
        .map(|d| data.row_count(*d))
        .sum();
    assert_eq!(rows as usize, total);
    assert_eq!(back.value_added.len(), data.value_added.len());
    for figure in &data.value_added {
        assert!(
            back.value_added.contains(figure),
            "{figure:?} did not round-trip"
        );
    }
    for pledge in &data.pledges {
        assert!(
            back.pledges.contains(pledge),
            "{pledge:?} did not round-trip"
        );
    }
    assert_eq!(back.registry.len(), data.registry.len());
    assert_eq!(back.places.len(), data.places.len());
    // Loading twice replaces rather than duplicates.
    store
        .load_reference(&ctx(), &data, "embedded")
        .await
        .unwrap();
    let summary = store.reference_summary().await.unwrap();
    assert_eq!(summary.iter().map(|s| s.rows).sum::<i64>() as usize, total);
}

#[tokio::test]
async fn reference_data_round_trips_exactly_on_sqlite() {
    reference_data_round_trips_exactly(true).await
}

#[tokio::test]
async fn reference_data_round_trips_exactly_on_postgres() {
    reference_data_round_trips_exactly(false).await
}

async fn the_audit_log_refuses_updates_and_deletes(sqlite: bool) {
    let (store, _dir) = fresh(sqlite).await;
    store
        .create_organisation(
            &ctx(),
            OrgKind::Investor,
            &BilingualText::new("Fund", "基金").unwrap(),
        )
        .await
        .unwrap();
    let log = store.audit_log(10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "organisation.create");
    let err = store
        .try_raw_sql_for_tests("UPDATE audit_log SET action = 'forged'")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = store
        .try_raw_sql_for_tests("DELETE FROM audit_log")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(
        store.audit_log(10).await.unwrap()[0].action,
        "organisation.create"
    );
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_on_sqlite() {
    the_audit_log_refuses_updates_and_deletes(true).await
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_on_postgres() {
    the_audit_log_refuses_updates_and_deletes(false).await
}

async fn a_second_user_with_the_same_email_is_a_conflict(sqlite: bool) {
    let (store, _dir) = fresh(sqlite).await;
    let user = NewUser {
        email: EmailAddress::parse("Admin@Example.org").unwrap(),
        display_name: DisplayName::parse("Admin").unwrap(),
        role: Role::Admin,
        org: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        must_change_password: true,
    };
    store.create_user(&ctx(), &user).await.unwrap();
    let err = store.create_user(&ctx(), &user).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("admin@example.org"));
    let orphan = NewUser {
        role: Role::Enterprise,
        email: EmailAddress::parse("e@x.org").unwrap(),
        ..user
    };
    assert!(matches!(
        store.create_user(&ctx(), &orphan).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.count_users().await.unwrap(), 1);
}

/// Writers that read before they write (a user checks that its email is free) all succeed
/// when many run at once: none is answered "database is locked".
async fn concurrent_read_then_write_transactions_all_succeed(sqlite: bool) {
    let (store, _dir) = fresh(sqlite).await;
    let org = store
        .create_organisation(
            &ctx(),
            OrgKind::Enterprise,
            &BilingualText::new("Acme", "Acme").unwrap(),
        )
        .await
        .unwrap();
    let writers = (0..32).map(|n| {
        let store = store.clone();
        tokio::spawn(async move {
            let user = NewUser {
                email: EmailAddress::parse(&format!("user{n}@acme.example")).unwrap(),
                display_name: DisplayName::parse(&format!("User {n}")).unwrap(),
                role: Role::Enterprise,
                org: Some(org),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
                must_change_password: false,
            };
            store.create_user(&ctx(), &user).await
        })
    });
    let results = futures::future::join_all(writers).await;
    let failures: Vec<String> = results
        .into_iter()
        .map(|joined| joined.unwrap())
        .filter_map(|res| res.err().map(|e| e.to_string()))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(store.count_users().await.unwrap(), 32);
}

#[tokio::test]
async fn concurrent_read_then_write_transactions_all_succeed_on_sqlite() {
    concurrent_read_then_write_transactions_all_succeed(true).await
}

#[tokio::test]
async fn concurrent_read_then_write_transactions_all_succeed_on_postgres() {
    concurrent_read_then_write_transactions_all_succeed(false).await
}

#[tokio::test]
async fn a_second_user_with_the_same_email_is_a_conflict_on_sqlite() {
    a_second_user_with_the_same_email_is_a_conflict(true).await
}

#[tokio::test]
async fn a_second_user_with_the_same_email_is_a_conflict_on_postgres() {
    a_second_user_with_the_same_email_is_a_conflict(false).await
}

#[tokio::test]
async fn every_table_exports_to_csv_with_secrets_redacted() {
    let (store, dir) = fresh(true).await;
    store
        .load_reference(
            &ctx(),
            &refdata::ReferenceData::embedded().unwrap(),
            "embedded",
        )
        .await
        .unwrap();
    let user = NewUser {
        email: EmailAddress::parse("a@b.org").unwrap(),
        display_name: DisplayName::parse("A").unwrap(),
        role: Role::Admin,
        org: None,
        password_hash: "secret-hash-value".into(),
        must_change_password: false,
    };
    store.create_user(&ctx(), &user).await.unwrap();
    let out = dir.path().join("export");
    for table in Store::exported_tables() {
        store.export_table(table, &out).await.unwrap();
    }
    let users = std::fs::read_to_string(out.join("users.csv")).unwrap();
    assert!(
        users.contains("a@b.org")
            && users.contains("[redacted]")
            && !users.contains("secret-hash-value")
    );
    let figures = std::fs::read_to_string(out.join("ref_industry_value_added.csv")).unwrap();
    assert!(figures.contains("12710000000000"), "{figures}");
}

#[test]
fn database_urls_pick_the_backend_and_never_print_passwords() {
    let pg = DatabaseUrl::parse("postgres://madeby:hunter2@db.internal:5432/madeby").unwrap();
    assert_eq!(pg.backend(), store::Backend::Postgres);
    assert_eq!(
        format!("{pg:?}"),
        "postgres://madeby:***@db.internal:5432/madeby"
    );
    let lite = DatabaseUrl::parse("sqlite://data/x.db").unwrap();
    assert_eq!(lite.backend(), store::Backend::Sqlite);
    let err = DatabaseUrl::parse("mysql://root:pw@h/db").unwrap_err();
    assert!(err.to_string().contains("root:***@"), "{err}");
}
