//! Organisations, users, sessions, API tokens and sign-in attempts.
//!
//! Secrets never arrive here in clear: passwords come as argon2 hashes and session and API
//! tokens as SHA-256 hashes, so a stolen database holds nothing that signs anyone in.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use vocab::{BilingualText, DisplayName, EmailAddress, OrgId, OrgKind, Role, UserId};

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Store, StoreError, Timestamp};

/// A user as the rest of the platform sees it (no password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    /// Id.
    pub id: UserId,
    /// Sign-in email.
    pub email: EmailAddress,
    /// Name shown on pages.
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// The organisation the user acts for (none for admins).
    pub org: Option<OrgId>,
    /// True until a generated one-time password has been replaced.
    pub must_change_password: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in email; must be unused.
    pub email: EmailAddress,
    /// Name shown on pages.
    pub display_name: DisplayName,
    /// Role.
    pub role: Role,
    /// Organisation; required for every role but admin.
    pub org: Option<OrgId>,
    /// argon2 PHC string.
    pub password_hash: String,
    /// Whether the password is a generated one-time password.
    pub must_change_password: bool,
}

/// A user as the administrators' list shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct UserListing {
    /// The user.
    pub user: UserRecord,
    /// Their organisation's name (none for admins).
    pub org_name: Option<BilingualText>,
    /// For an officer, the ids of the schemes they are assigned to.
    pub schemes: Vec<String>,
}

/// The SHA-256 hex digest of a session or API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken {
    /// Hex digest of the token.
    pub hash: String,
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct AuthenticatedSession {
    /// The user.
    pub user: UserRecord,
    /// The anti-forgery token that forms posted in this session must carry.
    pub csrf_token: String,
}

const USER_COLUMNS: &str =
    "u.id, u.email, u.display_name, u.role, u.org_id, u.must_change_password";

fn user_from_row(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let email: String = row.try_get("email")?;
    let display_name: String = row.try_get("display_name")?;
    let role: String = row.try_get("role")?;
    let org_id: Option<i64> = row.try_get("org_id")?;
    let must_change: i64 = row.try_get("must_change_password")?;
    Ok(UserRecord {
        id: UserId::new(row.try_get("id")?),
        email: EmailAddress::parse(&email).map_err(|e| corrupt("users.email", e))?,
        display_name: DisplayName::parse(&display_name)
            .map_err(|e| corrupt("users.display_name", e))?,
        role: Role::parse(&role).map_err(|e| corrupt("users.role", e))?,
        org: org_id.map(OrgId::new),
        must_change_password: must_change != 0,
    })
}

impl Store {
    /// Creates an organisation.
    pub async fn create_organisation(
        &self,
        ctx: &AuditContext,
        kind: OrgKind,
        name: &BilingualText,
    ) -> Result<OrgId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_organisation(&mut tx, ctx, kind, name).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Number of users.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Creates a user; a used email is a [`StoreError::Conflict`].
    pub async fn create_user(
        &self,
        ctx: &AuditContext,
        user: &NewUser,
    ) -> Result<UserId, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = insert_user(&mut tx, ctx, user).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates a user who joins the organisation of `org`'s English name, creating that
    /// organisation first when there is none, all in one transaction: a refused user (a used
    /// email, say) leaves no new organisation behind. `org` replaces `user.org`.
    pub async fn create_user_joining(
        &self,
        ctx: &AuditContext,
        user: &NewUser,
        org: &BilingualText,
        kind: OrgKind,
    ) -> Result<(UserId, OrgId), StoreError> {
        let mut tx = self.begin_write().await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM organisations WHERE name_en = $1")
                .bind(org.en())
                .fetch_optional(&mut *tx)
                .await?;
        let org = match existing {
            Some(id) => OrgId::new(id),
            None => insert_organisation(&mut tx, ctx, kind, org).await?,
        };
        let member = NewUser {
            org: Some(org),
            ..user.clone()
        };
        let id = insert_user(&mut tx, ctx, &member).await?;
        tx.commit().await?;
        Ok((id, org))
    }

    /// Every user with their organisation's name and, for officers, the schemes they are
    /// assigned to: the administrators' list, by email.
    pub async fn users(&self) -> Result<Vec<UserListing>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, o.name_en, o.name_zh FROM users u \
             LEFT JOIN organisations o ON o.id = u.org_id ORDER BY u.email"
        ))
        .fetch_all(&self.pool)
        .await?;
        let assignments: Vec<(String, i64)> =
            sqlx::query_as("SELECT scheme_id, user_id FROM scheme_officers ORDER BY scheme_id")
                .fetch_all(&self.pool)
                .await?;
        let mut schemes_of: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for (scheme, user) in assignments {
            schemes_of.entry(user).or_default().push(scheme);
        }
        rows.iter()
            .map(|row| {
                let user = user_from_row(row)?;
                let en: Option<String> = row.try_get("name_en")?;
                let zh: Option<String> = row.try_get("name_zh")?;
                let org_name = match (en, zh) {
                    (Some(en), Some(zh)) => Some(
                        BilingualText::new(en, zh).map_err(|e| corrupt("organisations.name", e))?,
                    ),
                    _ => None,
                };
                let schemes = schemes_of.remove(&user.id.get()).unwrap_or_default();
                Ok(UserListing {
                    user,
                    org_name,
                    schemes,
                })
            })
            .collect()
    }

    /// A user and their password hash, by email.
    pub async fn user_for_sign_in(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<(UserRecord, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some((user_from_row(&row)?, row.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> Result<UserRecord, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    /// Replaces a user's password and ends all their sessions.
    pub async fn set_password(
        &self,
        ctx: &AuditContext,
        user: UserId,
        password_hash: &str,
        must_change_password: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(user.get())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.get())
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &ctx.entry("user.set_password", "user", user, json!({})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a sign-in attempt, for rate limiting and the audit trail.
    pub async fn record_sign_in_attempt(
        &self,
        email: &str,
        client_ip: &str,
        succeeded: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_attempts (email, client_ip, succeeded, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(email)
        .bind(client_ip)
        .bind(i64::from(succeeded))
        .bind(Timestamp::now().to_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Failed sign-in attempts since an instant, for an email or from an address.
    pub async fn failed_sign_ins_since(
        &self,
        email: &str,
        client_ip: &str,
        since: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        let since = since.to_text();
        let by_email: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND succeeded = 0 AND at >= $2",
        )
        .bind(email)
        .bind(&since)
        .fetch_one(&self.pool)
        .await?;
        let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE client_ip = $1 AND succeeded = 0 AND at >= $2")
            .bind(client_ip)
            .bind(&since)
            .fetch_one(&self.pool)
            .await?;
        Ok((by_email, by_ip))
    }

    /// Starts a session (the caller has checked the password).
    pub async fn create_session(
        &self,
        user: UserId,
        token: &SessionToken,
        csrf_token: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&token.hash)
            .bind(user.get())
            .bind(csrf_token)
            .bind(Timestamp::now().to_text())
            .bind(expires.to_text())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The live session with this token, if any.
    pub async fn session(
        &self,
        token: &SessionToken,
    ) -> Result<Option<AuthenticatedSession>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(&token.hash)
        .bind(Timestamp::now().to_text())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(AuthenticatedSession {
                user: user_from_row(&row)?,
                csrf_token: row.try_get("csrf_token")?,
            })),
            None => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn delete_session(&self, token: &SessionToken) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token.hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Issues an API token for a user; returns its id.
    pub async fn create_api_token(
        &self,
        ctx: &AuditContext,
        user: UserId,
        name: &str,
        token: &SessionToken,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.get())
        .bind(name)
        .bind(&token.hash)
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            &ctx.entry(
                "api_token.create",
                "api_token",
                id,
                json!({"user": user.get(), "name": name}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The owner of a live API token.
    pub async fn user_for_api_token(
        &self,
        token: &SessionToken,
    ) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked = 0"
        ))
        .bind(&token.hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }
}

async fn insert_organisation(
    conn: &mut AnyConnection,
    ctx: &AuditContext,
    kind: OrgKind,
    name: &BilingualText,
) -> Result<OrgId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO organisations (kind, name_en, name_zh, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(kind.code())
    .bind(name.en())
    .bind(name.zh())
    .bind(Timestamp::now().to_text())
    .fetch_one(&mut *conn)
    .await?;
    let entry = ctx.entry(
        "organisation.create",
        "organisation",
        id,
        json!({"kind": kind.code(), "name_en": name.en(), "name_zh": name.zh()}),
    );
    append(conn, &entry).await?;
    Ok(OrgId::new(id))
}

async fn insert_user(
    conn: &mut AnyConnection,
    ctx: &AuditContext,
    user: &NewUser,
) -> Result<UserId, StoreError> {
    if user.role != Role::Admin && user.org.is_none() {
        return Err(StoreError::Conflict(format!(
            "a user with role {} must belong to an organisation",
            user.role.code()
        )));
    }
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(user.email.as_str())
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return Err(StoreError::Conflict(format!(
            "a user with email {} already exists",
            user.email.as_str()
        )));
    }
    if let Some(org) = user.org {
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE id = $1")
            .bind(org.get())
            .fetch_one(&mut *conn)
            .await?;
        if exists == 0 {
            return Err(StoreError::Conflict(format!(
                "organisation {org} does not exist"
            )));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, role, org_id, password_hash, must_change_password, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(user.role.code())
    .bind(user.org.map(OrgId::get))
    .bind(&user.password_hash)
    .bind(i64::from(user.must_change_password))
    .bind(Timestamp::now().to_text())
    .fetch_one(&mut *conn)
    .await?;
    let entry = ctx.entry(
        "user.create",
        "user",
        id,
        json!({"email": user.email.as_str(), "role": user.role.code(), "org": user.org.map(OrgId::get)}),
    );
    append(conn, &entry).await?;
    Ok(UserId::new(id))
}
