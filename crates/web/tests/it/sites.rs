//! The location benchmark over the API and the site-finder page.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{api_error, spawn_app, Db};

#[tokio::test]
async fn locations_are_listed_with_their_indicators_labelled_indicative() {
    let app = spawn_app(Db::Sqlite).await;
    let locations: Vec<Value> = reqwest::get(app.url("/api/v1/locations"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(locations.len() >= 25, "{}", locations.len());
    assert!(locations.iter().all(|l| l["indicative"] == true));
    assert!(locations.iter().any(|l| l["name_zh"] == "香港科學園"));
    let first = &locations[0]["indicators"][0];
    assert_eq!(first["source"]["kind"], "indicative");
    assert!(!first["note"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn a_shipped_profile_is_ranked_everywhere_without_nan_and_bad_input_is_named() {
    let app = spawn_app(Db::Sqlite).await;
    let client = Client::new();
    let rank = |body: Value| {
        client
            .post(app.url("/api/v1/sites/rank"))
            .json(&body)
            .send()
    };
    let ranking: Value = rank(json!({"profile": "ev-assembly"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = ranking["rows"].as_array().unwrap();
    assert!(rows.len() >= 25);
    assert!(
        rows.iter()
            .all(|r| r["weighted_sum"].is_f64() && r["topsis"].is_f64()),
        "no NaN (it would serialise as null)"
    );
    assert_eq!(rows[0]["weighted_sum_rank"], 1);
    assert_eq!(ranking["tornado"].as_array().unwrap().len(), 3);

    let two: Value = rank(json!({"profile": "food-technology", "candidates": ["hk-science-park", "sg-singapore"],
        "weights": {"cost": 1, "skilled_labour": 0, "geopolitical_exposure": 0, "approval_lead_time": 0, "ip_protection": 0}}))
        .await.unwrap().json().await.unwrap();
    let codes: Vec<&str> = two["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "{two}");

    for (body, mentions) in [
        (
            json!({"profile": "ev-assembly", "candidates": ["atlantis"]}),
            "candidates",
        ),
        (
            json!({"profile": "ev-assembly", "weights": {"cost": 0, "skilled_labour": 0, "geopolitical_exposure": 0, "approval_lead_time": 0, "ip_protection": 0}}),
            "weights",
        ),
        (json!({"profile": "spaceship"}), "profile"),
        (json!({}), "profile"),
    ] {
        let res = rank(body.clone()).await.unwrap();
        let (code, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert!(message.contains(mentions), "{body}: {message}");
        match mentions {
            "weights" => assert_eq!(code, "all_zero_weights", "the engine's own code"),
            "candidates" => assert_eq!(code, "unknown_location", "the engine's own code"),
            _ => {}
        }
    }
    let negative = siting::SHIPPED_PROFILES[0]
        .1
        .replacen("operator = ", "operator = -", 1);
    let res = rank(json!({"profile_toml": negative})).await.unwrap();
    let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
    assert!(
        message.contains("profile_toml") && message.contains("line"),
        "{message}"
    );
}

#[tokio::test]
async fn the_site_finder_page_ranks_in_both_languages_and_keeps_the_study_in_its_link() {
    let app = spawn_app(Db::Sqlite).await;
    let en = reqwest::get(app.url("/sites?profile=semiconductor-backend&w_cost=5"))
        .await
        .unwrap();
    assert_eq!(en.status(), StatusCode::OK);
    let en = en.text().await.unwrap();
    assert!(
        en.contains("id=\"ranking\"")
            && en.contains("<svg id=\"sites-map\"")
            && en.contains("<svg id=\"sites-tornado\"")
    );
    assert!(
        en.contains("value=\"semiconductor-backend\" selected")
            && en.contains("name=\"w_cost\" min=\"0\" max=\"10\" step=\"0.5\" value=\"5\"")
    );
    let zh = reqwest::get(app.url("/sites?lang=zh-HK"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("選址基準比較") && zh.contains("成本淨現值"));
    let bad = reqwest::get(app.url("/sites?w_cost=0&w_skilled=0&w_geo=0&w_approval=0&w_ip=0"))
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_ranking_exports_as_csv_and_two_locations_compare_side_by_side() {
    let app = spawn_app(Db::Sqlite).await;
    let csv = reqwest::get(
        app.url("/sites/ranking.csv?profile=ev-assembly&candidates=hk-science-park,sg-singapore"),
    )
    .await
    .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("rank,code,name_en"));
    assert!(lines[1..].iter().all(|l| l.ends_with(",indicative")));
    let page = reqwest::get(
        app.url("/sites/compare?profile=ev-assembly&a=hk-science-park&b=sg-singapore"),
    )
    .await
    .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Hong Kong Science Park")
            && page.contains("Singapore")
            && page.contains("Net present cost")
    );
    let same = reqwest::get(app.url("/sites/compare?a=hk-science-park&b=hk-science-park"))
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::BAD_REQUEST);
    let full = reqwest::get(app.url("/sites"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(full.contains("id=\"compare-top-two\"") && full.contains("id=\"ranking-csv\""));
}

#[tokio::test]
async fn a_users_own_indicators_are_ranked_as_a_named_dataset_and_a_bad_file_names_its_line() {
    let app = spawn_app(Db::Sqlite).await;
    let client = Client::new();
    // Two locations copied from the shipped data, one of them renamed and made cheaper.
    let names = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../siting/data/location_names.csv"
    ))
    .unwrap();
    let indicators = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../siting/data/locations.csv"
    ))
    .unwrap();
    let keep = |text: &str| -> String {
        text.lines()
            .filter(|l| {
                l.starts_with("code,")
                    || l.starts_with("location,")
                    || l.starts_with("hk-science-park,")
                    || l.starts_with("sg-singapore,")
            })
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let body = json!({"profile": "ev-assembly", "dataset": {"name": "My two sites", "names_csv": keep(&names), "indicators_csv": keep(&indicators)}});
    let res = client
        .post(app.url("/api/v1/sites/rank"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ranking: Value = res.json().await.unwrap();
    assert_eq!(ranking["dataset"], "My two sites", "{ranking}");
    assert_eq!(ranking["rows"].as_array().unwrap().len(), 2);

    let broken = keep(&indicators).replacen(
        "hk-science-park,wage_operator,17000",
        "hk-science-park,wage_operator,lots",
        1,
    );
    let body = json!({"profile": "ev-assembly", "dataset": {"name": "Broken", "names_csv": keep(&names), "indicators_csv": broken}});
    let res = client
        .post(app.url("/api/v1/sites/rank"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
    assert!(
        message.contains("locations.csv") && message.contains("line 3"),
        "{message}"
    );
}

#[tokio::test]
async fn weights_all_set_to_zero_or_an_unknown_location_are_explained_in_the_readers_language() {
    let app = spawn_app(Db::Sqlite).await;
    let zero = "w_cost=0&w_skilled=0&w_geo=0&w_approval=0&w_ip=0";
    let unknown = "candidates=hk-science-park,atlantis";
    for (query, lang, expected) in [
        (
            zero,
            "en",
            "All weights are zero: give at least one criterion a weight above zero.",
        ),
        (
            zero,
            "zh-HK",
            "所有權重均為零：請最少為一項準則設定大於零的權重。",
        ),
        (
            unknown,
            "zh-HK",
            "所選地點中有一個不在比較範圍內：請重新選擇候選地點。",
        ),
    ] {
        let res = Client::new()
            .get(app.url(&format!("/sites?{query}&lang={lang}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let html = res.text().await.unwrap();
        assert!(html.contains(expected), "{lang}: {html}");
    }
}
