//! One end-to-end story in a real headless Chromium: the home page, signing in, and switching
//! the language.

use fantoccini::Locator;

use crate::helpers::{spawn_app, Db, PASSWORD};

/// Fills in and submits the sign-in form the browser is on.
async fn submit_sign_in(c: &fantoccini::Client, email: &str) {
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Id("sign-in-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_visitor_signs_in_and_switches_to_chinese_in_a_real_browser() {
    // Arrange
    let app = spawn_app(Db::Sqlite).await;
    app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise)
        .await;
    let browser = testkit::TestBrowser::start().await;
    let c = browser.client();

    // Act: open the home page and sign in through the form.
    c.goto(&app.url("/")).await.unwrap();
    let title = c
        .find(Locator::Id("home-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, "Made by Hong Kong, measured and connected");
    c.find(Locator::Id("sign-in-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit_sign_in(c, "ann@acme.example").await;

    // Assert: signed in, on the home page.
    let who = c
        .wait()
        .for_element(Locator::Id("who"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(who, "ann");

    // Act: switch the language; the choice sticks on the next page.
    c.find(Locator::Id("lang-switch"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = c
        .wait()
        .for_element(Locator::Id("home-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(title, "港製：可量度，可連繫");
    c.goto(&app.url("/reference")).await.unwrap();
    let heading = c
        .find(Locator::Id("reference-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "參考數據");
    let lang = c
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("zh-HK"));

    browser.close().await;
}

#[tokio::test]
async fn a_planner_runs_the_example_in_the_background_and_sees_the_tariff_shock_in_a_real_browser()
{
    // Arrange
    let app = spawn_app(Db::Sqlite).await;
    app.add_member("Acme", "ann@acme.example", vocab::Role::Enterprise)
        .await;
    let browser = testkit::TestBrowser::start().await;
    let c = browser.client();
    c.goto(&app.url("/sign-in")).await.unwrap();
    submit_sign_in(c, "ann@acme.example").await;
    c.wait().for_element(Locator::Id("who")).await.unwrap();

    // Act: open the planner, keep the example, ask for the tariff shock and run it.
    c.goto(&app.url("/plan")).await.unwrap();
    c.find(Locator::Id("plan-scenarios"))
        .await
        .unwrap()
        .send_keys("us-tariff-shock")
        .await
        .unwrap();
    c.find(Locator::Id("plan-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Assert: the job page refreshes itself until the comparison is there.
    let comparison = c
        .wait()
        .at_most(std::time::Duration::from_secs(120))
        .for_element(Locator::Id("plan-comparison"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        comparison.contains("Tariff on Mainland-origin goods into the US up 25 percentage points"),
        "{comparison}"
    );
    let status = c
        .find(Locator::Id("plan-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "Done");
    let flows = c
        .find_all(Locator::Css("#base-map line.flow"))
        .await
        .unwrap();
    assert!(!flows.is_empty(), "the footprint map draws the flows");

    browser.close().await;
}
