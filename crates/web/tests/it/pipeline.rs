//! The pipeline dashboard: the published pledges, views that add up, private projects kept to
//! their organisation and officers, milestones.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{api_error, spawn_app};

fn cents(v: &Value) -> i64 {
    v["cents"]
        .as_i64()
        .unwrap_or_else(|| panic!("no cents in {v}"))
}

/// Each view's groups must sum to the total, field by field.
fn assert_views_add_up(d: &Value) {
    for view in ["by_stage", "by_sector", "by_year", "by_programme"] {
        let groups = d[view].as_array().unwrap();
        for field in ["pledged", "realised", "output_pledged", "output_realised"] {
            let sum: i64 = groups.iter().map(|g| cents(&g["totals"][field])).sum();
            assert_eq!(sum, cents(&d["total"][field]), "{view}.{field}");
        }
        for field in ["items", "jobs_pledged", "jobs_realised"] {
            let sum: u64 = groups
                .iter()
                .map(|g| g["totals"][field].as_u64().unwrap())
                .sum();
            assert_eq!(sum, d["total"][field].as_u64().unwrap(), "{view}.{field}");
        }
    }
    // And the items themselves add up to the total.
    let items = d["items"].as_array().unwrap();
    let pledged: i64 = items
        .iter()
        .filter(|i| !i["pledged"].is_null())
        .map(|i| cents(&i["pledged"]))
        .sum();
    assert_eq!(pledged, cents(&d["total"]["pledged"]));
}

async fn dashboard(client: &Client, url: String, token: Option<&str>) -> Value {
    let mut req = client.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

both_backends! {
    async fn the_dashboard_shows_the_published_pledges_and_its_views_add_up(db) {
        let app = spawn_app(db).await;
        let client = Client::new();
        let d = dashboard(&client, app.url("/api/v1/pipeline"), None).await;
        let item = |key: &str| d["items"].as_array().unwrap().iter().find(|i| i["key"] == key).cloned()
            .unwrap_or_else(|| panic!("no {key}"));
        // The pledges in the news documents, as published facts.
        assert_eq!(cents(&item("j2-semiconductor")["pledged"]), 690_000_000_000);
        assert_eq!(cents(&item("horizon-robotics")["pledged"]), 300_000_000_000);
        let strategic = item("strategic-enterprises-25");
        assert_eq!(cents(&strategic["pledged"]), 1_700_000_000_000);
        assert_eq!(strategic["jobs_pledged"], 4000);
        assert_eq!(cents(&item("emerging-industries-fund")["pledged"]), 1_000_000_000_000);
        assert!(item("j2-semiconductor")["source"].as_str().unwrap().starts_with("published: "));
        // 6.9 + 3 + 17 + 10 bn, nothing realised reported.
        assert_eq!(cents(&d["total"]["pledged"]), 3_690_000_000_000);
        assert_eq!(cents(&d["total"]["realised"]), 0);
        assert_eq!(d["total"]["jobs_pledged"], 4000);
        let programme = |code: &str| d["by_programme"].as_array().unwrap().iter()
            .find(|g| g["key"] == code).cloned().unwrap();
        assert_eq!(cents(&programme("strategic_enterprises")["totals"]["pledged"]), 2_690_000_000_000);
        assert_views_add_up(&d);

        // The page shows the same in both languages.
        for (lang, amount, title) in [("en", "HK$6.9bn", "Investment pipeline"), ("zh", "69億港元", "投資進度")] {
            let html = client.get(app.url(&format!("/pipeline?lang={lang}"))).send().await.unwrap().text().await.unwrap();
            assert!(html.contains(title), "{lang}");
            assert!(html.contains(amount), "{lang}: {amount}");
            assert!(html.contains("id=\"by-programme\"") && html.contains("id=\"pipeline-chart\""));
        }
    }
}

both_backends! {
    async fn a_private_project_counts_only_for_its_organisation_and_officers(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        app.add_member("Beta", "bob@beta.example", vocab::Role::Investor).await;
        app.add_member("InvestHK", "olive@gov.example", vocab::Role::Officer).await;
        let acme = app.token("ann@acme.example").await;
        let beta = app.token("bob@beta.example").await;
        let officer = app.token("olive@gov.example").await;
        let client = Client::new();
        let res = client.post(app.url("/api/v1/projects")).bearer_auth(&acme)
            .json(&json!({"title_en": "Unannounced EV line", "title_zh": "未公布電動車線", "stage": "operating",
                "visibility": "private", "programme": "ev_assembly", "announced_year": 2025, "sector": "C36",
                "pledged": {"amount": "500000000"}, "realised": {"amount": "125000000"},
                "jobs_pledged": 200, "jobs_realised": 50,
                "output_pledged": {"amount": "800000000"}, "output_realised": {"amount": "100000000"}}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let project: Value = res.json().await.unwrap();
        let id = project["id"].as_i64().unwrap();
        assert_eq!(project["programme"], "ev_assembly");

        let base = dashboard(&client, app.url("/api/v1/pipeline"), None).await;
        let own = dashboard(&client, app.url("/api/v1/pipeline"), Some(&acme)).await;
        let other = dashboard(&client, app.url("/api/v1/pipeline"), Some(&beta)).await;
        let officers = dashboard(&client, app.url("/api/v1/pipeline"), Some(&officer)).await;
        let key = format!("project-{id}");
        let has = |d: &Value| d["items"].as_array().unwrap().iter().any(|i| i["key"] == key.as_str());
        assert!(has(&own) && has(&officers));
        assert!(!has(&other) && !has(&base));
        assert_eq!(cents(&own["total"]["pledged"]) - cents(&base["total"]["pledged"]), 50_000_000_000);
        assert_eq!(cents(&own["total"]["realised"]), 12_500_000_000);
        assert_eq!(own["total"]["jobs_realised"], 50);
        assert_eq!(cents(&other["total"]["pledged"]), cents(&base["total"]["pledged"]));
        assert_eq!(cents(&officers["total"]["output_realised"]), 10_000_000_000);
        for d in [&own, &officers, &other] {
            assert_views_add_up(d);
        }
        let ev = own["by_programme"].as_array().unwrap().iter().find(|g| g["key"] == "ev_assembly").unwrap();
        assert_eq!(ev["totals"]["items"], 2); // FAW's published talks and Acme's line
        assert_eq!(ev["totals"]["realised_share_pct"], "25.0");

        // The officer reads but does not change it.
        let res = client.put(app.url(&format!("/api/v1/projects/{id}"))).bearer_auth(&officer)
            .json(&json!({"title_en": "x", "title_zh": "x", "stage": "lead"})).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;

        // Milestones: the owner adds and completes one; Beta may neither see nor add.
        let url = app.url(&format!("/api/v1/pipeline/projects/{id}/milestones"));
        let res = client.post(&url).bearer_auth(&acme)
            .json(&json!({"title_en": "Line commissioned", "title_zh": "生產線投產", "due_on": "2026-06-30"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let milestone: Value = res.json().await.unwrap();
        let res = client.post(&url).bearer_auth(&acme)
            .json(&json!({"title_en": "Bad", "title_zh": "壞", "due_on": "2026-13-01"})).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("due_on"), "{message}");
        let res = client.get(&url).bearer_auth(&beta).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let res = client.post(&url).bearer_auth(&beta)
            .json(&json!({"title_en": "Hijack", "title_zh": "騎劫", "due_on": "2026-01-01"})).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let done = format!("{url}/{}", milestone["id"]);
        let res = client.put(&done).bearer_auth(&acme).json(&json!({"done_on": "2026-05-02"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        let list: Vec<Value> = client.get(&url).bearer_auth(&officer).send().await.unwrap().json().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["done_on"], "2026-05-02");
        // The project page lists it for the owner.
        let browser = app.browser_like_client();
        app.sign_in(&browser, "ann@acme.example", crate::helpers::PASSWORD).await;
        let page = browser.get(app.url(&format!("/projects/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Line commissioned") && page.contains("2026-05-02"), "{page}");
    }
}

both_backends! {
    /// Visitors share a list of public projects up to a second old; the member who adds one
    /// sees it at once, visitors soon after.
    async fn a_new_public_project_reaches_the_members_dashboard_at_once_and_visitors_soon(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let acme = app.token("ann@acme.example").await;
        let client = Client::new();
        let has = |d: &Value, key: &str| d["items"].as_array().unwrap().iter().any(|i| i["key"] == key);
        // A visitor's request first, so that the shared list exists before the project does.
        let before = dashboard(&client, app.url("/api/v1/pipeline"), None).await;
        let res = client.post(app.url("/api/v1/projects")).bearer_auth(&acme)
            .json(&json!({"title_en": "Open EV line", "title_zh": "公開電動車線", "stage": "lead",
                "visibility": "public", "programme": "ev_assembly", "announced_year": 2025, "sector": "C36"}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let key = format!("project-{}", res.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
        assert!(!has(&before, &key));

        let own = dashboard(&client, app.url("/api/v1/pipeline"), Some(&acme)).await;
        assert!(has(&own, &key), "the member does not see their own new project");
        let started = std::time::Instant::now();
        while !has(&dashboard(&client, app.url("/api/v1/pipeline"), None).await, &key) {
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "visitors never saw the new public project");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
