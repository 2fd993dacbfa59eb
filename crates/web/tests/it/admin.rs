//! Administrators manage users and officers, by API and by page: a new user signs in with the
//! one-time password and must replace it; a refused user leaves no organisation behind; an
//! assigned officer is listed with the scheme; nobody but an administrator gets in.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use vocab::Role;

use crate::both_backends;
use crate::helpers::{api_error, hidden_csrf, spawn_app, TestApp, PASSWORD};

const ROOT: &str = "root@madeby.example";

async fn organisations(app: &TestApp) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    app.store
        .export_table("organisations", dir.path())
        .await
        .unwrap()
        .rows
}

async fn users(app: &TestApp, token: &str) -> Vec<Value> {
    let res = Client::new()
        .get(app.url("/api/v1/users"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Vec<Value>>().await.unwrap()
}

both_backends! {
    async fn an_administrator_adds_a_user_over_the_api_who_must_replace_the_one_time_password(db) {
        let app = spawn_app(db).await;
        app.add_user(ROOT, Role::Admin, None).await;
        app.add_member("Acme", "ann@acme.example", Role::Enterprise).await;
        let root = app.token(ROOT).await;
        let client = Client::new();
        let new_officer = json!({
            "email": "olive@itc.example",
            "display_name": "Olive Officer",
            "role": "officer",
            "organisation": {"name_en": "Innovation and Technology Commission", "name_zh": "創新科技署", "kind": "government"}
        });
        let res = client.post(app.url("/api/v1/users")).bearer_auth(&root).json(&new_officer).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let created: Value = res.json().await.unwrap();
        let password = created["one_time_password"].as_str().unwrap().to_owned();
        assert!(password.len() >= 12, "{password}");

        // The new user signs in with it and is sent to choose their own password.
        let browser = app.browser_like_client();
        let res = app.sign_in(&browser, "olive@itc.example", &password).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/account/password");

        let listed = users(&app, &root).await;
        let olive = listed.iter().find(|u| u["email"] == "olive@itc.example").expect("listed");
        assert_eq!(olive["role"], "officer");
        assert_eq!(olive["org_name_zh"], "創新科技署");
        assert_eq!(olive["must_change_password"], true);
        assert_eq!(olive["id"], created["id"]);

        // Refusals name the field and change nothing: a taken email with a new organisation
        // creates neither; a bad email, a bad kind and a missing organisation are 400s.
        let before = (organisations(&app).await, listed.len());
        let taken = json!({"email": "ann@acme.example", "display_name": "Ann", "role": "enterprise",
            "organisation": {"name_en": "Brand New Ltd"}});
        let res = client.post(app.url("/api/v1/users")).bearer_auth(&root).json(&taken).send().await.unwrap();
        let (_, message) = api_error(res, StatusCode::CONFLICT).await;
        assert!(message.contains("ann@acme.example"), "{message}");
        for (body, field) in [
            (json!({"email": "not-an-email", "display_name": "X", "role": "admin"}), "email"),
            (json!({"email": "x@y.example", "display_name": "X", "role": "chief"}), "role"),
            (json!({"email": "x@y.example", "display_name": "X", "role": "investor"}), "organisation"),
            (json!({"email": "x@y.example", "display_name": "X", "role": "investor",
                "organisation": {"name_en": "Fund", "kind": "bank"}}), "organisation.kind"),
        ] {
            let res = client.post(app.url("/api/v1/users")).bearer_auth(&root).json(&body).send().await.unwrap();
            let (code, message) = api_error(res, StatusCode::BAD_REQUEST).await;
            assert_eq!(code, "invalid_field");
            assert!(message.starts_with(&format!("{field}:")), "{field}: {message}");
        }
        assert_eq!((organisations(&app).await, users(&app, &root).await.len()), before);

        // A second member of Acme joins the existing organisation.
        let res = client.post(app.url("/api/v1/users")).bearer_auth(&root)
            .json(&json!({"email": "al@acme.example", "display_name": "Al", "role": "enterprise",
                "organisation": {"name_en": "Acme"}}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let listed = users(&app, &root).await;
        let org_of = |email: &str| listed.iter().find(|u| u["email"] == email).unwrap()["org"].clone();
        assert_eq!(org_of("al@acme.example"), org_of("ann@acme.example"));
        assert_eq!(organisations(&app).await, before.0);

        // Nobody else lists or creates users.
        let ann = app.token("ann@acme.example").await;
        let res = client.get(app.url("/api/v1/users")).bearer_auth(&ann).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        let res = client.post(app.url("/api/v1/users")).bearer_auth(&ann).json(&new_officer).send().await.unwrap();
        api_error(res, StatusCode::FORBIDDEN).await;
        let res = client.get(app.url("/api/v1/users")).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
    }
}

async fn page(client: &Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

both_backends! {
    async fn the_users_page_adds_a_user_and_assigns_an_officer_in_both_languages(db) {
        let app = spawn_app(db).await;
        app.add_user(ROOT, Role::Admin, None).await;
        app.add_member("Acme", "ann@acme.example", Role::Enterprise).await;
        let admin = app.browser_like_client();
        app.sign_in(&admin, ROOT, PASSWORD).await;

        let (status, html) = page(&admin, &app, "/admin/users?lang=zh-HK").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("用戶及計劃主任") && html.contains("ann@acme.example") && html.contains("Acme（中）"));
        assert!(html.contains("id=\"no-officers\""), "no officer to assign yet");

        let csrf = hidden_csrf(&html);
        let form = [("email", "olive@itc.example"), ("display_name", "Olive"), ("role", "officer"),
            ("org_en", "Innovation and Technology Commission"), ("org_zh", "創新科技署"),
            ("org_kind", "government"), ("csrf", csrf.as_str())];
        let res = admin.post(app.url("/admin/users")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let html = res.text().await.unwrap();
        let marker = "id=\"one-time-password\">";
        let start = html.find(marker).expect("the password is shown") + marker.len();
        let password = html[start..].split('<').next().unwrap().to_owned();
        assert!(app.sign_in(&app.browser_like_client(), "olive@itc.example", &password).await.status().is_redirection());

        // A bad email: 400, the reason under the field's name in the page's language.
        let mut bad = form;
        bad[0] = ("email", "not-an-email");
        let res = admin.post(app.url("/admin/users")).form(&bad).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let html = res.text().await.unwrap();
        assert!(html.contains("電郵 — email:"), "{html}");

        // The same email again: 409, the form kept, nothing added.
        let res = admin.post(app.url("/admin/users")).form(&form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let html = res.text().await.unwrap();
        assert!(html.contains("id=\"form-error\"") && html.contains("value=\"Olive\""));
        assert!(!html.contains("id=\"one-time-password\""));

        // Assign Olive to a scheme: her row and the API list it.
        let (_, html) = page(&admin, &app, "/admin/users").await;
        let olive_id = html.split("id=\"user-").filter_map(|rest| {
            let (id, row) = rest.split_once('"')?;
            row.split("</tr>").next()?.contains("olive@itc.example").then(|| id.to_owned())
        }).next().expect("Olive's row");
        let csrf = hidden_csrf(&html);
        let res = admin.post(app.url("/admin/officers"))
            .form(&[("user_id", olive_id.as_str()), ("scheme", "smart-production-line"), ("csrf", csrf.as_str())])
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, html) = page(&admin, &app, "/admin/users").await;
        let row = html.split(&format!("id=\"user-{olive_id}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains("新智能生產線配對資助計劃（示例）"), "the language chosen sticks: {row}");
        let root = app.token(ROOT).await;
        let listed = users(&app, &root).await;
        let olive = listed.iter().find(|u| u["email"] == "olive@itc.example").unwrap();
        assert_eq!(olive["schemes"], json!(["smart-production-line"]));

        // Assigning a non-officer is refused on the page with the store's reason.
        let ann_id = listed.iter().find(|u| u["email"] == "ann@acme.example").unwrap()["id"].to_string();
        let res = admin.post(app.url("/admin/officers"))
            .form(&[("user_id", ann_id.as_str()), ("scheme", "smart-production-line"), ("csrf", csrf.as_str())])
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert!(res.text().await.unwrap().contains("not an officer"));

        // A forged form, a visitor and a member are all turned away.
        let res = admin.post(app.url("/admin/users")).form(&[("email", "x@y.example"), ("display_name", "X"),
            ("role", "admin"), ("org_en", ""), ("org_zh", ""), ("org_kind", ""), ("csrf", "forged")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (status, _) = page(&app.browser_like_client(), &app, "/admin/users").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let ann = app.browser_like_client();
        app.sign_in(&ann, "ann@acme.example", PASSWORD).await;
        let (status, html) = page(&ann, &app, "/admin/users?lang=zh-HK").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("只有管理員可管理用戶") && !html.contains("olive@itc.example"));
        assert!(!html.contains("id=\"nav-admin\""));
        assert_eq!(users(&app, &root).await.len(), listed.len());
    }
}
