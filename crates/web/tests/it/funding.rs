//! Funding over the API: a prefilled draft, submission screened at once and routed, documents
//! checked by content, the officer's queue and decisions, change requests with their history,
//! and every cross-organisation read refused.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use vocab::Role;

use crate::both_backends;
use crate::helpers::{api_error, spawn_app, TestApp};

const SCHEME: &str = "smart-production-line";

pub(crate) fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec()
}

/// An application that meets every rule and fast-track criterion of the smart production line
/// scheme (1:2, HK$1m of HK$3m, every document).
pub(crate) fn good_application(title: &str) -> Value {
    json!({
        "registered_in_hk": "yes",
        "business_registration_number": "12345678",
        "employees": "40",
        "sector": "electronics",
        "years_in_operation": "8",
        "project_title": title,
        "project_description": "Install robotic automation with sensor traceability on the moulding floor, validated in a pilot with a university partner",
        "project_location": "HK",
        "start_date": "2027-01-04",
        "end_date": "2027-12-31",
        "currency": "HKD",
        "budget_lines": [
            {"category": "equipment", "description": "vision cell", "amount": "2,000,000"},
            {"category": "software", "description": "traceability", "amount": "600,000"},
            {"category": "installation", "description": "fit-out", "amount": "400,000"}
        ],
        "total": "3,000,000",
        "amount_requested": "1,000,000",
        "company_contribution": "2,000,000",
        "documents": ["business_registration", "audited_accounts", "project_plan", "quotations"],
        "milestones": [{"title": "Line commissioned", "due_on": "2027-06-30"}]
    })
}

async fn new_draft(client: &Client, app: &TestApp, token: &str, input: Value) -> Value {
    let res = client
        .post(app.url("/api/v1/funding/applications"))
        .bearer_auth(token)
        .json(&json!({"scheme": SCHEME, "input": input}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

async fn submit(client: &Client, app: &TestApp, token: &str, id: u64) -> Value {
    let res = client
        .post(app.url(&format!("/api/v1/funding/applications/{id}/submit")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn status_of(client: &Client, app: &TestApp, token: &str, path: &str) -> StatusCode {
    client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

both_backends! {
    async fn an_application_is_prefilled_screened_routed_decided_and_changed_within_its_organisation(db) {
        let app = spawn_app(db).await;
        let acme = app.add_member("Acme Precision", "ann@acme.example", Role::Enterprise).await;
        app.add_member("Beta Motors", "bob@beta.example", Role::Enterprise).await;
        let office = app.add_member("Innovation Office", "olive@itc.example", Role::Officer).await;
        app.add_user("oscar@itc.example", Role::Officer, Some(office)).await;
        app.add_user("root@madeby.example", Role::Admin, None).await;
        let (ann, bob, olive, oscar, root) = (
            app.token("ann@acme.example").await,
            app.token("bob@beta.example").await,
            app.token("olive@itc.example").await,
            app.token("oscar@itc.example").await,
            app.token("root@madeby.example").await,
        );
        let client = Client::new();

        // Acme's enterprise profile tells the platform its name and sector.
        let profile = json!({"kind": "enterprise", "name_en": "Acme Precision Ltd", "name_zh": "艾克米精密",
            "description_en": "Connector moulding", "description_zh": "連接器注塑", "sectors": ["electronics"],
            "provenance": "indicative"});
        let res = client.post(app.url("/api/v1/directory")).bearer_auth(&ann).json(&profile).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let prefill: Value = client.get(app.url("/api/v1/funding/prefill")).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(prefill["input"]["organisation_name"], "Acme Precision Ltd");
        assert_eq!(prefill["input"]["sector"], "electronics");
        assert_eq!(prefill["filled"].as_array().unwrap().len(), 2, "{prefill}");

        // The first application: everything given; it takes the fast track.
        let first = new_draft(&client, &app, &ann, good_application("Robotic vision inspection cell")).await;
        assert_eq!(first["status"], "draft");
        assert_eq!(first["input"]["organisation_name"], "Acme Precision Ltd", "filled from the profile");
        let id = first["id"].as_u64().unwrap();
        let submitted = submit(&client, &app, &ann, id).await;
        assert_eq!(submitted["status"], "submitted");
        assert_eq!(submitted["route"], "fast_track", "{}", submitted["report"]);
        let report = &submitted["report"];
        let rules = report["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 6);
        assert!(rules.iter().all(|r| r["outcome"] == "pass"), "{report}");
        let registered = rules.iter().find(|r| r["rule"] == "registered-in-hk").unwrap();
        assert_eq!(registered["value"], json!({"type": "flag", "value": true}));
        assert_eq!(report["risk"]["model_source"], "synthetic");
        assert!(!report["risk"]["top_features"].as_array().unwrap().is_empty());

        // A second draft knows what the first declared: six fields filled, two of them from the profile.
        let second = new_draft(&client, &app, &ann, json!({})).await;
        let filled = second["prefilled"].as_array().unwrap();
        assert_eq!(filled.len(), 6, "{filled:?}");
        assert_eq!(second["input"]["business_registration_number"], "12345678");
        assert!(filled.iter().any(|f| f["field"] == "employees" && f["source"] == "earlier_application"));
        let second_id = second["id"].as_u64().unwrap();

        // Bad input names the field and leaves the draft as it was; so does submitting a draft
        // that lacks what screening needs.
        let mut bad = good_application("Copy");
        bad["employees"] = json!("forty");
        let res = client.put(app.url(&format!("/api/v1/funding/applications/{second_id}"))).bearer_auth(&ann)
            .json(&json!({"input": bad})).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("employees"), "{message}");
        let res = client.post(app.url(&format!("/api/v1/funding/applications/{second_id}/submit"))).bearer_auth(&ann).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("project_title"), "{message}");
        let still: Value = client.get(app.url(&format!("/api/v1/funding/applications/{second_id}"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(still["status"], "draft");
        assert_eq!(still["input"]["employees"], "40", "the refused save changed nothing");
        let res = client.put(app.url(&format!("/api/v1/funding/applications/{second_id}"))).bearer_auth(&ann)
            .json(&json!({"input": {"no_such_field": 1}})).send().await.unwrap();
        api_error(res, StatusCode::BAD_REQUEST).await;

        // Documents: a PDF is stored with its checksum; a program named .pdf and an oversized file are refused.
        let upload = |token: String, name: &'static str, bytes: Vec<u8>| {
            let client = client.clone();
            let url = app.url(&format!("/api/v1/funding/applications/{second_id}/attachments?document=quotations&file_name={name}"));
            async move { client.post(url).bearer_auth(token).body(bytes).send().await.unwrap() }
        };
        let res = upload(ann.clone(), "quote.pdf", pdf()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["content_type"], "application/pdf");
        assert_eq!(doc["sha256"].as_str().unwrap(), screening::sha256_hex(&pdf()));
        let (_, message) = api_error(upload(ann.clone(), "quote.pdf", b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).await, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("field `file`") && message.contains("accepted are PDF, PNG and JPEG"), "{message}");
        let mut big = pdf();
        big.resize(screening::MAX_ATTACHMENT_BYTES + 1, b' ');
        let (_, message) = api_error(upload(ann.clone(), "big.pdf", big).await, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("10 MiB"), "{message}");
        let huge = vec![b' '; screening::MAX_ATTACHMENT_BYTES + 200_000];
        let res = upload(ann.clone(), "huge.pdf", huge).await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let docs: Vec<Value> = client.get(app.url(&format!("/api/v1/funding/applications/{second_id}/attachments"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(docs.len(), 1, "refused files stored nothing");
        let doc_id = doc["id"].as_u64().unwrap();
        let download = client.get(app.url(&format!("/api/v1/funding/applications/{second_id}/attachments/{doc_id}"))).bearer_auth(&ann).send().await.unwrap();
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(download.bytes().await.unwrap().as_ref(), pdf().as_slice());

        // Beta files a copy of Acme's project: flagged as a possible duplicate, without Acme's reference.
        let mut copied = good_application("Robotic vision inspection cell");
        copied["organisation_name"] = json!("Beta Motors Ltd");
        let copy = new_draft(&client, &app, &bob, copied).await;
        let copy = submit(&client, &app, &bob, copy["id"].as_u64().unwrap()).await;
        assert_eq!(copy["route"], "officer_queue");
        let reasons = copy["report"]["route"]["reasons"].as_array().unwrap();
        let duplicate = reasons.iter().find(|r| r["code"] == "possible_duplicate").expect("a duplicate reason");
        assert_eq!(duplicate["other"], "another application", "Acme's reference stays Acme's");
        let copy_id = copy["id"].as_u64().unwrap();

        // Cross-organisation: every read and write of another organisation's application is a 404.
        for path in [
            format!("/api/v1/funding/applications/{id}"),
            format!("/api/v1/funding/applications/{second_id}"),
            format!("/api/v1/funding/applications/{second_id}/attachments"),
            format!("/api/v1/funding/applications/{second_id}/attachments/{doc_id}"),
            format!("/api/v1/funding/applications/{id}/changes"),
        ] {
            assert_eq!(status_of(&client, &app, &bob, &path).await, StatusCode::NOT_FOUND, "{path}");
        }
        let res = client.put(app.url(&format!("/api/v1/funding/applications/{second_id}"))).bearer_auth(&bob)
            .json(&json!({"input": good_application("Stolen")})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = client.post(app.url(&format!("/api/v1/funding/applications/{second_id}/submit"))).bearer_auth(&bob).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(upload(bob.clone(), "x.pdf", pdf()).await.status(), StatusCode::NOT_FOUND);
        let mine: Vec<Value> = client.get(app.url("/api/v1/funding/applications")).bearer_auth(&bob).send().await.unwrap().json().await.unwrap();
        assert_eq!(mine.len(), 1, "Beta sees its own application only");

        // Officers: only the assigned one sees the scheme's submitted applications (never drafts).
        let me: Value = client.get(app.url("/api/v1/me")).bearer_auth(&olive).send().await.unwrap().json().await.unwrap();
        let officer_id = me["id"].as_i64().expect("the officer's id");
        let res = client.post(app.url(&format!("/api/v1/funding/schemes/{SCHEME}/officers"))).bearer_auth(&ann)
            .json(&json!({"user_id": officer_id})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = client.post(app.url(&format!("/api/v1/funding/schemes/{SCHEME}/officers"))).bearer_auth(&root)
            .json(&json!({"user_id": officer_id})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        let queue: Vec<Value> = client.get(app.url("/api/v1/funding/applications?route=officer_queue&status=submitted")).bearer_auth(&olive).send().await.unwrap().json().await.unwrap();
        assert_eq!(queue.iter().map(|a| a["id"].as_u64().unwrap()).collect::<Vec<_>>(), [copy_id]);
        let all: Vec<Value> = client.get(app.url("/api/v1/funding/applications")).bearer_auth(&olive).send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 2, "both submitted, not Acme's draft");
        assert!(all.iter().any(|a| a["report"]["route"]["reasons"].as_array().is_some_and(|r| r.iter().any(|r| r["other"].as_str().is_some_and(|o| o.contains("SMART-PRODUCTION-LINE"))))), "officers see the other key");
        assert_eq!(status_of(&client, &app, &oscar, &format!("/api/v1/funding/applications/{id}")).await, StatusCode::NOT_FOUND);
        assert_eq!(status_of(&client, &app, &olive, &format!("/api/v1/funding/applications/{second_id}")).await, StatusCode::NOT_FOUND);
        let res = client.get(app.url("/api/v1/funding/applications?min_risk=abc")).bearer_auth(&olive).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.starts_with("min_risk"), "{message}");

        // Decisions: the applicant and the unassigned officer cannot; the assigned one does, once.
        let decide = |token: String, app_id: u64, body: Value| {
            let client = client.clone();
            let url = app.url(&format!("/api/v1/funding/applications/{app_id}/decision"));
            async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
        };
        assert_eq!(decide(ann.clone(), id, json!({"decision": "approve", "reason": "mine"})).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(decide(oscar.clone(), id, json!({"decision": "approve", "reason": "x"})).await.status(), StatusCode::NOT_FOUND);
        api_error(decide(olive.clone(), id, json!({"decision": "approve", "reason": "  "})).await, StatusCode::BAD_REQUEST).await;
        api_error(decide(olive.clone(), id, json!({"decision": "maybe", "reason": "x"})).await, StatusCode::BAD_REQUEST).await;
        let res = decide(olive.clone(), id, json!({"decision": "approve", "reason": "Every rule passes; fast track"})).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(decide(olive.clone(), id, json!({"decision": "reject", "reason": "again"})).await.status(), StatusCode::CONFLICT);
        let res = decide(olive.clone(), copy_id, json!({"decision": "request_information", "reason": "Explain how this differs from the similar application"})).await;
        assert_eq!(res.status(), StatusCode::OK);
        let back: Value = client.get(app.url(&format!("/api/v1/funding/applications/{copy_id}"))).bearer_auth(&bob).send().await.unwrap().json().await.unwrap();
        assert_eq!(back["status"], "information_requested");

        // The tolerance mechanism: Acme asks to move money between lines; the officer approves.
        let change = |body: Value| {
            let client = client.clone();
            let (url, token) = (app.url(&format!("/api/v1/funding/applications/{id}/changes")), ann.clone());
            async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
        };
        let lines = |software: &str, equipment: &str| json!([
            {"category": "equipment", "description": "vision cell", "amount": equipment},
            {"category": "software", "description": "traceability", "amount": software},
            {"category": "installation", "description": "fit-out", "amount": "400,000"}]);
        let (_, message) = api_error(change(json!({"change": {"kind": "budget", "budget_lines": lines("900,000", "2,000,000")}, "reason": "more"})).await, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("keeps the total"), "{message}");
        let res = change(json!({"change": {"kind": "budget", "budget_lines": lines("660,000", "1,940,000")}, "reason": "Supplier raised the licence price"})).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let asked: Value = res.json().await.unwrap();
        assert_eq!(asked["within_tolerance"], true, "{asked}");
        assert_eq!(asked["assessment"]["moves"][1]["change"], "10.00");
        let change_id = asked["id"].as_u64().unwrap();
        let res = change(json!({"change": {"kind": "milestone", "number": 1, "due_on": "2027-09-30"}, "reason": "later"})).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "one open change at a time");
        let decide_change = |token: String, body: Value| {
            let client = client.clone();
            let url = app.url(&format!("/api/v1/funding/changes/{change_id}/decision"));
            async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
        };
        assert_eq!(decide_change(bob.clone(), json!({"approve": true, "note": "x"})).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(decide_change(ann.clone(), json!({"approve": true, "note": "x"})).await.status(), StatusCode::FORBIDDEN);
        let res = decide_change(olive.clone(), json!({"approve": true, "note": "Within the 15% tolerance"})).await;
        assert_eq!(res.status(), StatusCode::OK);
        let now: Value = client.get(app.url(&format!("/api/v1/funding/applications/{id}"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(now["input"]["budget_lines"][1]["amount"], "660,000");
        let res = change(json!({"change": {"kind": "milestone", "number": 1, "due_on": "2027-12-31"}, "reason": "Supplier delay"})).await;
        let moved: Value = res.json().await.unwrap();
        assert_eq!(moved["within_tolerance"], false, "184 days is beyond 60: {moved}");
        let res = client.post(app.url(&format!("/api/v1/funding/changes/{}/decision", moved["id"]))).bearer_auth(&olive)
            .json(&json!({"approve": false, "note": "Too late for the scheme"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let history: Vec<Value> = client.get(app.url(&format!("/api/v1/funding/applications/{id}/changes"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(history.iter().map(|c| c["status"].as_str().unwrap()).collect::<Vec<_>>(), ["approved", "rejected"]);
        let now: Value = client.get(app.url(&format!("/api/v1/funding/applications/{id}"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(now["input"]["milestones"][0]["due_on"], "2027-06-30", "a rejected change changes nothing");

        // All of it is in the audit log.
        let log = app.store.audit_log(500).await.unwrap();
        for action in ["application.create", "application.submit", "application.attach", "application.decide", "change.request", "change.decide", "scheme.assign_officer"] {
            assert!(log.iter().any(|line| line.action == action), "{action} is audited");
        }
        let _ = acme;
    }
}
