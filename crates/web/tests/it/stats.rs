//! Industry statistics over the API and on the page: the study's figures with their trace, and
//! registry tables from an upload.

use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{api_error, spawn_app, Db};

#[tokio::test]
async fn contribution_gives_the_published_figures_with_their_trace() {
    let app = spawn_app(Db::Sqlite).await;
    let body: Value = reqwest::get(app.url("/api/v1/stats/contribution?year=2023"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let figure = |component: &str, subgroup: Option<&str>| {
        body["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["component"] == component && f["subgroup"].as_str() == subgroup)
            .unwrap_or_else(|| panic!("no {component}/{subgroup:?} in {body}"))
            .clone()
    };
    for (component, bn, share) in [
        ("total", "127.1", "4.4"),
        ("manufacturing", "28.2", "1.0"),
        ("publishing_packaging", "5.3", "0.2"),
        ("subcontract_processing", "53.4", "1.8"),
        ("new_industries", "40.2", "1.4"),
        ("producer_services", "473.5", "16.2"),
    ] {
        let f = figure(component, None);
        assert_eq!(
            (f["value_hkd_bn"].as_str(), f["share_pct"].as_str()),
            (Some(bn), Some(share)),
            "{component}"
        );
        assert!(
            !f["trace"].as_array().unwrap().is_empty(),
            "{component} has a trace"
        );
    }
    let sewerage = figure("new_industries", Some("sewerage_waste"));
    assert_eq!(sewerage["memo"], true);
    assert_eq!(sewerage["value_hkd_bn"], "1.4");
    assert_eq!(body["gdp_source"]["kind"], "indicative");

    let old: Value = reqwest::get(app.url("/api/v1/stats/contribution?year=2000"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ps = old["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["component"] == "producer_services")
        .unwrap();
    assert_eq!(ps["value_hkd_bn"], "230");
    assert!(ps["share_pct"].is_null(), "no GDP for 2000, so no share");

    let res = reqwest::get(app.url("/api/v1/stats/contribution?year=1999"))
        .await
        .unwrap();
    let (_, message) = api_error(res, StatusCode::BAD_REQUEST).await;
    assert!(
        message.contains("2000") && message.contains("2023"),
        "{message}"
    );
    let res = reqwest::get(app.url("/api/v1/stats/contribution?year=soon"))
        .await
        .unwrap();
    assert_eq!(res.status().as_u16() / 100, 4);
}

#[tokio::test]
async fn an_uploaded_registry_gives_the_studys_tables_and_bad_rows_are_named() {
    let app = spawn_app(Db::Sqlite).await;
    let mut csv = Vec::new();
    registry::write_synthetic(&mut csv, registry::PUBLISHED_TOTAL, 1).unwrap();
    let client = Client::new();
    let res = client
        .post(app.url("/api/v1/stats/registry?by=province,city,sector&top=4"))
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["total_operating"], 68_314);
    let table = |dimension: &str| -> Vec<(String, u64)> {
        body["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["dimension"] == dimension)
            .unwrap()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["key"].as_str().unwrap().to_owned(),
                    r["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        table("province"),
        vec![
            ("cn-gd".into(), 30_971),
            ("cn-js".into(), 9_557),
            ("cn-fj".into(), 6_913),
            ("cn-zj".into(), 5_300)
        ]
    );
    assert_eq!(table("city")[0], ("cn-gd-shenzhen".into(), 6_862));
    assert_eq!(table("sector")[0], ("C39".into(), 9_177));

    // One bad row refuses the file, naming its line; with skip_bad_rows it is listed instead.
    let mut text = String::from_utf8(csv).unwrap();
    let third_line_start = text.match_indices('\n').nth(2).unwrap().0 + 1;
    text.insert_str(
        third_line_start,
        "bad-1,Broken Ltd,cn-gd,cn-gd-shenzhen,C99,operating,2001,,\n",
    );
    let res = client
        .post(app.url("/api/v1/stats/registry"))
        .body(text.clone())
        .send()
        .await
        .unwrap();
    let (code, message) = api_error(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "invalid_registry");
    assert!(
        message.contains("line 4") && message.contains("sector"),
        "{message}"
    );
    let body: Value = client
        .post(app.url("/api/v1/stats/registry?skip_bad_rows=true"))
        .body(text)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["total_operating"], 68_314);
    assert_eq!(body["rejected"][0]["line"], 4);
    let res = client
        .post(app.url("/api/v1/stats/registry?by=planet"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert!(api_error(res, StatusCode::BAD_REQUEST)
        .await
        .1
        .contains("province"));
}

#[tokio::test]
async fn the_stats_page_shows_the_figures_and_charts_in_both_languages() {
    let app = spawn_app(Db::Sqlite).await;
    let en = reqwest::get(app.url("/stats"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("HK$127.1bn") && en.contains("4.4%") && en.contains("HK$473.5bn"));
    assert!(en.contains("<svg id=\"component-chart\"") && en.contains("role=\"img\""));
    assert!(
        en.contains("Sub-contract Processing: HK$53.4bn (1.8%)"),
        "the chart's text alternative lists the values"
    );
    assert!(en.contains("30971"));
    let zh = reqwest::get(app.url("/stats?lang=zh-HK"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zh.contains("工業統計") && zh.contains("1271億港元") && zh.contains("廣東"));
}

#[tokio::test]
async fn the_report_renders_in_both_languages_in_a_real_browser() {
    // Arrange
    let app = spawn_app(Db::Sqlite).await;
    let browser = testkit::TestBrowser::start().await;
    let c = browser.client();
    for (lang, title, figure) in [
        (
            "en",
            "Made by Hong Kong: industry's contribution, 2023",
            "HK$127.1bn",
        ),
        ("zh-HK", "港製：工業的貢獻（2023年）", "1271億港元"),
    ] {
        // Act
        c.goto(&app.url(&format!("/stats/report?lang={lang}")))
            .await
            .unwrap();
        // Assert: the page rendered (title, tables, charts) and a screenshot is a real image.
        let heading = c
            .find(fantoccini::Locator::Id("report-title"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(heading, title);
        let table = c
            .find(fantoccini::Locator::Id("contribution-2023"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(table.contains(figure), "{table}");
        let charts = c
            .find_all(fantoccini::Locator::Css("svg[role=img]"))
            .await
            .unwrap();
        assert_eq!(charts.len(), 4, "component, series, map and sector charts");
        let png = c.screenshot().await.unwrap();
        assert!(
            png.len() > 10_000 && png.starts_with(b"\x89PNG"),
            "{lang}: {} bytes",
            png.len()
        );
        let csv = c
            .find(fantoccini::Locator::Css(
                "a[download='contribution-2023.csv']",
            ))
            .await
            .unwrap();
        let href = csv.attr("href").await.unwrap().unwrap();
        assert!(href.starts_with("data:text/csv"));
    }
    browser.close().await;
}

#[test]
fn the_report_file_is_self_contained() {
    let data = refdata::ReferenceData::embedded().unwrap();
    let html = web::report::industry_report(web::i18n::Lang::ZhHk, &data).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<html lang=\"zh-HK\">"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"/"),
        "no external or site-relative resources"
    );
    assert!(
        html.contains("registry-province.csv") && html.contains("%E5%BB%A3%E6%9D%B1"),
        "CSV of the province table, with 廣東"
    );
}

#[tokio::test]
async fn the_published_figures_are_checked_for_consistency_and_sample_sizes() {
    let app = spawn_app(Db::Sqlite).await;
    let report: Value = reqwest::get(app.url("/api/v1/stats/consistency"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["all_consistent"], true);
    assert_eq!(report["figures"].as_array().unwrap().len(), 6);
    // 473.5 / 16.25% and 127.1 / 4.35%... bound the GDP: about HK$2,913.8bn to HK$2,921.8bn.
    assert_eq!(
        report["implied_gdp"]["lower"]["cents"],
        291_384_615_384_615_i64
    );
    assert_eq!(
        report["implied_gdp"]["upper"]["cents"],
        292_183_908_045_978_i64
    );
    let page = reqwest::get(app.url("/stats"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("all 6 published values"), "{page}");

    let sizes: Value =
        reqwest::get(app.url("/api/v1/stats/sample-sizes?percentages=67.3,63.6,36.4&max=120"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(sizes["sample_sizes"], serde_json::json!([55, 107, 110]));
    let res = reqwest::get(app.url("/api/v1/stats/sample-sizes?percentages=abc"))
        .await
        .unwrap();
    api_error(res, StatusCode::BAD_REQUEST).await;
    let res = reqwest::get(app.url("/api/v1/stats/sample-sizes?percentages=50&max=0"))
        .await
        .unwrap();
    api_error(res, StatusCode::BAD_REQUEST).await;
}

/// A hand-worked version: three lines, one split with a partial weight.
/// Manufacturing 10.0; information and communications 100.0 of which 0.142 to New Industries
/// (computing and data) = 14.2 and 0.5 to producer services = 50.0; GDP 1,000.
/// Industry = 10.0 + 14.2 = 24.2 (2.4% of GDP); producer services 50.0 (5.0%).
fn hand_worked_version(weight: &str) -> Value {
    serde_json::json!({
        "label": "Hand-worked test tables",
        "lines_csv": "code,name_en,name_zh,parent,source\nman,Manufacturing,製造業,,synthetic\nict,Information and communications,資訊及通訊,,synthetic\n",
        "values_csv": "line,year,value_hkd_bn,source\nman,2030,10.0,synthetic\nict,2030,100.0,synthetic\n",
        "gdp_csv": "year,value_hkd_bn,source\n2030,1000,synthetic\n",
        "concordance_csv": format!("line,component,subgroup,weight\nman,manufacturing,,1\nict,new_industries,computing_data,{weight}\nict,producer_services,,0.5\n"),
    })
}

both_backends! {
    async fn an_analyst_uploads_a_new_version_and_earlier_versions_stay_viewable(db) {
    // Arrange
    let app = spawn_app(db).await;
    app.add_member("Statistics Unit", "ana@stats.example", vocab::Role::Analyst).await;
    app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise).await;
    let analyst = app.token("ana@stats.example").await;
    let enterprise = app.token("ann@acme.example").await;
    let client = Client::new();
    let upload = |token: &str, body: Value| client.post(app.url("/api/v1/stats/versions")).bearer_auth(token).json(&body).send();

    // Act and Assert: only analysts may upload, and bad tables are refused with file and line.
    let res = upload(&enterprise, hand_worked_version("0.142")).await.unwrap();
    api_error(res, StatusCode::FORBIDDEN).await;
    let res = upload(&analyst, hand_worked_version("0.6")).await.unwrap();
    let (code, message) = api_error(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "invalid_tables");
    assert!(message.contains("concordance.csv") && message.contains("ict"), "{message}");
    let res = upload(&analyst, hand_worked_version("0.142")).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let version = res.json::<Value>().await.unwrap()["version"].as_i64().unwrap();

    let figures: Value = client.get(app.url(&format!("/api/v1/stats/contribution?version={version}"))).send().await.unwrap().json().await.unwrap();
    let find = |component: &str, subgroup: Option<&str>| {
        figures["figures"].as_array().unwrap().iter()
            .find(|f| f["component"] == component && f["subgroup"].as_str() == subgroup).unwrap().clone()
    };
    assert_eq!(find("total", None)["value_hkd_bn"], "24.2");
    assert_eq!(find("total", None)["share_pct"], "2.4");
    assert_eq!(find("new_industries", Some("computing_data"))["value_hkd_bn"], "14.2");
    assert_eq!(find("producer_services", None)["value_hkd_bn"], "50");
    assert_eq!(find("producer_services", None)["share_pct"], "5.0");

    // The study's version is untouched, and both are listed.
    let study: Value = client.get(app.url("/api/v1/stats/contribution?version=0&year=2023")).send().await.unwrap().json().await.unwrap();
    assert_eq!(study["figures"][0]["value_hkd_bn"], "127.1");
    let versions: Value = client.get(app.url("/api/v1/stats/versions")).send().await.unwrap().json().await.unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[1]["uploaded_by"], "ana@stats.example");
    let page = client.get(app.url(&format!("/stats?version={version}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Hand-worked test tables") && page.contains("HK$24.2bn"));
    let res = client.get(app.url("/api/v1/stats/contribution?version=99")).send().await.unwrap();
    api_error(res, StatusCode::NOT_FOUND).await;
}
}

both_backends! {
    /// The page keeps what it formats from the reference tables; a new load (here straight into
    /// the database, as `madeby data load` on another instance would) must still reach it.
    async fn a_new_reference_load_reaches_the_stats_page(db) {
        let app = spawn_app(db).await;
        let page = || async { reqwest::get(app.url("/stats")).await.unwrap().text().await.unwrap() };
        const NEW_COUNT: u32 = 98_765;
        let before = page().await;
        assert!(!before.contains(&NEW_COUNT.to_string()), "the count is already on the page");

        let mut data = refdata::ReferenceData::embedded().unwrap();
        let province = data
            .registry
            .iter_mut()
            .find(|r| r.dimension.code() == "province")
            .expect("a province row in the shipped registry");
        province.enterprises = NEW_COUNT;
        let ctx = store::AuditContext { actor: store::Actor::System, request_id: "test".into() };
        app.store.load_reference(&ctx, &data, "test").await.unwrap();

        let started = std::time::Instant::now();
        loop {
            if page().await.contains(&NEW_COUNT.to_string()) {
                break;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "the page never showed the new load");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
