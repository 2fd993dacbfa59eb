//! The funding pages in a browser's shoes (issue 7): an enterprise applies with a form filled
//! in from its profile, saves, submits and reads its screening line by line, sends documents
//! (checked by content), an assigned officer finds it in the queue and approves it, and a
//! budget change goes through with its history; other organisations and unassigned officers
//! get the 404 page everywhere.

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::json;
use store::{Actor, AuditContext, FundingAccess};
use vocab::{EmailAddress, OrgId, Role};

use crate::both_backends;
use crate::helpers::{hidden_csrf, spawn_app, TestApp, PASSWORD};

const SCHEME: &str = "technology-voucher";
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const EXE: &[u8] =
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00 this program";

/// The application as a browser posts it: the name and sector the platform filled in (in the
/// collapsed section, unchanged), and what the applicant typed.
fn filled_form(csrf: &str, action: &str) -> Vec<(&'static str, String)> {
    [
        ("organisation_name", "Wah Hing Precision Ltd"),
        ("sector", "electronics"),
        ("registered_in_hk", "yes"),
        ("business_registration_number", "12345678"),
        ("employees", "40"),
        ("years_in_operation", "12"),
        ("project_title", "Vision inspection for connector moulding"),
        (
            "project_description",
            "Install a camera inspection cell on the moulding line",
        ),
        ("project_location", "HK"),
        ("start_date", "2027-01-01"),
        ("end_date", "2027-06-30"),
        ("currency", "HKD"),
        ("total", "400,000"),
        ("amount_requested", "300,000"),
        ("company_contribution", "100,000"),
        ("budget_lines[1].category", "equipment"),
        ("budget_lines[1].description", "Camera cell"),
        ("budget_lines[1].amount", "340,000"),
        ("budget_lines[2].category", ""),
        ("budget_lines[2].description", ""),
        ("budget_lines[2].amount", ""),
        ("budget_lines[3].category", "installation"),
        ("budget_lines[3].description", "Fitting and wiring"),
        ("budget_lines[3].amount", "60,000"),
        ("milestones[1].title", "Cell installed"),
        ("milestones[1].due_on", "2027-03-31"),
        ("milestones[2].title", ""),
        ("milestones[2].due_on", ""),
        ("documents", "business_registration"),
        ("documents", "quotations"),
        ("earlier_funding[1].scheme", ""),
        ("earlier_funding[1].amount", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .chain([("csrf", csrf.to_owned()), ("action", action.to_owned())])
    .collect()
}

fn system() -> AuditContext {
    AuditContext {
        actor: Actor::System,
        request_id: "test".into(),
    }
}

async fn user_id(app: &TestApp, email: &str) -> vocab::UserId {
    let email = EmailAddress::parse(email).unwrap();
    app.store
        .user_for_sign_in(&email)
        .await
        .unwrap()
        .unwrap()
        .0
        .id
}

/// Wah Hing (an enterprise with a directory profile), an assigned officer, an officer of the
/// same office not assigned to the scheme, and a rival enterprise.
async fn cast(app: &TestApp) -> OrgId {
    let org = app
        .add_member(
            "Wah Hing Precision",
            "wing@wahhing.example",
            Role::Enterprise,
        )
        .await;
    let token = app.token("wing@wahhing.example").await;
    let profile = json!({"kind": "enterprise", "name_en": "Wah Hing Precision Ltd", "name_zh": "華興精密有限公司",
        "description_en": "Connector moulding in Kwun Tong", "description_zh": "觀塘連接器注塑",
        "services": ["smart_manufacturing_support"], "regions": ["hk"], "sectors": ["electronics"]});
    let res = Client::new()
        .post(app.url("/api/v1/directory"))
        .bearer_auth(&token)
        .json(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{}",
        res.text().await.unwrap()
    );
    let office = app
        .add_member("Innovation Office", "olive@gov.example", Role::Officer)
        .await;
    app.add_user("oscar@gov.example", Role::Officer, Some(office))
        .await;
    app.add_member("Rival Works", "rita@rival.example", Role::Enterprise)
        .await;
    let olive = user_id(app, "olive@gov.example").await;
    app.store
        .assign_scheme_officer(&system(), SCHEME, olive)
        .await
        .unwrap();
    org
}

async fn browser(app: &TestApp, email: &str) -> (Client, String) {
    let client = app.browser_like_client();
    let res = app.sign_in(&client, email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign in {email}");
    let page = get(&client, app, "/funding").await.1;
    (client, hidden_csrf(&page))
}

async fn get(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

fn location(res: &reqwest::Response) -> String {
    res.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned()
}

fn upload_form(csrf: &str, file_name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("csrf", csrf.to_owned())
        .text("document", "quotations")
        .part("file", Part::bytes(bytes).file_name(file_name.to_owned()))
}

/// Applies, fills in and submits an application through the pages; returns its id.
async fn apply_and_submit(app: &TestApp, client: &Client, csrf: &str) -> i64 {
    let res = client
        .post(app.url(&format!("/funding/{SCHEME}/apply")))
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let edit = location(&res);
    let id: i64 = edit
        .trim_start_matches("/funding/applications/")
        .trim_end_matches("/edit")
        .parse()
        .unwrap();
    let res = client
        .post(app.url(&edit))
        .form(&filled_form(csrf, "submit"))
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "submit: {}",
        res.text().await.unwrap()
    );
    id
}

both_backends! {
    async fn an_enterprise_applies_with_a_prefilled_form_and_an_officer_approves_it_and_a_budget_change(db) {
        // Arrange
        let app = spawn_app(db).await;
        let org = cast(&app).await;
        let (wing, csrf) = browser(&app, "wing@wahhing.example").await;
        let mine = FundingAccess::Applicant { org };

        // The schemes, with their example label and everything an applicant needs to know.
        let (status, schemes) = get(&wing, &app, "/funding").await;
        assert_eq!(status, StatusCode::OK);
        for text in ["Technology voucher (example)", "Example: indicative figures", "HK$0.6m", "3 : 1",
            "Employees: at most 100", "Quotations", "Installation", "within-cap", "id=\"apply-technology-voucher\"",
            "My applications", "at most 10% and each milestone by at most 90 days"] {
            assert!(schemes.contains(text), "schemes page lacks {text:?}");
        }
        let (_, chinese) = get(&Client::new(), &app, "/funding?lang=zh-HK").await;
        assert!(chinese.contains("資助計劃") && chinese.contains("科技券（示例）") && chinese.contains("示例：數字僅屬指示性"));
        assert!(!chinese.contains("id=\"apply-"), "a visitor has no apply button");

        // Act: apply. The draft knows the name and sector from the profile.
        let res = wing.post(app.url(&format!("/funding/{SCHEME}/apply"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let edit = location(&res);
        let id: i64 = edit.trim_start_matches("/funding/applications/").trim_end_matches("/edit").parse().unwrap();
        let (status, form) = get(&wing, &app, &edit).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("2 fields filled in from your profile and earlier applications"), "{form}");
        assert!(form.contains("id=\"prefilled-fields\"") && form.contains("from your directory profile"));
        assert!(form.contains("value=\"Wah Hing Precision Ltd\""));
        let draft = app.store.application(mine, id).await.unwrap();
        assert_eq!((draft.input.organisation_name.as_str(), draft.input.sector.as_str()), ("Wah Hing Precision Ltd", "electronics"));

        // A bad value comes back naming the field, and nothing is saved.
        let mut bad = filled_form(&csrf, "save");
        bad.iter_mut().find(|(k, _)| *k == "employees").unwrap().1 = "lots".into();
        let res = wing.post(app.url(&edit)).form(&bad).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let page = res.text().await.unwrap();
        assert!(page.contains("id=\"form-error\"") && page.contains("Number of employees") && page.contains("field `employees`"), "{page}");
        assert!(page.contains("value=\"lots\""), "the form comes back as typed");
        assert_eq!(app.store.application(mine, id).await.unwrap().input, draft.input);

        // Save a draft: empty rows are dropped.
        let res = wing.post(app.url(&edit)).form(&filled_form(&csrf, "save")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), format!("/funding/applications/{id}"));
        let saved = app.store.application(mine, id).await.unwrap();
        assert_eq!(saved.status, store::ApplicationStatus::Draft);
        assert_eq!(saved.input.budget_lines.len(), 2);
        assert_eq!(saved.input.milestones.len(), 1);
        assert!(saved.input.earlier_funding.is_empty());
        let view_path = format!("/funding/applications/{id}");
        let (_, view) = get(&wing, &app, &view_path).await;
        assert!(view.contains("id=\"not-screened\"") && view.contains("Draft") && view.contains("id=\"upload-form\""));

        // Documents, while it is a draft: a PDF is taken; an executable named .pdf and a file
        // over the limit are refused naming the file field, and nothing is stored.
        let attachments_path = format!("/funding/applications/{id}/attachments");
        let res = wing.post(app.url(&attachments_path)).multipart(upload_form(&csrf, "quote.pdf", PDF.to_vec())).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let mut oversized = PDF.to_vec();
        oversized.resize(screening::MAX_ATTACHMENT_BYTES + 1, b' ');
        for (name, bytes) in [("quote2.pdf", EXE.to_vec()), ("big.pdf", oversized)] {
            let res = wing.post(app.url(&attachments_path)).multipart(upload_form(&csrf, name, bytes)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{name}");
            let page = res.text().await.unwrap();
            assert!(page.contains("id=\"upload-error\"") && page.contains("field `file`"), "{name}: {page}");
        }
        let stored = app.store.attachments(mine, id).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].file_name.as_str(), stored[0].content_type.as_str()), ("quote.pdf", "application/pdf"));
        let download = format!("/funding/applications/{id}/attachments/{}", stored[0].id);
        let (_, view) = get(&wing, &app, &view_path).await;
        assert!(view.contains(&format!("href=\"{download}\"")), "{view}");
        let res = wing.get(app.url(&download)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[reqwest::header::CONTENT_TYPE], "application/pdf");
        assert_eq!(res.headers()[reqwest::header::CONTENT_DISPOSITION], "attachment; filename=\"quote.pdf\"");
        assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

        // Submit: the report sits beside the application, line by line.
        let res = wing.post(app.url(&edit)).form(&filled_form(&csrf, "submit")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (status, view) = get(&wing, &app, &view_path).await;
        assert_eq!(status, StatusCode::OK);
        for rule in ["registered-in-hk", "small-enterprise", "at-least-one-employee", "used-in-hk", "within-cap", "project-length", "no-double-dipping"] {
            assert!(view.contains(&format!("data-rule=\"{rule}\" data-outcome=\"pass\"")), "rule {rule} passes: {view}");
        }
        for text in ["Employees: at most 100", "40", "Pass", "id=\"route\"", "Officer queue",
            "HK$300,000.00 requested is above the fast-track amount of HK$200,000.00", "Synthetic model", "id=\"features\"",
            "Submitted", "Vision inspection for connector moulding", "Camera cell", "Cell installed"] {
            assert!(view.contains(text), "view lacks {text:?}");
        }
        assert!(!view.contains("id=\"upload-form\"") && !view.contains("id=\"decision-form\""));
        let res = wing.get(app.url(&edit)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "a submitted application is no longer edited");
        let (_, chinese) = get(&wing, &app, &format!("{view_path}?lang=zh-HK")).await;
        assert!(chinese.contains("初步審核") && chinese.contains("符合") && chinese.contains("主任審批"), "{chinese}");
        let _ = get(&wing, &app, &format!("{view_path}?lang=en")).await;

        // The assigned officer finds it in the queue, with filters, and approves it.
        let (olive, olive_csrf) = browser(&app, "olive@gov.example").await;
        let reference = saved.reference.clone();
        let (status, queue) = get(&olive, &app, "/funding/applications").await;
        assert_eq!(status, StatusCode::OK);
        assert!(queue.contains("id=\"filters\"") && queue.contains(&reference), "{queue}");
        let (_, filtered) = get(&olive, &app, &format!("/funding/applications?scheme={SCHEME}&status=submitted&route=officer_queue&min_risk=0&text=vision")).await;
        assert!(filtered.contains(&format!("data-reference=\"{reference}\"")), "{filtered}");
        let (_, filtered) = get(&olive, &app, "/funding/applications?route=fast_track").await;
        assert!(!filtered.contains(&format!("data-reference=\"{reference}\"")));
        let (_, filtered) = get(&olive, &app, "/funding/applications?min_risk=100.01").await;
        assert!(!filtered.contains(&format!("data-reference=\"{reference}\"")));
        let (status, refused) = get(&olive, &app, "/funding/applications?min_risk=lots").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(refused.contains("id=\"form-error\""));
        let (status, view) = get(&olive, &app, &view_path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(view.contains("id=\"decision-form\"") && view.contains(&download));
        let res = olive.get(app.url(&download)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "the officer reads the documents");
        let decision = format!("{view_path}/decision");
        let res = olive.post(app.url(&decision)).form(&[("csrf", olive_csrf.as_str()), ("decision", "approve"), ("reason", " ")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(res.text().await.unwrap().contains("id=\"decision-error\""));
        let res = olive.post(app.url(&decision)).form(&[("csrf", olive_csrf.as_str()), ("decision", "approve"), ("reason", "Meets every rule; quotations checked")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, view) = get(&wing, &app, &view_path).await;
        assert!(view.contains("Approved") && view.contains("Meets every rule; quotations checked") && view.contains("olive@gov.example"));

        // The applicant asks to move money between categories; a change of the total is refused.
        assert!(view.contains("id=\"budget-change-form\"") && view.contains("id=\"milestone-change-form\""));
        let changes = format!("{view_path}/changes");
        let change = |equipment: &str, installation: &str| vec![
            ("csrf", csrf.clone()), ("kind", "budget".to_owned()),
            ("budget_lines[1].category", "equipment".to_owned()), ("budget_lines[1].description", "Camera cell".to_owned()), ("budget_lines[1].amount", equipment.to_owned()),
            ("budget_lines[2].category", "installation".to_owned()), ("budget_lines[2].description", "Fitting and wiring".to_owned()), ("budget_lines[2].amount", installation.to_owned()),
            ("reason", "The supplier's quotation for the cell came in lower".to_owned()),
        ];
        let res = wing.post(app.url(&changes)).form(&change("335,000", "70,000")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let page = res.text().await.unwrap();
        assert!(page.contains("id=\"change-error\"") && page.contains("field `budget_lines`"), "{page}");
        assert!(page.contains("value=\"70,000\""), "the change form comes back as typed");
        assert!(app.store.change_requests(mine, id).await.unwrap().is_empty());
        let res = wing.post(app.url(&changes)).form(&change("335,000", "65,000")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let requested = app.store.change_requests(mine, id).await.unwrap();
        assert_eq!(requested.len(), 1);
        assert!(requested[0].within_tolerance);
        let change_id = requested[0].id;

        // The officer approves it; the history shows it, and the budget is the new one.
        let (_, view) = get(&olive, &app, &view_path).await;
        assert!(view.contains(&format!("id=\"approve-change-{change_id}\"")), "{view}");
        let res = olive.post(app.url(&format!("/funding/changes/{change_id}/decision")))
            .form(&[("csrf", olive_csrf.as_str()), ("decision", "approve"), ("note", "Routine move within tolerance")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), view_path);
        let (_, view) = get(&wing, &app, &view_path).await;
        for text in ["Within the scheme&#39;s tolerance", "HK$340,000.00", "HK$335,000.00", "-1.47%", "+8.33%",
            "Routine move within tolerance", "The supplier&#39;s quotation for the cell came in lower", "change-approved"] {
            assert!(view.contains(text), "history lacks {text:?}: {view}");
        }
        let now = app.store.application(mine, id).await.unwrap();
        assert_eq!(now.input.budget_lines[0].amount, "335,000");
        assert!(!view.contains(&format!("id=\"approve-change-{change_id}\"")));

        // The applicant's list.
        let (_, list) = get(&wing, &app, "/funding/applications").await;
        assert!(list.contains(&reference) && list.contains("Approved") && list.contains("HK$300,000.00"), "{list}");
    }
}

both_backends! {
    async fn other_organisations_and_unassigned_officers_get_the_404_page_everywhere(db) {
        // Arrange: Wah Hing has a draft with a document, and a submitted application.
        let app = spawn_app(db).await;
        cast(&app).await;
        let (wing, csrf) = browser(&app, "wing@wahhing.example").await;
        let res = wing.post(app.url(&format!("/funding/{SCHEME}/apply"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        let draft: i64 = location(&res).trim_start_matches("/funding/applications/").trim_end_matches("/edit").parse().unwrap();
        let res = wing.post(app.url(&format!("/funding/applications/{draft}/attachments"))).multipart(upload_form(&csrf, "quote.pdf", PDF.to_vec())).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let attachment = app.store.attachments(FundingAccess::Admin, draft).await.unwrap()[0].id;
        let submitted = apply_and_submit(&app, &wing, &csrf).await;

        // Act and Assert: a rival enterprise and an officer not assigned to the scheme.
        let (rita, rita_csrf) = browser(&app, "rita@rival.example").await;
        let (oscar, oscar_csrf) = browser(&app, "oscar@gov.example").await;
        for (client, csrf, who) in [(&rita, &rita_csrf, "rival"), (&oscar, &oscar_csrf, "unassigned officer")] {
            for id in [draft, submitted] {
                let base = format!("/funding/applications/{id}");
                for path in [base.clone(), format!("{base}/edit"), format!("/funding/applications/{draft}/attachments/{attachment}")] {
                    let res = client.get(app.url(&path)).send().await.unwrap();
                    assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}: GET {path}");
                    let page = res.text().await.unwrap();
                    assert!(page.contains("id=\"error-title\"") && !page.contains("Vision inspection"), "{who}: {path}");
                }
                let posts = [
                    (format!("{base}/edit"), filled_form(csrf, "save")),
                    (format!("{base}/decision"), vec![("csrf", csrf.clone()), ("decision", "approve".to_owned()), ("reason", "mine now".to_owned())]),
                    (format!("{base}/changes"), vec![("csrf", csrf.clone()), ("kind", "milestone".to_owned()), ("number", "1".to_owned()), ("due_on", "2027-05-01".to_owned()), ("reason", "x".to_owned())]),
                ];
                for (path, form) in posts {
                    let res = client.post(app.url(&path)).form(&form).send().await.unwrap();
                    assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}: POST {path}");
                }
                let res = client.post(app.url(&format!("{base}/attachments"))).multipart(upload_form(csrf, "mine.pdf", PDF.to_vec())).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}: upload to {id}");
            }
            let (_, list) = get(client, &app, "/funding/applications").await;
            assert!(!list.contains("Vision inspection"), "{who} lists nothing of Wah Hing's");
        }
        // Officers and administrators do not apply.
        let res = oscar.post(app.url(&format!("/funding/{SCHEME}/apply"))).form(&[("csrf", oscar_csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // A visitor is asked to sign in.
        let res = app.browser_like_client().get(app.url(&format!("/funding/applications/{submitted}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/sign-in");

        // A change request of an approved project stays out of reach the same way.
        let olive = user_id(&app, "olive@gov.example").await;
        let officer = FundingAccess::Officer { user: olive };
        app.store.decide_application(&system(), officer, submitted, store::Decision::Approve, "fine").await.unwrap();
        let res = wing.post(app.url(&format!("/funding/applications/{submitted}/changes")))
            .form(&[("csrf", csrf.as_str()), ("kind", "milestone"), ("number", "1"), ("due_on", "2027-04-30"), ("reason", "Delivery slipped")])
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let change = app.store.change_requests(FundingAccess::Admin, submitted).await.unwrap()[0].id;
        for (client, csrf, who) in [(&rita, &rita_csrf, "rival"), (&oscar, &oscar_csrf, "unassigned officer"), (&wing, &csrf, "the applicant itself")] {
            let res = client.post(app.url(&format!("/funding/changes/{change}/decision")))
                .form(&[("csrf", csrf.as_str()), ("decision", "approve"), ("note", "")]).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{who}");
        }
        assert_eq!(app.store.change_requests(FundingAccess::Admin, submitted).await.unwrap()[0].status, "requested");
        // The milestone change was within the default 90 days' tolerance.
        let (_, view) = get(&wing, &app, &format!("/funding/applications/{submitted}")).await;
        assert!(view.contains("Milestone 1: Cell installed") && view.contains("+30 days") && view.contains("Waiting for a decision"), "{view}");
    }
}
