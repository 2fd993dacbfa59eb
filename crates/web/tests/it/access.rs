//! Confidentiality between organisations, by API and by page; sessions, CSRF and rate limits.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{api_error, hidden_csrf, spawn_app, PASSWORD};

both_backends! {
    async fn an_organisation_cannot_read_or_change_another_organisations_private_project(db) {
        // Arrange: Acme owns a private and a public project; Beta is another organisation.
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        app.add_member("Beta", "bob@beta.example", vocab::Role::Investor).await;
        let acme = app.token("ann@acme.example").await;
        let beta = app.token("bob@beta.example").await;
        let client = Client::new();
        let create = |title: &str, visibility: &str| client.post(app.url("/api/v1/projects")).bearer_auth(&acme)
            .json(&json!({"title_en": title, "title_zh": "秘密項目", "stage": "pledged", "visibility": visibility,
                          "pledged": {"amount": "250000000"}, "jobs_pledged": 120}))
            .send();
        let private: Value = create("Secret EV line", "private").await.unwrap().json().await.unwrap();
        let public: Value = create("Open pilot plant", "public").await.unwrap().json().await.unwrap();
        let private_id = private["id"].as_i64().unwrap();
        let public_id = public["id"].as_i64().unwrap();
        assert_eq!(private["pledged"]["cents"], 25_000_000_000_i64);

        // Act and Assert, API: Beta sees only the public project, cannot read the private one,
        // and can change neither.
        let listed: Vec<Value> = client.get(app.url("/api/v1/projects")).bearer_auth(&beta).send().await.unwrap().json().await.unwrap();
        assert_eq!(listed.iter().map(|p| p["id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![public_id]);
        let res = client.get(app.url(&format!("/api/v1/projects/{private_id}"))).bearer_auth(&beta).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let res = client.get(app.url(&format!("/api/v1/projects/{private_id}"))).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let takeover = json!({"title_en": "Stolen", "title_zh": "偷", "stage": "lead", "visibility": "public"});
        let res = client.put(app.url(&format!("/api/v1/projects/{private_id}"))).bearer_auth(&beta).json(&takeover).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let res = client.put(app.url(&format!("/api/v1/projects/{public_id}"))).bearer_auth(&beta).json(&takeover).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;

        // Pages: the same refusals for a signed-in Beta browser.
        let browser = app.browser_like_client();
        assert_eq!(app.sign_in(&browser, "bob@beta.example", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let res = browser.get(app.url(&format!("/projects/{private_id}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(!res.text().await.unwrap().contains("Secret EV line"));
        let list = browser.get(app.url("/projects")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("Open pilot plant") && !list.contains("Secret EV line"));
        let csrf = hidden_csrf(&browser.get(app.url("/projects")).send().await.unwrap().text().await.unwrap());
        for id in [private_id, public_id] {
            let res = browser.post(app.url(&format!("/projects/{id}")))
                .form(&[("title_en", "Stolen"), ("title_zh", "偷"), ("stage", "lead"), ("visibility", "public"), ("csrf", csrf.as_str())])
                .send().await.unwrap();
            assert!(matches!(res.status(), StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{id}: {}", res.status());
        }
        let res = browser.get(app.url(&format!("/projects/{public_id}/edit"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        // Nothing changed, and the owner still sees and may edit both.
        let mine: Vec<Value> = client.get(app.url("/api/v1/projects")).bearer_auth(&acme).send().await.unwrap().json().await.unwrap();
        let titles: Vec<&str> = mine.iter().map(|p| p["title_en"].as_str().unwrap()).collect();
        assert_eq!(titles, vec!["Open pilot plant", "Secret EV line"]);
        let res = client.put(app.url(&format!("/api/v1/projects/{private_id}"))).bearer_auth(&acme)
            .json(&json!({"title_en": "Secret EV line", "title_zh": "秘密項目", "stage": "landed"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let audit = app.store.audit_log(50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "project.update" && e.actor == "ann@acme.example"));
        assert!(!audit.iter().any(|e| e.action == "project.update" && e.actor == "bob@beta.example"));
    }
}

both_backends! {
    async fn sign_in_starts_a_new_session_and_sign_out_ends_it(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let browser = app.browser_like_client();

        let res = app.sign_in(&browser, "ann@acme.example", PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let cookie = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("madeby_session=")).expect("session cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let first = cookie.split(';').next().unwrap().to_owned();
        let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("id=\"sign-out\""));

        // Signing in again renews the session: a new token, the old one dead.
        let res = app.sign_in(&browser, "ann@acme.example", PASSWORD).await;
        let second = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("madeby_session=")).unwrap().split(';').next().unwrap().to_owned();
        assert_ne!(first, second);
        let stale = Client::new().get(app.url("/api/v1/me")).header("cookie", &first).send().await.unwrap();
        assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
        let live = Client::new().get(app.url("/api/v1/me")).header("cookie", &second).send().await.unwrap();
        assert_eq!(live.status(), StatusCode::OK);

        // Sign-out without the anti-forgery token is refused; with it, the session ends.
        let res = browser.post(app.url("/sign-out")).form(&[("csrf", "forged")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let csrf = hidden_csrf(&browser.get(app.url("/")).send().await.unwrap().text().await.unwrap());
        let res = browser.post(app.url("/sign-out")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let after = Client::new().get(app.url("/api/v1/me")).header("cookie", &second).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        let audit = app.store.audit_log(50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "session.sign_in"));
        assert!(audit.iter().any(|e| e.action == "session.sign_out"));
    }
}

both_backends! {
    async fn forms_and_cookie_api_writes_need_the_anti_forgery_token(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let browser = app.browser_like_client();
        // A sign-in form posted from elsewhere (no token) is refused before the password is checked.
        let res = browser.post(app.url("/sign-in"))
            .form(&[("email", "ann@acme.example"), ("password", PASSWORD), ("csrf", "")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        app.sign_in(&browser, "ann@acme.example", PASSWORD).await;
        let body = json!({"title_en": "x", "title_zh": "x", "stage": "lead"});
        let res = browser.post(app.url("/api/v1/projects")).json(&body).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        let res = browser.post(app.url("/projects")).form(&[("title_en", "x"), ("title_zh", "x"), ("stage", "lead")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let mine: Vec<Value> = browser.get(app.url("/api/v1/projects")).send().await.unwrap().json().await.unwrap();
        assert!(mine.is_empty());
    }
}

both_backends! {
    async fn sign_in_is_refused_after_five_failures_for_one_email(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let browser = app.browser_like_client();
        for _ in 0..5 {
            let res = app.sign_in(&browser, "ann@acme.example", "wrong password 000").await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
        // Even the right password is refused now.
        let res = app.sign_in(&browser, "ann@acme.example", PASSWORD).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let res = Client::new().post(app.url("/api/v1/tokens"))
            .json(&json!({"email": "ann@acme.example", "password": PASSWORD, "name": "x"})).send().await.unwrap();
        api_error(res, StatusCode::TOO_MANY_REQUESTS).await;
        let audit = app.store.audit_log(50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "session.sign_in_refused"));
        assert!(audit.iter().all(|e| !e.detail.contains(PASSWORD)), "a password reached the audit log");
    }
}
