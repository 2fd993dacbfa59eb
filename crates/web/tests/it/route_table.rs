//! Every private API route against every kind of stranger, from one table: anonymous callers
//! get 401; another organisation's member and an officer not assigned to the scheme get 403 or
//! 404 for Acme's records, and lists never show them. (Introductions are shared with the other
//! side and with officers by design, and officers read every project; `directory.rs` and
//! `pipeline.rs` test those.) The table must name every route the OpenAPI document marks as needing a token, so a
//! new private route cannot be added without saying who may use it.

use std::collections::BTreeSet;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use vocab::Role;

use crate::both_backends;
use crate::funding::{good_application, pdf};
use crate::helpers::{spawn_app, TestApp};

/// A marker in every one of Acme's private texts; no stranger's answer may contain it.
const SECRET: &str = "ACME-CONFIDENTIAL-7f3a";

/// What a stranger gets from a route.
#[derive(Clone, Copy, Debug)]
enum Stranger {
    /// 403 or 404: Acme's record, refused without saying more.
    Refused,
    /// 200, but nothing of Acme's private records in the answer.
    OwnOnly,
    /// The route makes the caller's own record; no Acme record is involved.
    Creates,
}

struct Row {
    method: Method,
    /// The OpenAPI path, with `{...}` parameters.
    template: &'static str,
    /// The path called, with Acme's ids.
    path: String,
    body: Option<Value>,
    stranger: Stranger,
}

async fn post_json(client: &Client, app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = client
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

both_backends! {
    async fn no_private_route_serves_or_changes_another_organisations_records(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", Role::Enterprise).await;
        app.add_member("Beta", "bob@beta.example", Role::Enterprise).await;
        app.add_member("Gamma", "gil@gamma.example", Role::Provider).await;
        let office = app.add_member("Office", "olive@itc.example", Role::Officer).await;
        app.add_user("oscar@itc.example", Role::Officer, Some(office)).await;
        app.add_user("root@madeby.example", Role::Admin, None).await;
        let client = Client::new();
        let (ann, olive, root) = (app.token("ann@acme.example").await, app.token("olive@itc.example").await, app.token("root@madeby.example").await);

        // Acme's records, each carrying the marker.
        let project = post_json(&client, &app, &ann, "/api/v1/projects", json!({"title_en": format!("{SECRET} EV line"), "title_zh": "秘密",
            "stage": "pledged", "visibility": "private", "pledged": {"amount": "250000000"}})).await;
        let p = project["id"].as_i64().unwrap();
        let milestone = post_json(&client, &app, &ann, &format!("/api/v1/pipeline/projects/{p}/milestones"),
            json!({"title_en": format!("{SECRET} trial run"), "title_zh": "試產", "due_on": "2027-03-01"})).await;
        let m = milestone["id"].as_i64().unwrap();
        let entry = post_json(&client, &app, &ann, "/api/v1/directory", json!({"kind": "enterprise", "name_en": "Acme Ltd", "name_zh": "艾克米",
            "description_en": "Connectors", "description_zh": "連接器", "provenance": "indicative"})).await;
        let e = entry["id"].as_u64().unwrap();
        let gamma = app.token("gil@gamma.example").await;
        let lab = post_json(&client, &app, &gamma, "/api/v1/directory", json!({"kind": "provider", "name_en": "Gamma Lab", "name_zh": "伽瑪",
            "description_en": "Testing", "description_zh": "檢測", "services": ["testing_certification"], "provenance": "indicative"})).await;
        let intro = post_json(&client, &app, &ann, "/api/v1/introductions",
            json!({"to_entry": lab["id"], "message": "We need battery tests"})).await;
        let i = intro["id"].as_i64().unwrap();
        let plan = post_json(&client, &app, &ann, "/api/v1/plan", json!({"scenarios": []})).await;
        let j = plan["id"].as_i64().unwrap();
        let mut application = good_application(&format!("{SECRET} vision cell"));
        application["organisation_name"] = json!("Acme Ltd");
        let draft = post_json(&client, &app, &ann, "/api/v1/funding/applications", json!({"scheme": "smart-production-line", "input": application})).await;
        let s = draft["id"].as_i64().unwrap();
        let doc = client.post(app.url(&format!("/api/v1/funding/applications/{s}/attachments?document=quotations&file_name=q.pdf")))
            .bearer_auth(&ann).body(pdf()).send().await.unwrap().json::<Value>().await.unwrap();
        let d = doc["id"].as_i64().unwrap();
        post_json(&client, &app, &ann, &format!("/api/v1/funding/applications/{s}/submit"), json!({})).await;
        let me: Value = client.get(app.url("/api/v1/me")).bearer_auth(&olive).send().await.unwrap().json().await.unwrap();
        let res = client.post(app.url("/api/v1/funding/schemes/smart-production-line/officers")).bearer_auth(&root)
            .json(&json!({"user_id": me["id"]})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        post_json(&client, &app, &olive, &format!("/api/v1/funding/applications/{s}/decision"), json!({"decision": "approve", "reason": "ok"})).await;
        let lines = json!([{"category": "equipment", "description": "cell", "amount": "1,940,000"},
            {"category": "software", "description": "sw", "amount": "660,000"},
            {"category": "installation", "description": "fit", "amount": "400,000"}]);
        let change = post_json(&client, &app, &ann, &format!("/api/v1/funding/applications/{s}/changes"),
            json!({"change": {"kind": "budget", "budget_lines": lines}, "reason": format!("{SECRET} supplier")})).await;
        let c = change["id"].as_i64().unwrap();

        use Stranger::*;
        let row = |method: Method, template: &'static str, path: String, body: Option<Value>, stranger: Stranger| Row { method, template, path, body, stranger };
        let any = Some(json!({}));
        let table = vec![
            row(Method::GET, "/api/v1/me", "/api/v1/me".into(), None, OwnOnly),
            row(Method::GET, "/api/v1/audit", "/api/v1/audit".into(), None, Refused),
            row(Method::GET, "/api/v1/users", "/api/v1/users".into(), None, Refused),
            row(Method::POST, "/api/v1/users", "/api/v1/users".into(), Some(json!({"email": "new@acme.example", "display_name": "New", "role": "admin"})), Refused),
            row(Method::POST, "/api/v1/directory", "/api/v1/directory".into(), any.clone(), Creates),
            row(Method::PUT, "/api/v1/directory/{id}", format!("/api/v1/directory/{e}"), Some(entry["profile"].clone()), Refused),
            row(Method::DELETE, "/api/v1/directory/{id}", format!("/api/v1/directory/{e}"), None, Refused),
            row(Method::POST, "/api/v1/directory/{id}/verify", format!("/api/v1/directory/{e}/verify"), Some(json!({"verified": true})), Refused),
            row(Method::GET, "/api/v1/introductions", "/api/v1/introductions".into(), None, OwnOnly),
            row(Method::POST, "/api/v1/introductions", "/api/v1/introductions".into(), any.clone(), Creates),
            row(Method::POST, "/api/v1/introductions/{id}/decision", format!("/api/v1/introductions/{i}/decision"), Some(json!({"accept": true})), Refused),
            row(Method::POST, "/api/v1/funding/schemes/{id}/officers", "/api/v1/funding/schemes/smart-production-line/officers".into(), Some(json!({"user_id": me["id"]})), Refused),
            row(Method::GET, "/api/v1/funding/prefill", "/api/v1/funding/prefill".into(), None, OwnOnly),
            row(Method::GET, "/api/v1/funding/applications", "/api/v1/funding/applications".into(), None, OwnOnly),
            row(Method::POST, "/api/v1/funding/applications", "/api/v1/funding/applications".into(), any.clone(), Creates),
            row(Method::GET, "/api/v1/funding/applications/{id}", format!("/api/v1/funding/applications/{s}"), None, Refused),
            row(Method::PUT, "/api/v1/funding/applications/{id}", format!("/api/v1/funding/applications/{s}"), Some(json!({"input": {}})), Refused),
            row(Method::POST, "/api/v1/funding/applications/{id}/submit", format!("/api/v1/funding/applications/{s}/submit"), None, Refused),
            row(Method::GET, "/api/v1/funding/applications/{id}/attachments", format!("/api/v1/funding/applications/{s}/attachments"), None, Refused),
            row(Method::POST, "/api/v1/funding/applications/{id}/attachments", format!("/api/v1/funding/applications/{s}/attachments?document=quotations&file_name=x.pdf"), None, Refused),
            row(Method::GET, "/api/v1/funding/applications/{id}/attachments/{attachment}", format!("/api/v1/funding/applications/{s}/attachments/{d}"), None, Refused),
            row(Method::POST, "/api/v1/funding/applications/{id}/decision", format!("/api/v1/funding/applications/{s}/decision"), Some(json!({"decision": "reject", "reason": "x"})), Refused),
            row(Method::GET, "/api/v1/funding/applications/{id}/changes", format!("/api/v1/funding/applications/{s}/changes"), None, Refused),
            row(Method::POST, "/api/v1/funding/applications/{id}/changes", format!("/api/v1/funding/applications/{s}/changes"), Some(json!({"change": {"kind": "milestone", "number": 1, "due_on": "2027-07-01"}, "reason": "x"})), Refused),
            row(Method::POST, "/api/v1/funding/changes/{id}/decision", format!("/api/v1/funding/changes/{c}/decision"), Some(json!({"approve": true, "note": "x"})), Refused),
            row(Method::POST, "/api/v1/origin/certificates", "/api/v1/origin/certificates".into(), any.clone(), Creates),
            row(Method::GET, "/api/v1/pipeline", "/api/v1/pipeline".into(), None, OwnOnly),
            row(Method::GET, "/api/v1/pipeline/projects/{id}/milestones", format!("/api/v1/pipeline/projects/{p}/milestones"), None, Refused),
            row(Method::POST, "/api/v1/pipeline/projects/{id}/milestones", format!("/api/v1/pipeline/projects/{p}/milestones"), Some(json!({"title_en": "x", "title_zh": "x", "due_on": "2027-01-01"})), Refused),
            row(Method::PUT, "/api/v1/pipeline/projects/{id}/milestones/{milestone}", format!("/api/v1/pipeline/projects/{p}/milestones/{m}"), Some(json!({"done_on": "2027-01-01"})), Refused),
            row(Method::POST, "/api/v1/plan", "/api/v1/plan".into(), any.clone(), Creates),
            row(Method::GET, "/api/v1/plan", "/api/v1/plan".into(), None, OwnOnly),
            row(Method::GET, "/api/v1/plan/{id}", format!("/api/v1/plan/{j}"), None, Refused),
            row(Method::GET, "/api/v1/projects", "/api/v1/projects".into(), None, OwnOnly),
            row(Method::POST, "/api/v1/projects", "/api/v1/projects".into(), any.clone(), Creates),
            row(Method::GET, "/api/v1/projects/{id}", format!("/api/v1/projects/{p}"), None, Refused),
            row(Method::PUT, "/api/v1/projects/{id}", format!("/api/v1/projects/{p}"), Some(json!({"title_en": "Stolen", "title_zh": "偷", "stage": "lead", "visibility": "public"})), Refused),
            row(Method::POST, "/api/v1/stats/versions", "/api/v1/stats/versions".into(), any.clone(), Creates),
        ];

        // The table covers every operation the OpenAPI document says needs a token.
        let spec: Value = client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        let mut private = BTreeSet::new();
        for (path, operations) in spec["paths"].as_object().unwrap() {
            for (method, operation) in operations.as_object().unwrap() {
                if operation.get("security").is_some() {
                    private.insert(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
        let covered: BTreeSet<String> = table.iter().map(|r| format!("{} {}", r.method, r.template)).collect();
        assert_eq!(private, covered, "every private route needs a row saying who may use it");

        let strangers = [
            ("bob@beta.example", "another organisation"),
            ("oscar@itc.example", "an officer not assigned to the scheme"),
        ];
        let mut tokens = Vec::new();
        for (email, who) in strangers {
            tokens.push((app.token(email).await, who));
        }
        for row in &table {
            let send = |token: Option<&str>| {
                let mut request = client.request(row.method.clone(), app.url(&row.path));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                request = match (&row.body, row.template.ends_with("/attachments") && row.method == Method::POST) {
                    (_, true) => request.body(pdf()),
                    (Some(body), false) => request.json(body),
                    (None, false) => request,
                };
                request.send()
            };
            let anonymous = send(None).await.unwrap();
            // Besides 401: a record route may answer as for any stranger, a list that has a
            // public view (the pipeline) with that. A create route asks who calls before it
            // looks at the body, so its placeholder body never earns an anonymous caller a 400.
            let status = anonymous.status();
            let allowed = status == StatusCode::UNAUTHORIZED || match row.stranger {
                Refused => matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                OwnOnly => status == StatusCode::OK,
                Creates => false,
            };
            assert!(allowed, "anonymous {} {}: {status}", row.method, row.path);
            let text = anonymous.text().await.unwrap();
            assert!(!text.contains(SECRET), "anonymous {} {} leaked Acme's records: {text}", row.method, row.path);
            for (token, who) in &tokens {
                // Officers read every project and the pipeline by design (investment promotion);
                // what they must not read is the applications of schemes not assigned to them.
                if who.contains("officer") && !row.template.contains("/funding/") {
                    continue;
                }
                let res = send(Some(token)).await.unwrap();
                let status = res.status();
                let text = res.text().await.unwrap();
                match row.stranger {
                    Refused => assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                        "{who}: {} {} answered {status}: {text}", row.method, row.path),
                    OwnOnly => assert!(status == StatusCode::OK || status == StatusCode::FORBIDDEN,
                        "{who}: {} {} answered {status}: {text}", row.method, row.path),
                    Creates => {}
                }
                assert!(!text.contains(SECRET), "{who}: {} {} leaked Acme's records: {text}", row.method, row.path);
            }
        }

        // Nothing a stranger sent changed Acme's records.
        let mine: Value = client.get(app.url(&format!("/api/v1/projects/{p}"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert!(mine["title_en"].as_str().unwrap().contains(SECRET));
        let application: Value = client.get(app.url(&format!("/api/v1/funding/applications/{s}"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(application["status"], "approved");
        let docs: Vec<Value> = client.get(app.url(&format!("/api/v1/funding/applications/{s}/attachments"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(docs.len(), 1);
        let changes: Vec<Value> = client.get(app.url(&format!("/api/v1/funding/applications/{s}/changes"))).bearer_auth(&ann).send().await.unwrap().json().await.unwrap();
        assert_eq!(changes[0]["status"], "requested");
        let entry_now: Value = client.get(app.url(&format!("/api/v1/directory/{e}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(entry_now["profile"]["verified"], false);
    }
}
