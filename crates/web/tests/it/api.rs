//! The JSON API: published figures, the OpenAPI document, and bad input getting a 4xx.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{api_error, spawn_app};

both_backends! {
    async fn health_answers_ok_when_the_database_answers(db) {
        // Arrange
        let app = spawn_app(db).await;
        // Act
        let res = reqwest::get(app.url("/health")).await.unwrap();
        // Assert
        assert_eq!(res.status(), StatusCode::OK);
        app.store.close().await;
        let res = reqwest::get(app.url("/health")).await.unwrap();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
}

both_backends! {
    async fn industry_figures_reproduce_the_study_as_published(db) {
        let app = spawn_app(db).await;
        let body: Value = reqwest::get(app.url("/api/v1/reference/industry")).await.unwrap().json().await.unwrap();
        let figure = |component: &str| {
            body["industry"].as_array().unwrap().iter()
                .find(|f| f["component"] == component && f["subgroup"].is_null())
                .unwrap_or_else(|| panic!("no {component}"))
                .clone()
        };
        let published = [
            ("total", "127.1", "4.4"),
            ("manufacturing", "28.2", "1.0"),
            ("publishing_packaging", "5.3", "0.2"),
            ("subcontract_processing", "53.4", "1.8"),
            ("new_industries", "40.2", "1.4"),
        ];
        for (component, bn, share) in published {
            let f = figure(component);
            assert_eq!(f["value_hkd_bn"], bn, "{component}");
            assert_eq!(f["gdp_share_pct"], share, "{component}");
            assert_eq!(f["source"]["kind"], "published");
            assert_eq!(f["source"]["document"], "made-by-hk-study");
        }
        assert_eq!(figure("total")["value"]["cents"], 12_710_000_000_000_i64);
        let ps = body["producer_services"].as_array().unwrap();
        assert_eq!(ps.iter().map(|f| (f["year"].as_i64().unwrap(), f["value_hkd_bn"].as_str().unwrap().to_owned())).collect::<Vec<_>>(),
            vec![(2000, "230".to_owned()), (2023, "473.5".to_owned())]);
        assert_eq!(ps[1]["gdp_share_pct"], "16.2");
        let info = body["overlap"].as_array().unwrap().iter().find(|o| o["item"] == "information_communications").unwrap();
        assert_eq!(info["allocation_pct"], "14.2");
    }
}

both_backends! {
    async fn registry_counts_and_pledges_are_served_with_names_and_sources(db) {
        let app = spawn_app(db).await;
        let counts: Vec<Value> = reqwest::get(app.url("/api/v1/reference/mainland-manufacturers")).await.unwrap().json().await.unwrap();
        let find = |key: &str| counts.iter().find(|c| c["key"] == key).unwrap().clone();
        assert_eq!(counts.iter().find(|c| c["dimension"] == "total").unwrap()["enterprises"], 68314);
        assert_eq!(find("cn-gd")["enterprises"], 30971);
        assert_eq!(find("cn-gd-shenzhen")["name_zh"], "深圳");
        assert_eq!(find("C39")["enterprises"], 9177);
        assert_eq!(find("C39")["share_pct"], "13.4");
        let pledges: Vec<Value> = reqwest::get(app.url("/api/v1/reference/pledges")).await.unwrap().json().await.unwrap();
        let j2 = pledges.iter().find(|p| p["code"] == "j2-semiconductor").unwrap();
        assert_eq!(j2["pledged"]["cents"], 690_000_000_000_i64);
        let strategic = pledges.iter().find(|p| p["code"] == "strategic-enterprises-25").unwrap();
        assert_eq!(strategic["jobs"], 4000);
        assert_eq!(strategic["pledged"]["amount"], "17000000000");
    }
}

#[tokio::test]
async fn openapi_document_describes_every_api_route() {
    let app = spawn_app(crate::helpers::Db::Sqlite).await;
    let doc: Value = reqwest::get(app.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for route in [
        "/api/v1/reference/datasets",
        "/api/v1/reference/industry",
        "/api/v1/reference/mainland-manufacturers",
        "/api/v1/reference/pledges",
        "/api/v1/reference/places",
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/audit",
    ] {
        assert!(
            paths.contains_key(route),
            "{route} missing from the OpenAPI document"
        );
    }
    // Two DTOs of one name would share one schema, and one of them would be described wrongly.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(schemas.contains_key("FigureDto") && schemas.contains_key("ContributionFigureDto"));
    // Every documented operation answers (no 404 or 405 from the router) without a 5xx, even
    // with an empty body and no credentials; one that reads input documents its 400.
    let client = reqwest::Client::new();
    for (route, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            if operation.get("parameters").is_some() || operation.get("requestBody").is_some() {
                assert!(
                    operation["responses"].get("400").is_some(),
                    "{method} {route}: no 400"
                );
            }
            let url = app.url(
                &route
                    .replace("{id}", "1")
                    .replace("{code}", "HK-AAAA-BBBB-CCCC"),
            );
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = client
                .request(method.clone(), url)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = res.status();
            assert!(status.as_u16() < 500, "{method} {route}: {status}");
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {route}");
            if status != StatusCode::NOT_FOUND || !route.contains('{') {
                assert_ne!(status, StatusCode::NOT_FOUND, "{method} {route}");
            }
        }
    }
}

both_backends! {
    async fn bad_input_gets_a_4xx_naming_what_was_wrong_and_changes_nothing(db) {
        // Arrange
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let token = app.token("ann@acme.example").await;
        let client = Client::new();
        let post = |body: String| client.post(app.url("/api/v1/projects")).bearer_auth(&token)
            .header("content-type", "application/json").body(body).send();
        let valid = json!({"title_en": "EV line", "title_zh": "電動車生產線", "stage": "lead"});
        let with = |key: &str, value: Value| { let mut v = valid.clone(); v[key] = value; v.to_string() };

        // Act and Assert: each bad body names its problem.
        let cases: Vec<(String, &str, &str)> = vec![
            ("{not json".to_owned(), "malformed_json", "request body"),
            (with("stage", json!("launched")), "invalid_field", "stage"),
            (with("title_zh", json!("  ")), "invalid_field", "title"),
            (with("pledged", json!({"amount": "-5"})), "invalid_field", "pledged.amount"),
            (with("pledged", json!({"amount": "1.234"})), "invalid_field", "pledged.amount"),
            (with("pledged", json!({"amount": "12", "currency": "XYZ"})), "invalid_field", "pledged.currency"),
            (with("place", json!("atlantis")), "invalid_field", "place"),
            (with("visibility", json!("secret")), "invalid_field", "visibility"),
            (with("realised", json!({"amount": "5"})), "invalid_field", "before the project has landed"),
            (with("colour", json!("red")), "invalid_body", "colour"),
            (with("jobs_pledged", json!(-3)), "invalid_body", "jobs_pledged"),
        ];
        for (body, code, mentions) in cases {
            let (got_code, message) = api_error(post(body.clone()).await.unwrap(), StatusCode::BAD_REQUEST).await;
            assert_eq!(got_code, code, "{body}: {message}");
            assert!(message.contains(mentions), "{body}: message {message:?} should mention {mentions}");
        }
        let res = client.get(app.url("/api/v1/projects/not-a-number")).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::BAD_REQUEST).await.0, "invalid_path");
        let res = client.get(app.url("/api/v1/stats/contribution?year=99999")).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::BAD_REQUEST).await.0, "invalid_query");
        let res = client.get(app.url("/api/v1/no-such-thing")).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::NOT_FOUND).await.0, "not_found");
        let res = client.post(app.url("/api/v1/projects")).bearer_auth("bogus").json(&valid).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::UNAUTHORIZED).await.0, "unauthorized");
        let res = client.post(app.url("/api/v1/projects")).body(valid.to_string()).send().await.unwrap();
        assert_eq!(res.status().as_u16() / 100, 4);

        // Nothing was stored by any refused request.
        let listed: Vec<Value> = client.get(app.url("/api/v1/projects")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert!(listed.is_empty(), "refused requests stored {listed:?}");
        let res = post(valid.to_string()).await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }
}

both_backends! {
    async fn api_tokens_identify_their_user_and_wrong_passwords_are_refused(db) {
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Investor).await;
        let token = app.token("ann@acme.example").await;
        let me: Value = Client::new().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["email"], "ann@acme.example");
        assert_eq!(me["role"], "investor");
        let res = Client::new().post(app.url("/api/v1/tokens"))
            .json(&json!({"email": "ann@acme.example", "password": "wrong password!!", "name": "x"})).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
        let res = Client::new().get(app.url("/api/v1/audit")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::FORBIDDEN).await.0, "forbidden");
    }
}
