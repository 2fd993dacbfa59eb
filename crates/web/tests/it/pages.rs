//! Server-rendered pages: both languages, the remembered choice, the reference-data page,
//! security headers.

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::spawn_app;

both_backends! {
    async fn home_page_explains_the_platform_in_both_languages_and_remembers_the_choice(db) {
        let app = spawn_app(db).await;
        let browser = app.browser_like_client();
        let en = browser.get(app.url("/")).send().await.unwrap();
        assert_eq!(en.status(), StatusCode::OK);
        let csp = en.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(en.headers()["x-content-type-options"], "nosniff");
        assert!(en.headers().contains_key("x-request-id"), "every response carries its request id");
        let en = en.text().await.unwrap();
        assert!(en.contains("<html lang=\"en\">"));
        assert!(en.contains("Industry statistics and thematic reports"));
        assert!(en.contains("href=\"/?lang=zh-HK\""));

        let zh = browser.get(app.url("/?lang=zh-HK")).send().await.unwrap().text().await.unwrap();
        assert!(zh.contains("<html lang=\"zh-HK\">"));
        assert!(zh.contains("工業統計及專題報告"));
        // The choice is remembered by cookie: the next page without ?lang is in Chinese too.
        let next = browser.get(app.url("/reference")).send().await.unwrap().text().await.unwrap();
        assert!(next.contains("<html lang=\"zh-HK\">") && next.contains("參考數據"));
        // Accept-Language is honoured for a new visitor.
        let fresh = reqwest::Client::new().get(app.url("/")).header("accept-language", "zh-HK,zh;q=0.9").send().await.unwrap();
        assert!(fresh.text().await.unwrap().contains("<html lang=\"zh-HK\">"));
    }
}

both_backends! {
    async fn reference_page_lists_every_dataset_with_rows_and_sources(db) {
        let app = spawn_app(db).await;
        let page = reqwest::get(app.url("/reference")).await.unwrap().text().await.unwrap();
        for dataset in refdata::Dataset::ALL {
            assert!(page.contains(&format!("id=\"dataset-{}\"", dataset.code())), "{} missing", dataset.code());
            assert!(page.contains(dataset.file_name()));
        }
        assert!(page.contains("Made by Hong Kong: Strategies for New Industrialisation"));
        assert!(page.contains("HK$127.1bn") && page.contains("HK$473.5bn"));
        assert!(page.contains("68314"));
        assert!(page.contains("src-indicative"), "indicative values are labelled");
        let zh = reqwest::get(app.url("/reference?lang=zh-HK")).await.unwrap().text().await.unwrap();
        assert!(zh.contains("1271億港元"), "HK$127.1bn is written 1271億 in Chinese");
        assert!(zh.contains("傑平方半導體"));
    }
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page_in_the_visitors_language() {
    let app = spawn_app(crate::helpers::Db::Sqlite).await;
    let res = reqwest::get(app.url("/no/such/page?lang=zh-HK"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("找不到"));
}

#[tokio::test]
async fn every_page_and_api_answer_carries_the_security_headers() {
    // Arrange
    let app = spawn_app(crate::helpers::Db::Sqlite).await;
    app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise)
        .await;
    let visitor = app.browser_like_client();
    let member = app.browser_like_client();
    app.sign_in(&member, "ann@acme.example", crate::helpers::PASSWORD)
        .await;
    let paths = [
        "/",
        "/reference",
        "/sign-in",
        "/projects",
        "/origin",
        "/stats",
        "/stats/report",
        "/sites",
        "/sites/compare?a=hk-san-tin&b=cn-dongguan",
        "/plan",
        "/plan/999999",
        "/no-such-page",
        "/api/v1/locations",
        "/api/v1/no-such-route",
        "/api/openapi.json",
    ];

    for client in [&visitor, &member] {
        for path in paths {
            // Act
            let res = client.get(app.url(path)).send().await.unwrap();

            // Assert
            let headers = res.headers();
            let csp = headers
                .get("content-security-policy")
                .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"))
                .to_str()
                .unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'")
                    && (csp.contains("script-src 'self'") || csp.contains("default-src 'none'"))
                    && !csp.contains("unsafe-eval"),
                "{path}: {csp}"
            );
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        }
    }
}
