//! The append-only audit log: who did what, when, to which record. The tables' triggers refuse
//! updates and deletes, so a row once written stays.

use sqlx::{AnyConnection, Row};
use vocab::UserId;

use crate::{Store, StoreError, Timestamp};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user or an API token's owner.
    User {
        /// The user.
        id: UserId,
        /// The user's email, kept so the log reads well after the user is gone.
        email: String,
    },
    /// Someone not signed in (a failed sign-in, say), identified by what they typed.
    Anonymous {
        /// What identifies the attempt (the email typed, for a sign-in).
        label: String,
    },
    /// The command line, run by whoever has the machine.
    CommandLine,
    /// The platform itself (first start, say).
    System,
}

impl Actor {
    fn columns(&self) -> (Option<i64>, String) {
        match self {
            Actor::User { id, email } => (Some(id.get()), email.clone()),
            Actor::Anonymous { label } => (None, format!("anonymous:{label}")),
            Actor::CommandLine => (None, "command-line".to_owned()),
            Actor::System => (None, "system".to_owned()),
        }
    }
}

/// One line to append to the audit log.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// Who.
    pub actor: Actor,
    /// What, as a dotted verb: `user.create`, `session.sign_in`, `project.update`.
    pub action: &'static str,
    /// The kind of record touched: `user`, `project`, `reference_data`.
    pub entity: &'static str,
    /// Which record.
    pub entity_id: String,
    /// The change itself (new values, or the reason for a refusal). Never a secret.
    pub detail: serde_json::Value,
    /// The request that caused it, when there was one.
    pub request_id: String,
}

/// Who is making a change and in which request: every write method takes one, and writes its
/// audit line in the same transaction as the change.
#[derive(Debug, Clone)]
pub struct AuditContext {
    /// Who.
    pub actor: Actor,
    /// The request id, or a label such as `cli` when there is no request.
    pub request_id: String,
}

impl AuditContext {
    /// An audit entry for an action by this context.
    pub fn entry(
        &self,
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            actor: self.actor.clone(),
            action,
            entity,
            entity_id: entity_id.to_string(),
            detail,
            request_id: self.request_id.clone(),
        }
    }
}

/// One line read back from the audit log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub id: i64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who, as stored.
    pub actor: String,
    /// What.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: String,
    /// The change (JSON text).
    pub detail: String,
    /// The request id.
    pub request_id: String,
}

pub(crate) async fn append(conn: &mut AnyConnection, entry: &AuditEntry) -> Result<(), StoreError> {
    let (actor_user_id, actor) = entry.actor.columns();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor, action, entity, entity_id, detail, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Timestamp::now().to_text())
    .bind(actor_user_id)
    .bind(actor)
    .bind(entry.action)
    .bind(entry.entity)
    .bind(&entry.entity_id)
    .bind(entry.detail.to_string())
    .bind(&entry.request_id)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Appends one entry on its own (for events that change nothing else, like a sign-in).
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        append(&mut conn, entry).await
    }

    /// The latest entries, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, entity, entity_id, detail, request_id \
             FROM audit_log ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRecord {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    detail: r.try_get("detail")?,
                    request_id: r.try_get("request_id")?,
                })
            })
            .collect()
    }
}
