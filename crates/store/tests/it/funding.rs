//! Funding applications on both backends: the applicant's organisation alone sees and edits
//! them, officers only their schemes' submitted ones; documents keep their bytes exactly;
//! decisions and change requests keep their history.

use screening::{ApplicationInput, BudgetLineInput};
use store::{
    ApplicationFilter, ApplicationStatus, Decision, FundingAccess, NewAttachment, NewChangeRequest,
    Screened, StoreError,
};
use vocab::{BilingualText, DisplayName, EmailAddress, OrgKind, Role};

use super::{ctx, fresh};

fn input(title: &str, equipment: &str) -> ApplicationInput {
    ApplicationInput {
        reference: "draft".into(),
        organisation_name: "Acme".into(),
        project_title: title.into(),
        amount_requested: "100,000".into(),
        budget_lines: vec![BudgetLineInput {
            category: "equipment".into(),
            description: "press".into(),
            amount: equipment.into(),
        }],
        ..ApplicationInput::default()
    }
}

fn screened(input: &ApplicationInput) -> Screened {
    Screened {
        input: input.clone(),
        amount_cents: 10_000_000,
        currency: "HKD".into(),
        route: "officer_queue",
        risk_millionths: 40_000_000,
        report_json: "{\"route\":{\"route\":\"officer_queue\"}}".into(),
    }
}

async fn applications_are_private_and_keep_their_history(sqlite: bool) {
    let (store, _dir) = fresh(sqlite).await;
    let org = |name: &'static str| {
        let store = store.clone();
        async move {
            store
                .create_organisation(
                    &ctx(),
                    OrgKind::Enterprise,
                    &BilingualText::new(name, "公司").unwrap(),
                )
                .await
                .unwrap()
        }
    };
    let (acme, beta, office) = (org("Acme").await, org("Beta").await, org("Office").await);
    let user = |email: &'static str, role: Role, org: Option<vocab::OrgId>| {
        let store = store.clone();
        async move {
            store
                .create_user(
                    &ctx(),
                    &store::NewUser {
                        email: EmailAddress::parse(email).unwrap(),
                        display_name: DisplayName::parse("Someone").unwrap(),
                        role,
                        org,
                        password_hash: "x".into(),
                        must_change_password: false,
                    },
                )
                .await
                .unwrap()
        }
    };
    let applicant = user("a@acme.hk", Role::Enterprise, Some(acme)).await;
    let officer = user("o@gov.hk", Role::Officer, Some(office)).await;
    let other_officer = user("p@gov.hk", Role::Officer, Some(office)).await;
    store
        .assign_scheme_officer(&ctx(), "smart-production-line", officer)
        .await
        .unwrap();
    assert!(matches!(
        store
            .assign_scheme_officer(&ctx(), "smart-production-line", applicant)
            .await,
        Err(StoreError::Conflict(_))
    ));
    let (mine, theirs) = (
        FundingAccess::Applicant { org: acme },
        FundingAccess::Applicant { org: beta },
    );
    let (assigned, unassigned) = (
        FundingAccess::Officer { user: officer },
        FundingAccess::Officer {
            user: other_officer,
        },
    );

    let draft = store
        .create_application(
            &ctx(),
            acme,
            "smart-production-line",
            &input("Press line", "300,000"),
            "[]",
        )
        .await
        .unwrap();
    assert_eq!(draft.status, ApplicationStatus::Draft);
    assert_eq!(
        draft.reference,
        format!("SMART-PRODUCTION-LINE-{:06}", draft.id)
    );
    // Drafts: the organisation's alone, not even its scheme's officer.
    for stranger in [theirs, assigned, unassigned] {
        assert!(matches!(
            store.application(stranger, draft.id).await,
            Err(StoreError::NotFound)
        ));
    }
    assert!(store
        .update_application(&ctx(), theirs, draft.id, &input("Hijack", "1"))
        .await
        .is_err());

    // A document keeps its exact bytes; a stranger cannot read it.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let doc = store
        .add_attachment(
            &ctx(),
            mine,
            draft.id,
            &NewAttachment {
                document: "quotations".into(),
                file_name: "quote.pdf".into(),
                content_type: "application/pdf".into(),
                sha256: screening::sha256_hex(&bytes),
                bytes: bytes.clone(),
            },
        )
        .await
        .unwrap();
    let (meta, back) = store
        .attachment_content(mine, draft.id, doc.id)
        .await
        .unwrap();
    assert_eq!(back, bytes);
    assert_eq!(meta.size_bytes, 70_000);
    assert!(store
        .attachment_content(theirs, draft.id, doc.id)
        .await
        .is_err());

    // Submitted: the assigned officer sees it, the unassigned one does not.
    let submitted = store
        .submit_application(&ctx(), mine, draft.id, &screened(&draft.input))
        .await
        .unwrap();
    assert_eq!(submitted.status, ApplicationStatus::Submitted);
    assert_eq!(submitted.route.as_deref(), Some("officer_queue"));
    assert!(store.application(assigned, draft.id).await.is_ok());
    assert!(store.application(unassigned, draft.id).await.is_err());
    let queue = store
        .applications(
            assigned,
            &ApplicationFilter {
                route: Some("officer_queue".into()),
                text: Some("PRESS".into()),
                min_risk_millionths: Some(30_000_000),
                ..ApplicationFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    let none = store
        .applications(
            assigned,
            &ApplicationFilter {
                min_risk_millionths: Some(50_000_000),
                ..ApplicationFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(none.is_empty());
    assert!(store
        .applications(unassigned, &ApplicationFilter::default())
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .update_application(&ctx(), mine, draft.id, &input("Late edit", "1"))
        .await
        .is_err());

    // Decisions: only the assigned officer, once.
    assert!(store
        .decide_application(&ctx(), unassigned, draft.id, Decision::Approve, "ok")
        .await
        .is_err());
    assert!(store
        .decide_application(&ctx(), mine, draft.id, Decision::Approve, "self")
        .await
        .is_err());
    store
        .decide_application(
            &ctx(),
            assigned,
            draft.id,
            Decision::Approve,
            "meets every rule",
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .decide_application(&ctx(), assigned, draft.id, Decision::Reject, "again")
            .await,
        Err(StoreError::Conflict(_))
    ));
    let decisions = store.application_decisions(mine, draft.id).await.unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].officer_email, "o@gov.hk");

    // A change request: one open at a time; approval applies it; history kept.
    let after = input("Press line", "300,000.00");
    let change = |reason: &str| NewChangeRequest {
        kind: "budget",
        change_json: "{\"kind\":\"budget\",\"budget_lines\":[]}".into(),
        assessment_json: "{}".into(),
        within_tolerance: true,
        after: after.clone(),
        reason: reason.into(),
    };
    let asked = store
        .request_change(
            &ctx(),
            mine,
            applicant,
            draft.id,
            &change("supplier changed"),
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .request_change(&ctx(), mine, applicant, draft.id, &change("again"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.change_request(theirs, asked.id).await.is_err());
    store
        .decide_change(&ctx(), assigned, asked.id, true, "within tolerance")
        .await
        .unwrap();
    let now = store.application(mine, draft.id).await.unwrap();
    assert_eq!(now.input.budget_lines[0].amount, "300,000.00");
    let history = store.change_requests(mine, draft.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, "approved");
    assert_eq!(history[0].before.budget_lines[0].amount, "300,000");
    assert_eq!(history[0].decided_by, Some(officer));

    // The duplicate check sees submitted applications across organisations.
    let earlier = store.screened_applications(0).await.unwrap();
    assert_eq!(earlier.len(), 1);
    assert_eq!(
        earlier[0].0,
        format!("smart-production-line/{}", draft.reference)
    );
}

#[tokio::test]
async fn applications_are_private_and_keep_their_history_on_sqlite() {
    applications_are_private_and_keep_their_history(true).await
}

#[tokio::test]
async fn applications_are_private_and_keep_their_history_on_postgres() {
    applications_are_private_and_keep_their_history(false).await
}
