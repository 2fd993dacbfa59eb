//! The directory over the API and pages, on the demo data: bilingual and typo-tolerant search
//! with facets, profiles edited only by their owners and found as soon as they change,
//! matching with reasons, introductions private to the two sides, match quality.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use store::{Actor, AuditContext};

use crate::both_backends;
use crate::helpers::{api_error, spawn_app, TestApp};

async fn load_demo(app: &TestApp) {
    let ctx = AuditContext {
        actor: Actor::System,
        request_id: "test".into(),
    };
    let profiles = directory::synth::demo(7).map(directory::Entry::into_profile);
    let n = app
        .store
        .load_directory_entries(&ctx, profiles, "demo", |_| {})
        .await
        .unwrap();
    assert!(n >= 7_000, "{n}");
}

async fn search(client: &Client, app: &TestApp, query: &str) -> Value {
    let res = client
        .get(app.url(&format!("/api/v1/directory/search?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    res.json().await.unwrap()
}

fn has(hit: &Value, field: &str, code: &str) -> bool {
    hit[field].as_array().unwrap().iter().any(|v| v == code)
}

both_backends! {
    async fn search_finds_testing_labs_serving_chongqing_in_either_language_and_with_a_typo(db) {
        let app = spawn_app(db).await;
        load_demo(&app).await;
        let client = Client::new();
        for q in ["q=testing+Chongqing", "q=%E6%AA%A2%E6%B8%AC+%E9%87%8D%E6%85%B6"] {
            let found = search(&client, &app, q).await;
            let hits = found["hits"].as_array().unwrap();
            assert!(hits.len() >= 10, "{q}: {found}");
            for hit in &hits[..10] {
                assert_eq!(hit["kind"], "provider", "{q}: {hit}");
                assert!(has(hit, "services", "testing_certification") && has(hit, "regions", "chongqing"), "{q}: {hit}");
            }
        }
        let typo = search(&client, &app, "q=tesing").await;
        for hit in &typo["hits"].as_array().unwrap()[..10] {
            assert!(has(hit, "services", "testing_certification"), "{hit}");
        }
        // A facet filter narrows every hit, and the facet counts describe the filtered set.
        let filtered = search(&client, &app, "q=battery&region=chongqing&service=testing_certification&limit=50").await;
        let total = filtered["total"].as_u64().unwrap();
        assert!(total > 0);
        for hit in filtered["hits"].as_array().unwrap() {
            assert!(has(hit, "regions", "chongqing") && has(hit, "services", "testing_certification"), "{hit}");
        }
        let chongqing = filtered["facets"]["regions"].as_array().unwrap().iter().find(|f| f["code"] == "chongqing").unwrap();
        assert_eq!(chongqing["count"].as_u64().unwrap(), total);
        // Bad filters are named.
        let res = client.get(app.url("/api/v1/directory/search?service=testng")).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("service[0]"), "{message}");
        let res = client.get(app.url("/api/v1/directory/search?limit=0")).send().await.unwrap();
        api_error(res, StatusCode::BAD_REQUEST).await;

        // The page, in Chinese.
        let html = client.get(app.url("/directory?q=%E6%AA%A2%E6%B8%AC+%E9%87%8D%E6%85%B6&lang=zh")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"results\"") && html.contains("測試及認證") && html.contains("合成數據"), "page");

        // An investor with an EV focus and a HK$50m–200m ticket gets EV pilot projects first.
        let res = client.post(app.url("/api/v1/match"))
            .json(&json!({"kinds": ["project"], "sectors": ["ev"], "ticket_min": "50000000", "ticket_max": "200000000", "limit": 10}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let matches: Vec<Value> = res.json().await.unwrap();
        assert_eq!(matches.len(), 10);
        for m in &matches[..5] {
            let codes: Vec<&str> = m["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
            assert!(codes.contains(&"ticket_fits") && codes.contains(&"in_sector"), "{m}");
            let fits = m["reasons"].as_array().unwrap().iter().find(|r| r["code"] == "ticket_fits").unwrap();
            assert!(fits["text_en"].as_str().unwrap().contains("HK$"), "{fits}");
            assert!(fits["text_zh"].as_str().unwrap().contains("萬港元"), "{fits}");
        }
        assert!(matches.windows(2).all(|w| w[0]["score"].as_u64() >= w[1]["score"].as_u64()));
        let res = client.post(app.url("/api/v1/match")).json(&json!({"ticket_min": "5"})).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("ticket"), "{message}");
    }
}

both_backends! {
    async fn profiles_change_only_by_their_owners_and_introductions_stay_between_the_two(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme Labs", "ann@acme.example", vocab::Role::Provider).await;
        app.add_member("Beta Motors", "bob@beta.example", vocab::Role::Enterprise).await;
        app.add_member("Gamma", "gil@gamma.example", vocab::Role::Enterprise).await;
        let (acme, beta, gamma) = (app.token("ann@acme.example").await, app.token("bob@beta.example").await, app.token("gil@gamma.example").await);
        let client = Client::new();
        let lab = json!({"kind": "provider", "name_en": "Quokkatron Battery Lab", "name_zh": "袋鼠電池實驗室",
            "description_en": "Battery testing for EV makers", "description_zh": "電動車電池檢測",
            "services": ["testing_certification"], "regions": ["chongqing", "hk"], "sectors": ["ev_batteries"],
            "certifications": ["ISO/IEC 17025"], "verified": true, "provenance": "synthetic"});
        let res = client.post(app.url("/api/v1/directory")).bearer_auth(&acme).json(&lab).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let created: Value = res.json().await.unwrap();
        let id = created["id"].as_u64().unwrap();
        // A member cannot verify itself or claim another provenance.
        assert_eq!(created["profile"]["verified"], false);
        assert_eq!(created["profile"]["provenance"], "indicative");
        // Found at once, by name and in Chinese.
        let found = search(&client, &app, "q=Quokkatron").await;
        assert_eq!(found["hits"][0]["id"].as_u64(), Some(id));
        // Bad input names the field and stores nothing.
        let mut bad = lab.clone();
        bad["services"] = json!(["testing_certification", "testng"]);
        let res = client.post(app.url("/api/v1/directory")).bearer_auth(&acme).json(&bad).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains("services[1]"), "{message}");
        // Another organisation can neither change nor delete it.
        let mut stolen = lab.clone();
        stolen["name_en"] = json!("Stolen Lab");
        let res = client.put(app.url(&format!("/api/v1/directory/{id}"))).bearer_auth(&beta).json(&stolen).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        let res = client.delete(app.url(&format!("/api/v1/directory/{id}"))).bearer_auth(&beta).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        let res = client.post(app.url(&format!("/api/v1/directory/{id}/verify"))).bearer_auth(&acme).json(&json!({"verified": true})).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        assert_eq!(search(&client, &app, "q=Stolen").await["total"], 0);
        // The owner renames it; the index follows.
        let mut renamed = lab.clone();
        renamed["name_en"] = json!("Wombatronic Battery Lab");
        let res = client.put(app.url(&format!("/api/v1/directory/{id}"))).bearer_auth(&acme).json(&renamed).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(search(&client, &app, "q=Wombatronic").await["hits"][0]["id"].as_u64(), Some(id));
        assert_eq!(search(&client, &app, "q=Quokkatron").await["total"], 0);

        // Beta, an EV maker with its own profile, asks Acme for an introduction.
        let maker = json!({"kind": "enterprise", "name_en": "Beta Motors", "name_zh": "貝塔汽車",
            "description_en": "EV maker needing battery testing", "description_zh": "需要電池檢測的電動車廠",
            "services": ["testing_certification"], "regions": ["chongqing"], "sectors": ["ev_batteries"]});
        let res = client.post(app.url("/api/v1/directory")).bearer_auth(&beta).json(&maker).send().await.unwrap();
        let beta_entry = res.json::<Value>().await.unwrap()["id"].as_u64().unwrap();
        let res = client.post(app.url("/api/v1/introductions")).bearer_auth(&beta)
            .json(&json!({"to_entry": id, "from_entry": beta_entry, "message": "Confidential: our cell chemistry needs UN38.3"}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let intro: Value = res.json().await.unwrap();
        assert!(intro["score"].as_u64().unwrap() > 50, "{intro}");
        let intro_id = intro["id"].as_i64().unwrap();
        // Gamma cannot ask on Beta's behalf, and sees nothing of it.
        let res = client.post(app.url("/api/v1/introductions")).bearer_auth(&gamma)
            .json(&json!({"to_entry": id, "from_entry": beta_entry, "message": "hello"})).send().await.unwrap();
        api_error(res, StatusCode::BAD_REQUEST).await;
        let listed: Vec<Value> = client.get(app.url("/api/v1/introductions")).bearer_auth(&gamma).send().await.unwrap().json().await.unwrap();
        assert!(listed.is_empty());
        let res = client.get(app.url("/api/v1/introductions")).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
        let browser = app.browser_like_client();
        app.sign_in(&browser, "gil@gamma.example", crate::helpers::PASSWORD).await;
        let page = browser.get(app.url("/introductions")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("cell chemistry"));
        // Only Acme decides, once.
        let decide = |token: &str, accept: bool| client.post(app.url(&format!("/api/v1/introductions/{intro_id}/decision")))
            .bearer_auth(token.to_owned()).json(&json!({"accept": accept})).send();
        api_error(decide(&beta, true).await.unwrap(), StatusCode::FORBIDDEN).await;
        assert_eq!(decide(&acme, true).await.unwrap().status(), StatusCode::NO_CONTENT);
        api_error(decide(&acme, false).await.unwrap(), StatusCode::CONFLICT).await;
        let acme_view: Vec<Value> = client.get(app.url("/api/v1/introductions")).bearer_auth(&acme).send().await.unwrap().json().await.unwrap();
        assert_eq!(acme_view[0]["status"], "accepted");
        assert!(acme_view[0]["message"].as_str().unwrap().contains("cell chemistry"));
        // Match quality counts it in its score band.
        let bands: Vec<Value> = client.get(app.url("/api/v1/match/quality")).send().await.unwrap().json().await.unwrap();
        let score = intro["score"].as_u64().unwrap();
        let band = bands.iter().find(|b| b["from"].as_u64().unwrap() <= score && score <= b["to"].as_u64().unwrap()).unwrap();
        assert_eq!((band["decided"].as_u64(), band["accepted"].as_u64()), (Some(1), Some(1)));
        assert_eq!(band["acceptance_pct"], "100.0");
        // Deleting removes it from search.
        let res = client.delete(app.url(&format!("/api/v1/directory/{id}"))).bearer_auth(&acme).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(search(&client, &app, "q=Wombatronic").await["total"], 0);
    }
}

both_backends! {
    async fn an_organisation_adds_and_edits_its_profile_on_the_web(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme Labs", "ann@acme.example", vocab::Role::Provider).await;
        app.add_member("Beta Motors", "bob@beta.example", vocab::Role::Enterprise).await;
        let browser = app.browser_like_client();
        app.sign_in(&browser, "ann@acme.example", crate::helpers::PASSWORD).await;
        let form = browser.get(app.url("/directory/new")).send().await.unwrap().text().await.unwrap();
        let csrf = crate::helpers::hidden_csrf(&form);
        let fields = |name_zh: &str| vec![
            ("csrf", csrf.clone()), ("kind", "provider".into()), ("name_en", "Numbat Metrology".into()),
            ("name_zh", name_zh.into()), ("description_en", "Calibration and testing".into()),
            ("description_zh", "校準及檢測".into()), ("services", "testing_certification".into()),
            ("services", "rnd".into()), ("regions", "chongqing".into()), ("regions", "hk".into()),
            ("certifications", "ISO/IEC 17025, CNAS".into()),
        ];
        // A missing Chinese name is refused with the form kept, and nothing is stored.
        let res = browser.post(app.url("/directory/new")).form(&fields("")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let page = res.text().await.unwrap();
        assert!(page.contains("id=\"form-error\"") && page.contains("Numbat Metrology"), "{page}");
        let error = page.split("id=\"form-error\">").nth(1).unwrap().split("</p>").next().unwrap();
        assert!(error.starts_with("Name (Chinese) — "), "the field's label leads: {error}");
        assert_eq!(app.store.directory_count().await.unwrap(), 0);
        // A good form creates the entry, found by search with both services and regions.
        let res = browser.post(app.url("/directory/new")).form(&fields("袋食蟻獸計量")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let client = Client::new();
        let found = search(&client, &app, "q=Numbat").await;
        let hit = &found["hits"][0];
        assert!(has(hit, "services", "rnd") && has(hit, "regions", "hk"), "{hit}");
        assert_eq!(hit["certifications"], json!(["ISO/IEC 17025", "CNAS"]));
        let entry = browser.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(entry.contains("id=\"edit-profile\""));
        // Another organisation may not open or post its edit form.
        let other = app.browser_like_client();
        app.sign_in(&other, "bob@beta.example", crate::helpers::PASSWORD).await;
        let res = other.get(app.url(&format!("{location}/edit"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let other_csrf = crate::helpers::hidden_csrf(&other.get(app.url("/directory/new")).send().await.unwrap().text().await.unwrap());
        let mut hijack = fields("騎劫");
        hijack[0].1 = other_csrf;
        let res = other.post(app.url(&format!("{location}/edit"))).form(&hijack).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        // The owner's edit goes through.
        let mut edit = fields("袋食蟻獸計量");
        edit[2].1 = "Numbat Metrology Centre".into();
        let res = browser.post(app.url(&format!("{location}/edit"))).form(&edit).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(search(&client, &app, "q=Centre+Numbat").await["hits"][0]["name_en"], "Numbat Metrology Centre");
    }
}
