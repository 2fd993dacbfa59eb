//! Backups on both backends: every table filled through the store, backed up, restored into a
//! fresh database of the same or the other backend, and compared row for row through the
//! catalog (so tables added later are compared too); tampered files, non-empty databases,
//! other schema versions and a bad row late in the copy are refused and change nothing.

use std::collections::BTreeMap;
use std::path::Path;

use screening::{ApplicationInput, BudgetLineInput};
use sqlx::any::{AnyPoolOptions, AnyRow, AnyTypeInfoKind};
use sqlx::{Column, Row, TypeInfo, ValueRef};
use store::{
    Access, Actor, AuditContext, BackupManifest, BackupPhase, DatabaseUrl, Decision, FundingAccess,
    NewAttachment, NewCertificate, NewChangeRequest, NewIntroduction, NewPlanJob, NewUser,
    Screened, SessionToken, StatsFiles, Store, StoreError, Timestamp,
};
use vocab::{
    BilingualText, DisplayName, EmailAddress, ManufacturingSector, Money, OrgKind, PlaceCode,
    Project, ProjectParts, ProjectStage, Role, UserId, Visibility,
};

use super::ctx;

/// A migrated database of one backend, with the URL a test can open its own pool on.
pub struct Db {
    pub store: Store,
    pub url: String,
    _dir: tempfile::TempDir,
}

pub async fn database(sqlite: bool) -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = if sqlite {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("madeby.db").display()
        )
    } else {
        testkit::TestPostgres::shared().fresh_database()
    };
    let store = Store::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    Db {
        store,
        url,
        _dir: dir,
    }
}

/// Every table but sqlx's, found through the catalog, each row rendered as `column=type value`
/// cells in name order (floats by their bits), rows sorted: equal across backends when the
/// stored values are.
pub async fn contents(url: &str) -> BTreeMap<String, Vec<String>> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let tables: Vec<String> = if url.starts_with("sqlite:") {
        sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> '_sqlx_migrations'",
        )
    } else {
        sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations'",
        )
    }
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&pool)
            .await
            .unwrap();
        let mut rendered: Vec<String> = rows.iter().map(render).collect();
        rendered.sort();
        out.insert(table, rendered);
    }
    pool.close().await;
    out
}

fn render(row: &AnyRow) -> String {
    let mut cells: Vec<String> = row
        .columns()
        .iter()
        .map(|column| {
            let i = column.ordinal();
            let raw = row.try_get_raw(i).unwrap();
            let value = if raw.is_null() {
                "null".to_owned()
            } else {
                match raw.type_info().kind() {
                    kind if kind.is_integer() => format!("int {}", row.get::<i64, _>(i)),
                    AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => {
                        format!("real {:#x}", row.get::<f64, _>(i).to_bits())
                    }
                    AnyTypeInfoKind::Text => format!("text {:?}", row.get::<String, _>(i)),
                    AnyTypeInfoKind::Bool => format!("bool {}", row.get::<bool, _>(i)),
                    AnyTypeInfoKind::Blob => format!("blob {:?}", row.get::<Vec<u8>, _>(i)),
                    other => panic!("{}: unexpected {other:?}", raw.type_info().name()),
                }
            };
            format!("{}={value}", column.name())
        })
        .collect();
    cells.sort();
    cells.join(" | ")
}

/// One value from a raw query on the test's own pool.
async fn scalar(url: &str, sql: &str) -> i64 {
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap();
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    value
}

fn token(text: &str) -> SessionToken {
    SessionToken {
        hash: format!("sha256-of-{text}"),
    }
}

fn lab(name: &str) -> directory::Profile {
    directory::Profile::try_from(directory::ProfileInput {
        kind: "provider".into(),
        name_en: name.into(),
        name_zh: "檢測實驗室".into(),
        description_en: "Battery testing, \"cells\" and packs".into(),
        description_zh: "電池檢測".into(),
        services: vec!["testing_certification".into()],
        regions: vec!["chongqing".into()],
        provenance: "indicative".into(),
        ..directory::ProfileInput::default()
    })
    .unwrap()
}

/// Puts at least one row in every table through the store's own methods, with the awkward
/// values a backup must keep: password hashes, NULLs, Chinese text, quotes and newlines, money
/// in cents, the reference data's coordinates, a deleted session (so the id generator is
/// ahead of the largest id) and a tombstoned directory entry.
pub async fn fill(store: &Store) {
    store
        .load_reference(
            &ctx(),
            &refdata::ReferenceData::embedded().unwrap(),
            "embedded",
        )
        .await
        .unwrap();
    let acme = store
        .create_organisation(
            &ctx(),
            OrgKind::Enterprise,
            &BilingualText::new("Acme \"Precision\" Ltd", "精密工業有限公司").unwrap(),
        )
        .await
        .unwrap();
    let fund = store
        .create_organisation(
            &ctx(),
            OrgKind::Investor,
            &BilingualText::new("Harbour Fund", "海港基金").unwrap(),
        )
        .await
        .unwrap();
    let user = |email: &str, role: Role, org, hash: &str| NewUser {
        email: EmailAddress::parse(email).unwrap(),
        display_name: DisplayName::parse("Ann 陳").unwrap(),
        role,
        org,
        password_hash: hash.to_owned(),
        must_change_password: role == Role::Admin,
    };
    let admin = store
        .create_user(
            &ctx(),
            &user(
                "admin@madeby.local",
                Role::Admin,
                None,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$admin",
            ),
        )
        .await
        .unwrap();
    let ann = store
        .create_user(
            &ctx(),
            &user(
                "ann@acme.example",
                Role::Enterprise,
                Some(acme),
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$ann",
            ),
        )
        .await
        .unwrap();
    let expires = Timestamp::now().plus(time::Duration::days(7));
    store
        .create_session(ann, &token("kept"), "csrf-kept", expires)
        .await
        .unwrap();
    store
        .create_session(ann, &token("ended"), "csrf-ended", expires)
        .await
        .unwrap();
    store.delete_session(&token("ended")).await.unwrap();
    store
        .create_api_token(&ctx(), ann, "writer", &token("api"))
        .await
        .unwrap();
    store
        .record_sign_in_attempt("ann@acme.example", "203.0.113.7", false)
        .await
        .unwrap();
    store
        .record_sign_in_attempt("ann@acme.example", "203.0.113.7", true)
        .await
        .unwrap();
    let as_ann = AuditContext {
        actor: Actor::User {
            id: ann,
            email: "ann@acme.example".into(),
        },
        request_id: "req-1".into(),
    };
    let project = Project::new(ProjectParts {
        title: BilingualText::new("EV assembly line\nphase 1", "電動車裝配線").unwrap(),
        stage: ProjectStage::parse("lead").unwrap(),
        sector: Some(ManufacturingSector::parse("C36").unwrap()),
        place: Some(PlaceCode::parse("hk-tko-ip").unwrap()),
        pledged: Some(Money::hkd(50_000_000_001)),
        realised: None,
        jobs_pledged: Some(300),
        jobs_realised: None,
        visibility: Visibility::Private,
        programme: None,
        announced: None,
        output_pledged: None,
        output_realised: None,
    })
    .unwrap();
    let project = store.create_project(&as_ann, acme, &project).await.unwrap();
    store
        .add_milestone(
            &as_ann,
            Access::Member { org: acme },
            project,
            &BilingualText::new("Site lease signed", "簽訂租約").unwrap(),
            time::macros::date!(2026 - 03 - 31),
        )
        .await
        .unwrap();
    let own = store
        .create_directory_entry(&as_ann, Some(acme), &lab("Acme Lab"))
        .await
        .unwrap();
    store
        .load_directory_entries(
            &ctx(),
            (0..3).map(|i| lab(&format!("Lab {i}"))),
            "test",
            |_| {},
        )
        .await
        .unwrap();
    let gone = store
        .create_directory_entry(&as_ann, Some(acme), &lab("Old Lab"))
        .await
        .unwrap();
    store
        .delete_directory_entry(&as_ann, Access::Member { org: acme }, gone)
        .await
        .unwrap();
    let intro = store
        .request_introduction(
            &ctx(),
            &NewIntroduction {
                from_org: fund,
                from_entry: None,
                to_entry: own,
                score: 82,
                reasons_json: r#"[{"code":"service","weight":0.5}]"#.into(),
                message: "Confidential: our cell chemistry".into(),
            },
        )
        .await
        .unwrap();
    store
        .decide_introduction(&as_ann, Access::Member { org: acme }, intro, true)
        .await
        .unwrap();
    store
        .issue_certificate(
            &ctx(),
            &NewCertificate {
                code: "HK-7Q2M-9XPL".into(),
                product_name: "Smart battery pack".into(),
                product_class: "electronics".into(),
                share_pct: "60.97".into(),
                threshold_pct: "60".into(),
                report_json: r#"{"share":"60.97","terms":[1,2,3]}"#.into(),
                issued_by: Some(ann),
            },
        )
        .await
        .unwrap();
    store
        .add_stats_version(
            &ctx(),
            "2024 revision, \"final\"",
            &StatsFiles {
                lines_csv: "code,name\nC1,\"Food, drink\"\n".into(),
                values_csv: "code,year,value\nC1,2023,127.1\n".into(),
                gdp_csv: "year,gdp\n2023,3006.0\n".into(),
                concordance_csv: "line,component,weight\nC1,manufacturing,1\n".into(),
            },
            Some(admin),
        )
        .await
        .unwrap();
    let job = store
        .queue_plan_job(
            &ctx(),
            &NewPlanJob {
                org: Some(acme),
                created_by: ann,
                name: "China+1".into(),
                model_json: r#"{"products":[]}"#.into(),
                scenarios_json: "[]".into(),
                time_limit_seconds: 30,
                total_steps: 1,
            },
        )
        .await
        .unwrap();
    store.claim_plan_job("worker-1").await.unwrap().unwrap();
    store
        .finish_plan_job(job, Ok(r#"{"cost_cents":123456789}"#))
        .await
        .unwrap();
    store
        .queue_plan_job(
            &ctx(),
            &NewPlanJob {
                org: None,
                created_by: admin,
                name: "queued".into(),
                model_json: "{}".into(),
                scenarios_json: "[]".into(),
                time_limit_seconds: 5,
                total_steps: 2,
            },
        )
        .await
        .unwrap();
    fill_funding(store, &as_ann, acme, ann).await;
    store
        .audit(&as_ann.entry(
            "session.sign_in",
            "user",
            ann,
            serde_json::json!({"note": "tab\tand 中文"}),
        ))
        .await
        .unwrap();
}

/// Funding: an officer assigned to a scheme, an application with a document (its bytes in a
/// blob column), submitted, approved, and a change request.
async fn fill_funding(store: &Store, as_ann: &AuditContext, acme: vocab::OrgId, ann: UserId) {
    let office = store
        .create_organisation(
            &ctx(),
            OrgKind::Government,
            &BilingualText::new("Innovation Office", "創新辦公室").unwrap(),
        )
        .await
        .unwrap();
    let officer = store
        .create_user(
            &ctx(),
            &NewUser {
                email: EmailAddress::parse("officer@gov.example").unwrap(),
                display_name: DisplayName::parse("Officer").unwrap(),
                role: Role::Officer,
                org: Some(office),
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$officer".into(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    store
        .assign_scheme_officer(&ctx(), "smart-production-line", officer)
        .await
        .unwrap();
    let input = |amount: &str| ApplicationInput {
        reference: "draft".into(),
        organisation_name: "Acme".into(),
        project_title: "Press line, \"phase 2\"".into(),
        amount_requested: "100,000".into(),
        budget_lines: vec![BudgetLineInput {
            category: "equipment".into(),
            description: "press".into(),
            amount: amount.into(),
        }],
        ..ApplicationInput::default()
    };
    let mine = FundingAccess::Applicant { org: acme };
    let draft = store
        .create_application(
            as_ann,
            acme,
            "smart-production-line",
            &input("300,000"),
            "[]",
        )
        .await
        .unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3_000).collect();
    store
        .add_attachment(
            as_ann,
            mine,
            draft.id,
            &NewAttachment {
                document: "quotations".into(),
                file_name: "quote.pdf".into(),
                content_type: "application/pdf".into(),
                sha256: screening::sha256_hex(&bytes),
                bytes,
            },
        )
        .await
        .unwrap();
    store
        .submit_application(
            as_ann,
            mine,
            draft.id,
            &Screened {
                input: draft.input.clone(),
                amount_cents: 10_000_000,
                currency: "HKD".into(),
                route: "officer_queue",
                risk_millionths: 40_000_000,
                report_json: r#"{"route":{"route":"officer_queue"}}"#.into(),
            },
        )
        .await
        .unwrap();
    store
        .decide_application(
            &ctx(),
            FundingAccess::Officer { user: officer },
            draft.id,
            Decision::Approve,
            "meets every rule",
        )
        .await
        .unwrap();
    store
        .request_change(
            as_ann,
            mine,
            ann,
            draft.id,
            &NewChangeRequest {
                kind: "budget",
                change_json: r#"{"kind":"budget","budget_lines":[]}"#.into(),
                assessment_json: "{}".into(),
                within_tolerance: true,
                after: input("300,000.00"),
                reason: "supplier changed".into(),
            },
        )
        .await
        .unwrap();
}

/// Tables `fill` leaves empty: none, so a new table makes this test ask to be filled.
fn assert_every_table_has_rows(contents: &BTreeMap<String, Vec<String>>) {
    let empty: Vec<&String> = contents
        .iter()
        .filter(|(_, rows)| rows.is_empty())
        .map(|(table, _)| table)
        .collect();
    assert!(
        empty.is_empty(),
        "fill() leaves these tables empty; add rows to them so the round trip covers them: {empty:?}"
    );
}

fn backup_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Restores `from` into a fresh database of each backend in `to`, and checks every row and
/// the id generators.
async fn round_trip(from_sqlite: bool, to_sqlite: bool) {
    // Arrange
    let source = database(from_sqlite).await;
    fill(&source.store).await;
    let before = contents(&source.url).await;
    assert_every_table_has_rows(&before);
    let folder = backup_dir();
    let dir = folder.path().join("backup");

    // Act
    let mut finished = Vec::new();
    let manifest = source
        .store
        .backup(&dir, |p| {
            if p.finished {
                finished.push(p.table.to_owned());
            }
        })
        .await
        .unwrap();
    let target = database(to_sqlite).await;
    let mut copied = 0;
    let restored = target
        .store
        .restore(&dir, |p| {
            if p.finished && p.phase == BackupPhase::Copying {
                copied += 1;
            }
        })
        .await
        .unwrap();

    // Assert: the same rows in every table, and nothing redacted.
    assert_eq!(restored, manifest);
    assert_eq!(copied, manifest.tables.len());
    let names: Vec<&String> = before.keys().collect();
    let mut listed: Vec<&String> = manifest.tables.iter().map(|t| &t.name).collect();
    listed.sort();
    assert_eq!(listed, names, "the manifest lists every table");
    finished.sort();
    assert_eq!(finished.iter().collect::<Vec<_>>(), names);
    for table in &manifest.tables {
        assert_eq!(
            table.rows as usize,
            before[&table.name].len(),
            "{}",
            table.name
        );
    }
    let after = contents(&target.url).await;
    for (table, rows) in &before {
        assert_eq!(
            &after[table], rows,
            "table {table} differs after the restore"
        );
    }
    assert_eq!(after.len(), before.len());
    let users = std::fs::read_to_string(dir.join("users.jsonl")).unwrap();
    assert!(
        users.contains("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$ann"),
        "{users}"
    );
    assert!(
        users.contains(r#"{"name":"id","type":"integer"}"#),
        "{users}"
    );

    // The migrations are recorded, and the session id the deleted session took is not reused.
    assert_eq!(manifest.migrations.last(), Some(&manifest.schema_version));
    let last_id = |table: &str| {
        let entry = manifest.tables.iter().find(|t| t.name == table).unwrap();
        (entry.rows, entry.identity.as_ref().unwrap().last_value)
    };
    assert_eq!(last_id("sessions"), (1, 2));
    let (_, last_organisation) = last_id("organisations");
    for db in [&source, &target] {
        db.store
            .create_session(UserId::new(2), &token("new"), "csrf-new", Timestamp::now())
            .await
            .unwrap();
        assert_eq!(scalar(&db.url, "SELECT MAX(id) FROM sessions").await, 3);
        let org = db
            .store
            .create_organisation(
                &ctx(),
                OrgKind::Investor,
                &BilingualText::new("New", "新").unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(org.get(), last_organisation + 1);
    }
    // And the restored database is sound and usable through the store.
    target.store.integrity_check().await.unwrap();
    assert_eq!(target.store.count_users().await.unwrap(), 3);
    let blob = &after["application_attachments"][0];
    assert!(blob.contains("content=blob [0, 1, 2, 3"), "{blob}");
    let ann = EmailAddress::parse("ann@acme.example").unwrap();
    let (_, hash) = target.store.user_for_sign_in(&ann).await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$ann");
    assert!(target
        .store
        .session(&token("kept"))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_backup_restores_every_table_row_for_row_on_sqlite() {
    round_trip(true, true).await;
}

#[tokio::test]
async fn a_backup_restores_every_table_row_for_row_on_postgres() {
    round_trip(false, false).await;
}

#[tokio::test]
async fn a_sqlite_backup_restores_into_postgresql() {
    round_trip(true, false).await;
}

#[tokio::test]
async fn a_postgresql_backup_restores_into_sqlite() {
    round_trip(false, true).await;
}

/// A filled source's backup folder and a fresh target on `sqlite`'s backend, with the
/// target's contents before anything is tried.
async fn backup_and_target(
    sqlite: bool,
) -> (
    Db,
    tempfile::TempDir,
    BackupManifest,
    Db,
    BTreeMap<String, Vec<String>>,
) {
    let source = database(true).await;
    fill(&source.store).await;
    let folder = backup_dir();
    let manifest = source
        .store
        .backup(&folder.path().join("b"), |_| {})
        .await
        .unwrap();
    let target = database(sqlite).await;
    let untouched = contents(&target.url).await;
    (source, folder, manifest, target, untouched)
}

fn rewrite_manifest(dir: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    change(&mut manifest);
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
}

/// Replaces a table file and puts its new checksum and row count in the manifest, as a
/// careful forger would.
fn forge(dir: &Path, table: &str, text: &str) {
    use sha2::Digest;
    std::fs::write(dir.join(format!("{table}.jsonl")), text).unwrap();
    let digest = sha2::Sha256::digest(text.as_bytes());
    let sha256: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let rows = text.lines().count() - 1;
    rewrite_manifest(dir, |m| {
        for t in m["tables"].as_array_mut().unwrap() {
            if t["name"] == table {
                t["sha256"] = sha256.clone().into();
                t["rows"] = rows.into();
            }
        }
    });
}

async fn a_tampered_file_is_refused_and_nothing_changes(sqlite: bool) {
    // Arrange: one changed byte in the users file.
    let (_source, folder, _, target, untouched) = backup_and_target(sqlite).await;
    let dir = folder.path().join("b");
    let users = std::fs::read_to_string(dir.join("users.jsonl")).unwrap();
    std::fs::write(
        dir.join("users.jsonl"),
        users.replace("ann@acme.example", "eve@acme.example"),
    )
    .unwrap();

    // Act
    let err = target.store.restore(&dir, |_| {}).await.unwrap_err();

    // Assert
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("users.jsonl") && message.contains("SHA-256"),
        "{message}"
    );
    assert_eq!(contents(&target.url).await, untouched);
}

#[tokio::test]
async fn a_tampered_file_is_refused_and_nothing_changes_on_sqlite() {
    a_tampered_file_is_refused_and_nothing_changes(true).await;
}

#[tokio::test]
async fn a_tampered_file_is_refused_and_nothing_changes_on_postgres() {
    a_tampered_file_is_refused_and_nothing_changes(false).await;
}

async fn a_database_with_rows_is_refused_and_left_as_it_was(sqlite: bool) {
    // Arrange: the target already has an organisation.
    let (_source, folder, _, target, _) = backup_and_target(sqlite).await;
    target
        .store
        .create_organisation(
            &ctx(),
            OrgKind::Investor,
            &BilingualText::new("Already here", "已在").unwrap(),
        )
        .await
        .unwrap();
    let before = contents(&target.url).await;

    // Act
    let err = target
        .store
        .restore(&folder.path().join("b"), |_| {})
        .await
        .unwrap_err();

    // Assert
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(contents(&target.url).await, before);
}

#[tokio::test]
async fn a_database_with_rows_is_refused_and_left_as_it_was_on_sqlite() {
    a_database_with_rows_is_refused_and_left_as_it_was(true).await;
}

#[tokio::test]
async fn a_database_with_rows_is_refused_and_left_as_it_was_on_postgres() {
    a_database_with_rows_is_refused_and_left_as_it_was(false).await;
}

async fn a_bad_row_late_in_the_copy_rolls_the_whole_restore_back(sqlite: bool) {
    // Arrange: introductions come after organisations, users, directory entries...; one of
    // its values has the wrong type, with a checksum to match.
    let (_source, folder, manifest, target, untouched) = backup_and_target(sqlite).await;
    let dir = folder.path().join("b");
    let order: Vec<&str> = manifest.tables.iter().map(|t| t.name.as_str()).collect();
    let at = |name| order.iter().position(|t| *t == name).unwrap();
    assert!(
        at("introductions") > at("organisations") && at("introductions") > at("directory_entries")
    );
    let text = std::fs::read_to_string(dir.join("introductions.jsonl")).unwrap();
    forge(
        &dir,
        "introductions",
        &text.replace(",82,", ",\"eighty-two\","),
    );

    // Act
    let err = target.store.restore(&dir, |_| {}).await.unwrap_err();

    // Assert: the file and line are named, and the tables copied before are rolled back.
    let message = err.to_string();
    assert!(
        message.contains("introductions.jsonl: line 2: column score"),
        "{message}"
    );
    assert_eq!(contents(&target.url).await, untouched);

    // A row the database refuses (a second organisation with the same id) rolls back too.
    forge(&dir, "introductions", &text);
    let orgs = std::fs::read_to_string(dir.join("organisations.jsonl")).unwrap();
    let first_row = orgs.lines().nth(1).unwrap();
    forge(&dir, "organisations", &format!("{orgs}{first_row}\n"));
    let err = target.store.restore(&dir, |_| {}).await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("organisations.jsonl: lines 2-")
            && message.contains("the database refused the rows"),
        "{message}"
    );
    assert_eq!(contents(&target.url).await, untouched);
}

#[tokio::test]
async fn a_bad_row_late_in_the_copy_rolls_the_whole_restore_back_on_sqlite() {
    a_bad_row_late_in_the_copy_rolls_the_whole_restore_back(true).await;
}

#[tokio::test]
async fn a_bad_row_late_in_the_copy_rolls_the_whole_restore_back_on_postgres() {
    a_bad_row_late_in_the_copy_rolls_the_whole_restore_back(false).await;
}

#[tokio::test]
async fn a_backup_of_another_schema_version_is_refused() {
    // Arrange: the manifest says the source lacked the latest migration.
    let (_source, folder, manifest, target, untouched) = backup_and_target(true).await;
    let dir = folder.path().join("b");
    rewrite_manifest(&dir, |m| {
        m["migrations"].as_array_mut().unwrap().pop();
        m["schema_version"] = (manifest.schema_version - 1).into();
    });

    // Act
    let err = target.store.restore(&dir, |_| {}).await.unwrap_err();

    // Assert
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(err.to_string().contains("schema version"), "{err}");
    assert_eq!(contents(&target.url).await, untouched);
}

#[tokio::test]
async fn a_backup_goes_only_into_a_new_or_empty_folder() {
    // Arrange
    let source = database(true).await;
    let folder = backup_dir();
    std::fs::write(folder.path().join("notes.txt"), "mine").unwrap();

    // Act
    let err = source
        .store
        .backup(folder.path(), |_| {})
        .await
        .unwrap_err();

    // Assert
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
}
