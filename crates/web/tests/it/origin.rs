//! The Brand Hong Kong origin check over the API and the pages, with certificates anyone can
//! verify.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{api_error, hidden_csrf, spawn_app, Db, PASSWORD};

/// A product whose Hong Kong share is `hk_cents / (hk_cents + cn_cents)`, with the essential
/// final assembly done in Hong Kong at no cost of its own.
fn product(hk_cents: i64, cn_cents: i64) -> Value {
    let amount = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    json!({
        "name": "Test widget",
        "class": "industrial",
        "materials": [
            {"code": "hk-part", "item": "Part made in Hong Kong", "cost": amount(hk_cents), "origin": "HK"},
            {"code": "cn-part", "item": "Part made in the Mainland", "cost": amount(cn_cents), "origin": "CN"}
        ],
        "steps": [
            {"code": "final-assembly", "step": "Final assembly", "cost": "0", "place": "HK"}
        ]
    })
}

#[tokio::test]
async fn a_share_exactly_at_the_threshold_qualifies_and_one_cent_less_does_not() {
    let app = spawn_app(Db::Sqlite).await;
    let client = Client::new();
    let check = |body: Value| {
        client
            .post(app.url("/api/v1/origin/check"))
            .json(&body)
            .send()
    };
    // 60.00 of 100.00 in Hong Kong: exactly 60%.
    let at: Value = check(product(6000, 4000))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(at["qualifies"], true, "{at}");
    assert_eq!(at["share"], "60.00");
    // 59.99 of 100.00: one cent short; the fix says exactly HK$0.01 must move.
    let below: Value = check(product(5999, 4001))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(below["qualifies"], false);
    assert_eq!(below["fix"]["amount_to_move"]["cents"], 1);
    assert_eq!(below["fix"]["moves"][0]["code"], "cn-part");
}

#[tokio::test]
async fn bad_products_get_a_400_naming_the_field() {
    let app = spawn_app(Db::Sqlite).await;
    let client = Client::new();
    let mut negative = product(6000, 4000);
    negative["materials"][1]["cost"] = json!("-40.00");
    let mut unknown_place = product(6000, 4000);
    unknown_place["steps"][0]["place"] = json!("XX");
    let mut empty = product(6000, 4000);
    empty["materials"] = json!([]);
    let mut unknown_class = product(6000, 4000);
    unknown_class["class"] = json!("toys");
    for (body, mentions) in [
        (negative, "materials[1]"),
        (unknown_place, "steps[0].place"),
        (empty, "product"),
        (unknown_class, "industrial"),
    ] {
        let res = client
            .post(app.url("/api/v1/origin/check"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let (code, message) = api_error(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "invalid_field");
        assert!(
            message.contains(mentions),
            "{message} should mention {mentions}"
        );
    }
}

both_backends! {
    async fn a_qualifying_product_gets_a_certificate_that_anyone_can_verify(db) {
        // Arrange
        let app = spawn_app(db).await;
        app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
        let token = app.token("ann@acme.example").await;
        let client = Client::new();

        // Act: anonymous callers may check but not issue; a failing product gets no certificate.
        let res = client.post(app.url("/api/v1/origin/certificates")).json(&product(6000, 4000)).send().await.unwrap();
        api_error(res, StatusCode::UNAUTHORIZED).await;
        let res = client.post(app.url("/api/v1/origin/certificates")).bearer_auth(&token).json(&product(5000, 5000)).send().await.unwrap();
        assert_eq!(api_error(res, StatusCode::BAD_REQUEST).await.0, "does_not_qualify");
        let res = client.post(app.url("/api/v1/origin/certificates")).bearer_auth(&token).json(&product(7000, 3000)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let certificate: Value = res.json().await.unwrap();
        let code = certificate["code"].as_str().unwrap().to_owned();

        // Assert: anyone can look it up, by API and by page, in both languages.
        let looked_up: Value = client.get(app.url(&format!("/api/v1/origin/certificates/{code}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(looked_up["share_pct"], "70.00");
        assert_eq!(looked_up["report"]["qualifies"], true);
        let page = client.get(app.url(&format!("/origin/certificates/{}", code.to_lowercase()))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&code) && page.contains("Test widget") && page.contains("70.00%"));
        let zh = client.get(app.url(&format!("/origin/certificates/{code}?lang=zh-HK"))).send().await.unwrap().text().await.unwrap();
        assert!(zh.contains("原產地證書"));
        let res = client.get(app.url("/api/v1/origin/certificates/HK-AAAA-BBBB-CCCC")).send().await.unwrap();
        api_error(res, StatusCode::NOT_FOUND).await;
        let audit = app.store.audit_log(20).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "origin_certificate.issue" && e.entity_id == code));
    }
}

#[tokio::test]
async fn the_origin_page_checks_the_example_and_a_signed_in_user_issues_a_certificate() {
    let app = spawn_app(Db::Sqlite).await;
    app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise)
        .await;
    let browser = app.browser_like_client();
    app.sign_in(&browser, "ann@acme.example", PASSWORD).await;
    let page = app.page_text(&browser, "/origin").await;
    let csrf = hidden_csrf(&page);
    let result = browser
        .post(app.url("/origin/check"))
        .form(&[
            ("product_toml", origin::EXAMPLE_PRODUCT_TOML),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(result.status(), StatusCode::OK);
    let result = result.text().await.unwrap();
    assert!(result.contains("60.97%"), "hand-computed 750 / 1,230");
    assert!(result.contains("id=\"issue-certificate\""));
    let issued = browser
        .post(app.url("/origin/certificates"))
        .form(&[
            ("product_toml", origin::EXAMPLE_PRODUCT_TOML),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::SEE_OTHER);
    let location = issued.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/origin/certificates/HK-"));
    let certificate = reqwest::get(app.url(&location))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(certificate.contains("Smart battery pack"));

    // A malformed file comes back to the form with its line.
    let bad = browser
        .post(app.url("/origin/check"))
        .form(&[("product_toml", "name = \"x\"\nclass = \"industrial\"\n[[material]]\ncode = \"a\"\nitem = \"A\"\ncost = \"-1\"\norigin = \"HK\"\n"), ("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("line 6") && bad.contains("negative"), "{bad}");
}

#[tokio::test]
async fn a_bad_product_on_the_page_is_explained_in_the_readers_language() {
    let app = spawn_app(Db::Sqlite).await;
    let client = app.browser_like_client();
    let negative =
        origin::EXAMPLE_PRODUCT_TOML.replacen("cost = \"420.00\"", "cost = \"-420.00\"", 1);
    let unknown_class =
        origin::EXAMPLE_PRODUCT_TOML.replacen("class = \"industrial\"", "class = \"jewellery\"", 1);
    let cases = [
        (
            "zh-HK",
            &negative,
            "第 10 行，欄位「cost」：「-420.00」不可為負數",
        ),
        (
            "en",
            &negative,
            "line 10: field `cost`: &#34;-420.00&#34; must not be negative",
        ),
        ("zh-HK", &unknown_class, "未知的產品類別「jewellery」"),
    ];
    for (lang, product, expected) in cases {
        let page = app
            .page_text(&client, &format!("/origin?lang={lang}"))
            .await;
        let csrf = hidden_csrf(&page);
        let res = client
            .post(app.url("/origin/check"))
            .form(&[("product_toml", product.as_str()), ("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let html = res.text().await.unwrap();
        let error = html
            .split("id=\"form-error\">")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .expect("the form shows the error");
        assert!(error.contains(expected), "{lang}: {error}");
    }
}
