//! Directory entries and introductions on both backends: revisions an index can follow,
//! owners alone editing, introductions private to the two sides.

use directory::{Profile, ProfileInput};
use store::{Access, NewIntroduction, StoreError};
use vocab::{BilingualText, OrgKind};

use super::{ctx, fresh};

fn lab(name: &str) -> Profile {
    Profile::try_from(ProfileInput {
        kind: "provider".into(),
        name_en: name.into(),
        name_zh: "檢測實驗室".into(),
        description_en: "Battery testing".into(),
        description_zh: "電池檢測".into(),
        services: vec!["testing_certification".into()],
        regions: vec!["chongqing".into()],
        provenance: "indicative".into(),
        ..ProfileInput::default()
    })
    .unwrap()
}

async fn entries_and_introductions(sqlite: bool) {
    let (store, _dir) = fresh(sqlite).await;
    let org = |name: &'static str| {
        let store = store.clone();
        async move {
            store
                .create_organisation(
                    &ctx(),
                    OrgKind::ServiceProvider,
                    &BilingualText::new(name, "機構").unwrap(),
                )
                .await
                .unwrap()
        }
    };
    let (acme, beta) = (org("Acme").await, org("Beta").await);

    // Revisions: a load shares one, each later write takes the next; changes come in order.
    let loaded = store
        .load_directory_entries(
            &ctx(),
            (0..450).map(|i| lab(&format!("Lab {i}"))),
            "test",
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(loaded, 450);
    let own = store
        .create_directory_entry(&ctx(), Some(acme), &lab("Acme Lab"))
        .await
        .unwrap();
    let all = store.directory_changes((0, 0), 10_000).await.unwrap();
    assert_eq!(all.len(), 451);
    let last = all.last().unwrap();
    assert_eq!(last.id, own);
    assert!(last.revision > all[0].revision);
    let page = store
        .directory_changes((all[99].revision, all[99].id.get() as i64), 100)
        .await
        .unwrap();
    assert_eq!(page[0].id, all[100].id);

    // Only the owner (or an administrator) edits; others are refused and nothing changes.
    let err = store
        .update_directory_entry(&ctx(), Access::Member { org: beta }, own, &lab("Stolen"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)), "{err:?}");
    assert_eq!(
        store
            .directory_entry(own)
            .await
            .unwrap()
            .profile
            .name()
            .en(),
        "Acme Lab"
    );
    store
        .update_directory_entry(&ctx(), Access::Member { org: acme }, own, &lab("Acme Labs"))
        .await
        .unwrap();
    let err = store
        .verify_directory_entry(&ctx(), Access::Member { org: acme }, own, true)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)));
    store
        .verify_directory_entry(&ctx(), Access::Admin, own, true)
        .await
        .unwrap();
    let after = store
        .directory_changes((last.revision, last.id.get() as i64), 10)
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].profile.verified() && after[0].profile.name().en() == "Acme Labs");

    // Introductions: Beta asks Acme; a third party and visitors see nothing; Acme decides once.
    let intro = store
        .request_introduction(
            &ctx(),
            &NewIntroduction {
                from_org: beta,
                from_entry: None,
                to_entry: own,
                score: 82,
                reasons_json: "[]".into(),
                message: "Confidential: our cell chemistry".into(),
            },
        )
        .await
        .unwrap();
    let gamma = org("Gamma").await;
    assert!(store
        .introductions(Access::Member { org: gamma })
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .introductions(Access::Anonymous)
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store
            .introduction(Access::Member { org: gamma }, intro)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .introductions(Access::Member { org: acme })
            .await
            .unwrap()
            .len(),
        1
    );
    let err = store
        .decide_introduction(&ctx(), Access::Member { org: beta }, intro, true)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Forbidden(_)));
    store
        .decide_introduction(&ctx(), Access::Member { org: acme }, intro, true)
        .await
        .unwrap();
    let err = store
        .decide_introduction(&ctx(), Access::Member { org: acme }, intro, false)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)));
    assert_eq!(
        store.introduction_outcomes().await.unwrap(),
        vec![(82, true)]
    );
    // The message never reaches the audit log.
    let log = store.audit_log(50).await.unwrap();
    assert!(log.iter().all(|e| !e.detail.contains("cell chemistry")));

    // A deleted entry is a tombstone: gone for readers, still in the change feed.
    store
        .delete_directory_entry(&ctx(), Access::Member { org: acme }, own)
        .await
        .unwrap();
    assert!(matches!(
        store.directory_entry(own).await,
        Err(StoreError::NotFound)
    ));
    let feed = store.directory_changes((0, 0), 10_000).await.unwrap();
    assert!(feed.iter().any(|r| r.id == own && r.deleted));
    assert_eq!(store.directory_count().await.unwrap(), 450);
}

#[tokio::test]
async fn entries_and_introductions_on_sqlite() {
    entries_and_introductions(true).await;
}

#[tokio::test]
async fn entries_and_introductions_on_postgres() {
    entries_and_introductions(false).await;
}
