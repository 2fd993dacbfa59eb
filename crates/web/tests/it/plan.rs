//! The network planner over the API: a job queued, solved in the background with progress,
//! its result read back; bad models refused naming the field; jobs private to their
//! organisation.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{api_error, spawn_app, TestApp};

/// Polls a job until it is done or failed (the solver runs in the background).
async fn wait_for(app: &TestApp, token: &str, id: i64) -> Value {
    let started = Instant::now();
    loop {
        let job: Value = Client::new()
            .get(app.url(&format!("/api/v1/plan/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if job["status"] == "done" || job["status"] == "failed" {
            return job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "job {id} still {} after 300 s",
            job["status"]
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

both_backends! {
    async fn a_queued_plan_is_solved_in_the_background_and_private_to_its_organisation(db) {
        // Arrange
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        app.add_member("Beta", "bob@beta.example", vocab::Role::Enterprise).await;
        let acme = app.token("ann@acme.example").await;
        let beta = app.token("bob@beta.example").await;
        let client = Client::new();

        // Act: the example with its tariff shock.
        let res = client.post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"scenarios": ["us-tariff-shock"], "time_limit_seconds": 60}))
            .send().await.unwrap();

        // Assert
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let queued: Value = res.json().await.unwrap();
        assert_eq!(queued["total_steps"], 2);
        assert!(queued["status"] == "queued" || queued["status"] == "running", "{queued}");
        let id = queued["id"].as_i64().unwrap();
        let job = wait_for(&app, &acme, id).await;
        assert_eq!(job["status"], "done", "{job}");
        assert_eq!(job["done_steps"], 2);
        let result = &job["result"];
        assert_eq!(result["source"], "indicative");
        assert_eq!(result["base"]["optimal"], true);
        let scenario = &result["scenarios"][0];
        assert_eq!(scenario["name"], "us-tariff-shock");
        assert_eq!(scenario["outcome"]["outcome"], "solved");
        let base_total = result["base"]["costs"]["total"]["cents"].as_i64().unwrap();
        let shock_total = scenario["outcome"]["plan"]["costs"]["total"]["cents"].as_i64().unwrap();
        assert_eq!(scenario["outcome"]["delta"]["total"]["cents"].as_i64().unwrap(), shock_total - base_total);

        // Another organisation neither reads nor lists it; a visitor is asked to sign in.
        let res = client.get(app.url(&format!("/api/v1/plan/{id}"))).bearer_auth(&beta).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let listed: Vec<Value> = client.get(app.url("/api/v1/plan")).bearer_auth(&beta).send().await.unwrap().json().await.unwrap();
        assert!(listed.is_empty());
        let res = client.get(app.url(&format!("/api/v1/plan/{id}"))).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
        let res = client.post(app.url("/api/v1/plan")).json(&json!({})).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
        let mine: Vec<Value> = client.get(app.url("/api/v1/plan")).bearer_auth(&acme).send().await.unwrap().json().await.unwrap();
        assert_eq!(mine.len(), 1);
        let audit = app.store.audit_log(50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "plan_job.queue" && e.actor == "ann@acme.example"));
    }
}

both_backends! {
    async fn a_bad_model_is_refused_naming_the_field_and_nothing_is_queued(db) {
        // Arrange
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let acme = app.token("ann@acme.example").await;
        let client = Client::new();
        let mut model: Value = serde_json::from_str(planner::EXAMPLE_MODEL).unwrap();
        model["markets"][2]["demand"]["controller"] = json!(-300);

        // Act
        let negative = client.post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"model": model})).send().await.unwrap();
        let malformed = client.post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"model": "{\n \"name\": \"x\",\n oops\n}"})).send().await.unwrap();
        let unknown_scenario = client.post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"scenarios": ["meteor-strike"]})).send().await.unwrap();
        let long = client.post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"time_limit_seconds": 100000})).send().await.unwrap();

        // Assert
        let (code, message) = api_error(negative, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "invalid_model");
        assert!(message.starts_with("model: markets[2].demand.controller: -300 is negative"), "{message}");
        let (_, message) = api_error(malformed, StatusCode::BAD_REQUEST).await;
        assert!(message.starts_with("model: line 3:"), "{message}");
        let (_, message) = api_error(unknown_scenario, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("no scenario `meteor-strike`"), "{message}");
        let (_, message) = api_error(long, StatusCode::BAD_REQUEST).await;
        assert!(message.starts_with("time_limit_seconds: 100000"), "{message}");
        let mine: Vec<Value> = client.get(app.url("/api/v1/plan")).bearer_auth(&acme).send().await.unwrap().json().await.unwrap();
        assert!(mine.is_empty());
    }
}

both_backends! {
    async fn an_infeasible_model_fails_with_the_reason(db) {
        // Arrange: every lane into the US removed.
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let acme = app.token("ann@acme.example").await;
        let mut model: Value = serde_json::from_str(planner::EXAMPLE_MODEL).unwrap();
        let lanes: Vec<Value> = model["lanes"].as_array().unwrap().iter().filter(|l| l["to"] != "us").cloned().collect();
        model["lanes"] = json!(lanes);

        // Act
        let res = Client::new().post(app.url("/api/v1/plan")).bearer_auth(&acme)
            .json(&json!({"model": model, "scenarios": []})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::ACCEPTED);
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let job = wait_for(&app, &acme, id).await;

        // Assert
        assert_eq!(job["status"], "failed");
        let error = job["error"].as_str().unwrap();
        assert!(error.contains("market `us`: 300000 units a year of `controller` cannot be served"), "{error}");
        let browser = app.browser_like_client();
        app.sign_in(&browser, "ann@acme.example", crate::helpers::PASSWORD).await;
        let page = browser.get(app.url(&format!("/plan/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("id=\"plan-findings\""), "the page lists the findings: {page}");
        assert!(page.contains("<li>market `us`: 300000 units a year of `controller` cannot be served"), "{page}");
    }
}

both_backends! {
    async fn the_planner_pages_run_a_model_and_keep_it_from_other_organisations(db) {
        // Arrange
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        app.add_member("Beta", "bob@beta.example", vocab::Role::Enterprise).await;
        let ann = app.browser_like_client();
        app.sign_in(&ann, "ann@acme.example", crate::helpers::PASSWORD).await;
        let page = ann.get(app.url("/plan")).send().await.unwrap().text().await.unwrap();
        let csrf = crate::helpers::hidden_csrf(&page);
        assert!(page.contains("id=\"plan-submit\""), "signed in, the run button shows");

        // Act: a bad model first, then the example with one scenario.
        let form = |model: &str, file: Option<(&str, Vec<u8>)>| {
            let form = reqwest::multipart::Form::new()
                .text("csrf", csrf.clone())
                .text("model", model.to_owned())
                .text("scenarios", "us-tariff-shock")
                .text("time_limit", "30");
            match file {
                Some((name, bytes)) => form.part("model_file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned())),
                None => form.part("model_file", reqwest::multipart::Part::bytes(Vec::new()).file_name("")),
            }
        };
        let bad = ann.post(app.url("/plan")).multipart(form("{\"name\": 1}", None)).send().await.unwrap();
        let bad_file = ann.post(app.url("/plan"))
            .multipart(form(planner::EXAMPLE_MODEL, Some(("mine.json", b"{\n  \"name\": \"x\",\n  oops".to_vec()))))
            .send().await.unwrap();
        let huge = ann.post(app.url("/plan"))
            .multipart(form(planner::EXAMPLE_MODEL, Some(("huge.json", vec![b' '; 2 * 1024 * 1024 + 1]))))
            .send().await.unwrap();
        let good = ann.post(app.url("/plan"))
            .multipart(form("", Some(("example.json", planner::EXAMPLE_MODEL.as_bytes().to_vec()))))
            .send().await.unwrap();

        // Assert
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("id=\"form-error\"") && bad.contains("model: line 1"), "{bad}");
        assert_eq!(bad_file.status(), StatusCode::BAD_REQUEST);
        let bad_file = bad_file.text().await.unwrap();
        assert!(bad_file.contains("model: line 3"), "the uploaded file's line is named: {bad_file}");
        assert_eq!(huge.status(), StatusCode::BAD_REQUEST);
        assert!(huge.text().await.unwrap().contains("huge.json: 2097153 bytes is more than"));
        assert_eq!(good.status(), StatusCode::SEE_OTHER);
        let location = good.headers()["location"].to_str().unwrap().to_owned();
        let id: i64 = location.trim_start_matches("/plan/").parse().unwrap();
        let token = app.token("ann@acme.example").await;
        assert_eq!(wait_for(&app, &token, id).await["status"], "done");
        let result = ann.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(result.contains("id=\"plan-comparison\""), "{result}");
        assert!(result.contains("id=\"base-map\""), "the footprint map is drawn");
        assert!(result.contains("proven optimal"));
        let zh = ann.get(app.url(&format!("{location}?lang=zh-HK"))).send().await.unwrap().text().await.unwrap();
        assert!(zh.contains("各情景與基準比較"), "the page reads in Chinese");

        // Another organisation gets 404; a visitor is sent to sign in; the list shows only one's own.
        let bob = app.browser_like_client();
        app.sign_in(&bob, "bob@beta.example", crate::helpers::PASSWORD).await;
        let res = bob.get(app.url(&location)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(!res.text().await.unwrap().contains("Hong Kong electronics maker"));
        let bob_list = bob.get(app.url("/plan")).send().await.unwrap().text().await.unwrap();
        assert!(bob_list.contains("id=\"no-runs\""));
        let visitor = app.browser_like_client().get(app.url(&location)).send().await.unwrap();
        assert_eq!(visitor.status(), StatusCode::SEE_OTHER);
        let anonymous = app.browser_like_client().get(app.url("/plan")).send().await.unwrap().text().await.unwrap();
        assert!(anonymous.contains("id=\"plan-sign-in\"") && !anonymous.contains("id=\"plan-submit\""));
    }
}

#[tokio::test]
async fn the_planner_prefills_a_model_from_the_site_finder() {
    // Arrange
    let app = spawn_app(crate::helpers::Db::Sqlite).await;

    // Act
    let page = Client::new()
        .get(app.url("/plan?profile=ev-assembly&candidates=hk-san-tin,cn-dongguan,vn-hai-phong"))
        .send()
        .await
        .unwrap();
    let unknown = Client::new()
        .get(app.url("/plan?profile=ev-assembly&candidates=atlantis"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("(from the site finder)"),
        "the model is the site finder's"
    );
    assert!(
        html.contains("&quot;location&quot;: &quot;vn-hai-phong&quot;")
            || html.contains("&#34;location&#34;: &#34;vn-hai-phong&#34;"),
        "{html}"
    );
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown
        .text()
        .await
        .unwrap()
        .contains("no location `atlantis`"));
}
