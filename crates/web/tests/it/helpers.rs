//! `spawn_app`: a fresh database (SQLite file or PostgreSQL database), migrated and loaded with
//! the reference data, and the real server on 127.0.0.1:0; plus typed request helpers.

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use store::{Actor, AuditContext, DatabaseUrl, NewUser, Store};
use vocab::{BilingualText, DisplayName, EmailAddress, OrgId, OrgKind, Role};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub const PASSWORD: &str = "a long enough password 123";

pub async fn spawn_app(db: Db) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match db {
        Db::Sqlite => DatabaseUrl::sqlite_in(dir.path()),
        Db::Postgres => {
            DatabaseUrl::parse(&testkit::TestPostgres::shared().fresh_database()).expect("pg url")
        }
    };
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let data = refdata::ReferenceData::embedded().expect("embedded reference data");
    let ctx = AuditContext {
        actor: Actor::System,
        request_id: "test".into(),
    };
    store
        .load_reference(&ctx, &data, "embedded")
        .await
        .expect("load reference");
    let state = web::AppState::new(store.clone(), web::WebConfig::local()).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(web::serve(listener, state, std::future::pending()));
    TestApp {
        base,
        store,
        _dir: dir,
    }
}

impl TestApp {
    /// A client that keeps cookies and does not follow redirects (so tests see them).
    pub fn browser_like_client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an organisation and a user of it with [`PASSWORD`]; returns the org id.
    pub async fn add_member(&self, org_name: &str, email: &str, role: Role) -> OrgId {
        let ctx = AuditContext {
            actor: Actor::System,
            request_id: "test".into(),
        };
        let org = self
            .store
            .create_organisation(
                &ctx,
                OrgKind::Enterprise,
                &BilingualText::new(org_name, format!("{org_name}（中）")).unwrap(),
            )
            .await
            .unwrap();
        self.add_user(email, role, Some(org)).await;
        org
    }

    pub async fn add_user(&self, email: &str, role: Role, org: Option<OrgId>) {
        let ctx = AuditContext {
            actor: Actor::System,
            request_id: "test".into(),
        };
        let hash =
            auth::hash_password(&auth::NewPassword::parse(PASSWORD.into()).unwrap()).unwrap();
        let user = NewUser {
            email: EmailAddress::parse(email).unwrap(),
            display_name: DisplayName::parse(email.split('@').next().unwrap()).unwrap(),
            role,
            org,
            password_hash: hash,
            must_change_password: false,
        };
        self.store.create_user(&ctx, &user).await.unwrap();
    }

    /// An API token for a user, through the API itself.
    pub async fn token(&self, email: &str) -> String {
        let res = Client::new()
            .post(self.url("/api/v1/tokens"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD, "name": "tests"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "token for {email}");
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The body of a page fetched with `client`, whatever its status.
    pub async fn page_text(&self, client: &Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Signs a browser-like client in through the sign-in form.
    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        let page = self.page_text(client, "/sign-in").await;
        let csrf = hidden_csrf(&page);
        client
            .post(self.url("/sign-in"))
            .form(&[("email", email), ("password", password), ("csrf", &csrf)])
            .send()
            .await
            .unwrap()
    }
}

/// The value of the first hidden `csrf` field of a page.
pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a csrf field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Asserts the API error shape and returns (code, message).
pub async fn api_error(res: Response, status: StatusCode) -> (String, String) {
    assert_eq!(res.status(), status, "status");
    let body: Value = res.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_owned();
    assert!(!message.is_empty());
    (code, message)
}

/// Runs one async test body against both backends, as two tests.
#[macro_export]
macro_rules! both_backends {
    ($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn story($db: $crate::helpers::Db) $body
            #[tokio::test]
            async fn on_sqlite() { story($crate::helpers::Db::Sqlite).await }
            #[tokio::test]
            async fn on_postgres() { story($crate::helpers::Db::Postgres).await }
        }
    };
}
