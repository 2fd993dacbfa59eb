//! End-to-end stories in a real headless Chromium: the home page, signing in and switching the
//! language; a planning job; an administrator adding an officer, in Chinese.

use fantoccini::Locator;

use crate::helpers::{spawn_app, Db, PASSWORD};

/// Fills in and submits the sign-in form the browser is on, with [`PASSWORD`].
async fn submit_sign_in(c: &fantoccini::Client, email: &str) {
    submit_sign_in_with(c, email, PASSWORD).await;
}

async fn submit_sign_in_with(c: &fantoccini::Client, email: &str, password: &str) {
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(password)
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

#[tokio::test]
async fn an_administrator_adds_an_officer_who_signs_in_with_the_one_time_password_in_a_real_browser(
) {
    // Arrange
    let app = spawn_app(Db::Sqlite).await;
    app.add_user("root@madeby.example", vocab::Role::Admin, None)
        .await;
    let browser = testkit::TestBrowser::start().await;
    let c = browser.client();
    c.goto(&app.url("/sign-in?lang=zh-HK")).await.unwrap();
    submit_sign_in(c, "root@madeby.example").await;

    // Act: open the users page from the menu and add an officer of a new organisation.
    c.wait()
        .for_element(Locator::Id("nav-admin"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = c
        .wait()
        .for_element(Locator::Id("admin-title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "用戶及計劃主任");
    for (id, text) in [
        ("new-email", "olive@itc.example"),
        ("new-name", "Olive"),
        ("new-org-en", "Innovation and Technology Commission"),
        ("new-org-zh", "創新科技署"),
    ] {
        c.find(Locator::Id(id))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }
    for (id, code) in [("new-role", "officer"), ("new-org-kind", "government")] {
        c.find(Locator::Id(id))
            .await
            .unwrap()
            .select_by_value(code)
            .await
            .unwrap();
    }
    c.find(Locator::Id("add-user-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Assert: the one-time password is shown and the officer is listed, in Chinese.
    let password = c
        .wait()
        .for_element(Locator::Id("one-time-password"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let users = c
        .find(Locator::Id("users"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        users.contains("olive@itc.example")
            && users.contains("計劃主任")
            && users.contains("創新科技署"),
        "{users}"
    );

    // Act: sign out; the officer signs in with the one-time password.
    c.find(Locator::Id("sign-out"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("sign-in-link"))
        .await
        .unwrap();
    c.goto(&app.url("/sign-in")).await.unwrap();
    submit_sign_in_with(c, "olive@itc.example", &password).await;

    // Assert: she is asked to choose her own password first.
    c.wait()
        .for_element(Locator::Id("change-password-notice"))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/account/password");

    browser.close().await;
}
