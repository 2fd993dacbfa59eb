//! End-to-end stories in a real headless Chromium: the home page, signing in and switching the
//! language; a planning job; an administrator adding an officer, in Chinese.

use fantoccini::Locator;

use crate::helpers::{spawn_app, Db, PASSWORD};

/// Types into the element with this id.
async fn type_into(c: &fantoccini::Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Clicks the element with this id.
async fn click(c: &fantoccini::Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of the element with this id, once it is on the page.
async fn text_when_shown(c: &fantoccini::Client, id: &str) -> String {
    c.wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Fills in and submits the sign-in form the browser is on, with [`PASSWORD`].
async fn submit_sign_in(c: &fantoccini::Client, email: &str) {
    submit_sign_in_with(c, email, PASSWORD).await;
}

async fn submit_sign_in_with(c: &fantoccini::Client, email: &str, password: &str) {
    type_into(c, "email", email).await;
    type_into(c, "password", password).await;
    click(c, "sign-in-submit").await;
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
    let title = text_when_shown(c, "home-title").await;
    assert_eq!(title, "Made by Hong Kong, measured and connected");
    click(c, "sign-in-link").await;
    submit_sign_in(c, "ann@acme.example").await;

    // Assert: signed in, on the home page.
    let who = text_when_shown(c, "who").await;
    assert_eq!(who, "ann");

    // Act: switch the language; the choice sticks on the next page.
    click(c, "lang-switch").await;
    let title = text_when_shown(c, "home-title").await;
    assert_eq!(title, "港製：可量度，可連繫");
    c.goto(&app.url("/reference")).await.unwrap();
    let heading = text_when_shown(c, "reference-title").await;
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
    type_into(c, "plan-scenarios", "us-tariff-shock").await;
    click(c, "plan-submit").await;

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
    let status = text_when_shown(c, "plan-status").await;
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
    let heading = text_when_shown(c, "admin-title").await;
    assert_eq!(heading, "用戶及計劃主任");
    for (id, text) in [
        ("new-email", "olive@itc.example"),
        ("new-name", "Olive"),
        ("new-org-en", "Innovation and Technology Commission"),
        ("new-org-zh", "創新科技署"),
    ] {
        type_into(c, id, text).await;
    }
    for (id, code) in [("new-role", "officer"), ("new-org-kind", "government")] {
        c.find(Locator::Id(id))
            .await
            .unwrap()
            .select_by_value(code)
            .await
            .unwrap();
    }
    click(c, "add-user-submit").await;

    // Assert: the one-time password is shown and the officer is listed, in Chinese.
    let password = text_when_shown(c, "one-time-password").await;
    let users = text_when_shown(c, "users").await;
    assert!(
        users.contains("olive@itc.example")
            && users.contains("計劃主任")
            && users.contains("創新科技署"),
        "{users}"
    );

    // Act: sign out; the officer signs in with the one-time password.
    click(c, "sign-out").await;
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
