//! Integration tests for testkit: the shared PostgreSQL server hands out working, separate
//! databases, and the headless browser renders a page.

use sqlx::{Connection, PgConnection};

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url)
        .await
        .unwrap_or_else(|err| panic!("cannot connect to {url}: {err}"))
}

#[tokio::test]
async fn fresh_databases_accept_queries() {
    // Arrange
    let pg = testkit::TestPostgres::shared();
    let urls = [pg.fresh_database(), pg.fresh_database()];

    for url in &urls {
        // Act
        let mut conn = connect(url).await;
        let one: i32 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();

        // Assert
        assert_eq!(one, 1);
        assert!(
            url.starts_with(&format!("postgres://madeby@127.0.0.1:{}/", pg.port())),
            "{url}"
        );
    }
}

#[tokio::test]
async fn two_fresh_databases_are_distinct() {
    // Arrange
    let pg = testkit::TestPostgres::shared();
    let first_url = pg.fresh_database();
    let second_url = pg.fresh_database();
    let mut first = connect(&first_url).await;
    let mut second = connect(&second_url).await;

    // Act
    sqlx::query("CREATE TABLE only_in_first (id int)")
        .execute(&mut first)
        .await
        .unwrap();
    let first_name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut first)
        .await
        .unwrap();
    let second_name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut second)
        .await
        .unwrap();
    let tables_in_second: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'only_in_first'",
    )
    .fetch_one(&mut second)
    .await
    .unwrap();

    // Assert
    assert_ne!(first_url, second_url);
    assert_ne!(first_name, second_name);
    assert!(
        first_url.ends_with(&format!("/{first_name}")),
        "{first_url}"
    );
    assert_eq!(tables_in_second, 0);
}

#[tokio::test]
async fn the_admin_url_reaches_the_same_server() {
    // Arrange
    let pg = testkit::TestPostgres::shared();
    let url = pg.fresh_database();
    let name = url.rsplit('/').next().unwrap().to_owned();

    // Act
    let mut admin = connect(&pg.admin_url()).await;
    let found: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();

    // Assert
    assert!(
        found,
        "{name} is not on the server behind {}",
        pg.admin_url()
    );
}

#[tokio::test]
async fn the_browser_reads_a_heading() {
    // Arrange
    let browser = testkit::TestBrowser::start().await;

    // Act
    browser
        .client()
        .goto("data:text/html,<h1>hi</h1>")
        .await
        .unwrap();
    let heading = browser
        .client()
        .find(fantoccini::Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    browser.close().await;

    // Assert
    assert_eq!(heading, "hi");
}

#[test]
fn free_port_never_returns_a_port_someone_listens_on() {
    // Arrange
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let taken = listener.local_addr().unwrap().port();

    // Act
    let ports: Vec<u16> = (0..50).map(|_| testkit::free_port()).collect();

    // Assert
    // (Binding a returned port here would be flaky: tests on other threads open connections,
    // and the kernel may reuse the port as their source port in the meantime.)
    assert!(
        ports.iter().all(|&port| port != 0 && port != taken),
        "{ports:?}"
    );
}
