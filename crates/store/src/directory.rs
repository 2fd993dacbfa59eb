//! The directory: profiles of enterprises, investors, providers, sites and pilot projects, and
//! introductions between organisations.
//!
//! Profiles are public: the directory exists to be found. Each is owned by an organisation
//! (which alone edits it) or, for synthetic and imported entries, by none. Every write takes the
//! next value of one counter (`directory_revision`), so a search index can follow the table by
//! asking for everything after the last revision it has seen; deletions are tombstones for the
//! same reason.
//!
//! Introductions are private to the two organisations involved, officers and administrators.

use directory::{EntryId, Profile};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use vocab::OrgId;

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Access, Store, StoreError, Timestamp};

/// A stored directory entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectoryRecord {
    /// Id.
    pub id: EntryId,
    /// The owning organisation; `None` for synthetic and imported entries.
    pub org: Option<OrgId>,
    /// The profile.
    pub profile: Profile,
    /// The revision of its last write.
    pub revision: i64,
    /// Whether it was deleted (a tombstone, kept so indexes drop it).
    pub deleted: bool,
    /// Last changed (RFC 3339 UTC).
    pub updated_at: String,
}

fn entry_id(id: i64) -> Result<EntryId, StoreError> {
    u64::try_from(id)
        .map(EntryId::new)
        .map_err(|e| corrupt("directory_entries.id", e))
}

fn sql_id(id: EntryId) -> Result<i64, StoreError> {
    i64::try_from(id.get()).map_err(|_| StoreError::NotFound)
}

fn record_from_row(row: &AnyRow) -> Result<DirectoryRecord, StoreError> {
    let json: String = row.try_get("entry_json")?;
    Ok(DirectoryRecord {
        id: entry_id(row.try_get("id")?)?,
        org: row.try_get::<Option<i64>, _>("org_id")?.map(OrgId::new),
        profile: serde_json::from_str(&json)
            .map_err(|e| corrupt("directory_entries.entry_json", e))?,
        revision: row.try_get("revision")?,
        deleted: row.try_get::<i64, _>("deleted")? != 0,
        updated_at: row.try_get("updated_at")?,
    })
}

fn profile_json(profile: &Profile) -> Result<String, StoreError> {
    serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(format!("profile: {e}")))
}

/// Takes the next `count` revisions; the row lock is held until the transaction ends.
async fn next_revisions(conn: &mut AnyConnection, count: i64) -> Result<i64, StoreError> {
    let last: i64 = sqlx::query("UPDATE directory_revision SET n = n + $1 RETURNING n")
        .bind(count)
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    Ok(last - count + 1)
}

/// An introduction request between two organisations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntroductionRecord {
    /// Id.
    pub id: i64,
    /// Who asks.
    pub from_org: OrgId,
    /// The asker's own entry, if it named one.
    pub from_entry: Option<EntryId>,
    /// The entry asked for.
    pub to_entry: EntryId,
    /// The organisation that owns it (and decides), if any.
    pub to_org: Option<OrgId>,
    /// The match score when it was asked.
    pub score: u8,
    /// The match's reasons, as JSON (the web layer renders them).
    pub reasons_json: String,
    /// The asker's message: private to both sides.
    pub message: String,
    /// `requested`, `accepted` or `declined`.
    pub status: String,
    /// Asked (RFC 3339 UTC).
    pub created_at: String,
    /// Decided, if it was.
    pub decided_at: Option<String>,
}

/// A new introduction request.
#[derive(Debug, Clone)]
pub struct NewIntroduction {
    /// Who asks.
    pub from_org: OrgId,
    /// The asker's own entry, if any.
    pub from_entry: Option<EntryId>,
    /// The entry asked for.
    pub to_entry: EntryId,
    /// The match score.
    pub score: u8,
    /// The reasons, as JSON.
    pub reasons_json: String,
    /// The message.
    pub message: String,
}

fn introduction_from_row(row: &AnyRow) -> Result<IntroductionRecord, StoreError> {
    Ok(IntroductionRecord {
        id: row.try_get("id")?,
        from_org: OrgId::new(row.try_get("from_org")?),
        from_entry: row
            .try_get::<Option<i64>, _>("from_entry")?
            .map(entry_id)
            .transpose()?,
        to_entry: entry_id(row.try_get("to_entry")?)?,
        to_org: row.try_get::<Option<i64>, _>("to_org")?.map(OrgId::new),
        score: u8::try_from(row.try_get::<i64, _>("score")?)
            .map_err(|e| corrupt("introductions.score", e))?,
        reasons_json: row.try_get("reasons_json")?,
        message: row.try_get("message")?,
        status: row.try_get("status")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

/// SQL condition on `introductions` for `access`, binding the organisation as `$1`.
fn introduction_filter(access: Access) -> (&'static str, i64) {
    match access {
        Access::Anonymous => ("1 = 0 AND $1 = $1", 0),
        Access::Member { org } => ("(from_org = $1 OR to_org = $1)", org.get()),
        Access::Officer { .. } | Access::Admin => ("$1 = $1", 0),
    }
}

impl Store {
    /// Adds an entry owned by `org` (or by none) and audits it.
    pub async fn create_directory_entry(
        &self,
        ctx: &AuditContext,
        org: Option<OrgId>,
        profile: &Profile,
    ) -> Result<EntryId, StoreError> {
        let mut tx = self.begin_write().await?;
        let revision = next_revisions(&mut tx, 1).await?;
        let now = Timestamp::now().to_text();
        let id: i64 = sqlx::query(
            "INSERT INTO directory_entries (org_id, kind, entry_json, verified, provenance, revision, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(org.map(OrgId::get))
        .bind(profile.kind().code())
        .bind(profile_json(profile)?)
        .bind(i64::from(profile.verified()))
        .bind(profile.provenance().to_string())
        .bind(revision)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        append(
            &mut tx,
            &ctx.entry(
                "directory.create",
                "directory_entry",
                id,
                json!({ "kind": profile.kind().code(), "name_en": profile.name().en() }),
            ),
        )
        .await?;
        tx.commit().await?;
        entry_id(id)
    }

    /// Loads many entries without an owner (synthetic or imported) in one transaction, in
    /// batches, with one audit line for the load. All or nothing.
    pub async fn load_directory_entries(
        &self,
        ctx: &AuditContext,
        profiles: impl IntoIterator<Item = Profile>,
        origin: &str,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, StoreError> {
        const BATCH: usize = 200;
        let mut tx = self.begin_write().await?;
        // One revision for the whole load: it becomes visible at once, at commit.
        let revision = next_revisions(&mut tx, 1).await?;
        let now = Timestamp::now().to_text();
        let mut loaded = 0u64;
        let mut batch: Vec<Profile> = Vec::with_capacity(BATCH);
        let mut profiles = profiles.into_iter().peekable();
        while profiles.peek().is_some() {
            batch.clear();
            batch.extend(profiles.by_ref().take(BATCH));
            // Four values a row, then the shared revision and timestamp.
            let shared = batch.len() * 4;
            let placeholders: Vec<String> = (0..batch.len())
                .map(|i| {
                    let b = i * 4;
                    format!(
                        "(NULL, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        shared + 1,
                        shared + 2,
                        shared + 2
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO directory_entries (org_id, kind, entry_json, verified, provenance, revision, \
                 created_at, updated_at) VALUES {}",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for p in &batch {
                query = query
                    .bind(p.kind().code())
                    .bind(profile_json(p)?)
                    .bind(i64::from(p.verified()))
                    .bind(p.provenance().to_string());
            }
            query = query.bind(revision).bind(now.clone());
            query.execute(&mut *tx).await?;
            loaded += batch.len() as u64;
            progress(loaded);
        }
        append(
            &mut tx,
            &ctx.entry(
                "directory.load",
                "directory_entry",
                revision,
                json!({ "entries": loaded, "origin": origin }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(loaded)
    }

    /// One entry (deleted ones are [`StoreError::NotFound`]).
    pub async fn directory_entry(&self, id: EntryId) -> Result<DirectoryRecord, StoreError> {
        let row = sqlx::query("SELECT * FROM directory_entries WHERE id = $1 AND deleted = 0")
            .bind(sql_id(id)?)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        record_from_row(&row)
    }

    /// Live entries among `ids`, in the order of `ids` (missing ones left out).
    pub async fn directory_entries_by_ids(
        &self,
        ids: &[EntryId],
    ) -> Result<Vec<DirectoryRecord>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let numbers: Vec<i64> = ids.iter().map(|id| sql_id(*id)).collect::<Result<_, _>>()?;
        let placeholders: Vec<String> = (1..=numbers.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT * FROM directory_entries WHERE deleted = 0 AND id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for n in &numbers {
            query = query.bind(*n);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut records: Vec<DirectoryRecord> =
            rows.iter().map(record_from_row).collect::<Result<_, _>>()?;
        records.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(records)
    }

    /// The entries an organisation owns.
    pub async fn directory_entries_of(
        &self,
        org: OrgId,
    ) -> Result<Vec<DirectoryRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM directory_entries WHERE org_id = $1 AND deleted = 0 ORDER BY id",
        )
        .bind(org.get())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Entries written after `(revision, id)`, tombstones included, oldest first, at most
    /// `limit`: what an index needs to catch up. Start from `(0, 0)` to read everything.
    pub async fn directory_changes(
        &self,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<DirectoryRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM directory_entries WHERE revision > $1 OR (revision = $1 AND id > $2) \
             ORDER BY revision, id LIMIT $3",
        )
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Live entries in the directory.
    pub async fn directory_count(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM directory_entries WHERE deleted = 0")
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?,
        )
    }

    async fn check_may_change_entry(
        &self,
        access: Access,
        id: EntryId,
    ) -> Result<DirectoryRecord, StoreError> {
        let existing = self.directory_entry(id).await?;
        // An entry without an owner (synthetic, imported) is changed by administrators only.
        let allowed = match existing.org {
            Some(owner) => access.may_change(owner),
            None => access == Access::Admin,
        };
        if !allowed {
            return Err(StoreError::Forbidden(format!(
                "directory entry {} belongs to another organisation",
                id.get()
            )));
        }
        Ok(existing)
    }

    /// Replaces an entry's profile: its own organisation or an administrator.
    pub async fn update_directory_entry(
        &self,
        ctx: &AuditContext,
        access: Access,
        id: EntryId,
        profile: &Profile,
    ) -> Result<(), StoreError> {
        self.check_may_change_entry(access, id).await?;
        self.write_entry(ctx, id, "directory.update", Some(profile))
            .await
    }

    /// Deletes an entry (a tombstone): its own organisation or an administrator.
    pub async fn delete_directory_entry(
        &self,
        ctx: &AuditContext,
        access: Access,
        id: EntryId,
    ) -> Result<(), StoreError> {
        self.check_may_change_entry(access, id).await?;
        self.write_entry(ctx, id, "directory.delete", None).await
    }

    /// Sets an entry's verified mark: administrators only.
    pub async fn verify_directory_entry(
        &self,
        ctx: &AuditContext,
        access: Access,
        id: EntryId,
        verified: bool,
    ) -> Result<(), StoreError> {
        if access != Access::Admin {
            return Err(StoreError::Forbidden(
                "only an administrator verifies directory entries".into(),
            ));
        }
        let existing = self.directory_entry(id).await?;
        let mut input = directory::ProfileInput::from(existing.profile);
        input.verified = verified;
        let profile =
            Profile::try_from(input).map_err(|e| corrupt("directory_entries.entry_json", e))?;
        self.write_entry(ctx, id, "directory.verify", Some(&profile))
            .await
    }

    async fn write_entry(
        &self,
        ctx: &AuditContext,
        id: EntryId,
        action: &'static str,
        profile: Option<&Profile>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let revision = next_revisions(&mut tx, 1).await?;
        let now = Timestamp::now().to_text();
        let changed = match profile {
            Some(p) => sqlx::query(
                "UPDATE directory_entries SET kind = $1, entry_json = $2, verified = $3, provenance = $4, \
                 revision = $5, updated_at = $6 WHERE id = $7 AND deleted = 0",
            )
            .bind(p.kind().code())
            .bind(profile_json(p)?)
            .bind(i64::from(p.verified()))
            .bind(p.provenance().to_string())
            .bind(revision)
            .bind(now)
            .bind(sql_id(id)?),
            None => sqlx::query(
                "UPDATE directory_entries SET deleted = 1, revision = $1, updated_at = $2 \
                 WHERE id = $3 AND deleted = 0",
            )
            .bind(revision)
            .bind(now)
            .bind(sql_id(id)?),
        }
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = match profile {
            Some(p) => json!({ "name_en": p.name().en(), "verified": p.verified() }),
            None => json!({}),
        };
        append(
            &mut tx,
            &ctx.entry(action, "directory_entry", id.get(), detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an introduction request to an entry; the entry's organisation decides.
    pub async fn request_introduction(
        &self,
        ctx: &AuditContext,
        new: &NewIntroduction,
    ) -> Result<i64, StoreError> {
        let target = self.directory_entry(new.to_entry).await?;
        if target.org == Some(new.from_org) {
            return Err(StoreError::Conflict(
                "that entry is your own organisation's".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO introductions (from_org, from_entry, to_entry, to_org, score, reasons_json, \
             message, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8) RETURNING id",
        )
        .bind(new.from_org.get())
        .bind(new.from_entry.map(sql_id).transpose()?)
        .bind(sql_id(new.to_entry)?)
        .bind(target.org.map(OrgId::get))
        .bind(i64::from(new.score))
        .bind(&new.reasons_json)
        .bind(&new.message)
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // The message is private: the audit line records that it was sent, not what it says.
        append(
            &mut tx,
            &ctx.entry(
                "introduction.request",
                "introduction",
                id,
                json!({ "to_entry": new.to_entry.get(), "score": new.score }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Introductions `access` may see, newest first.
    pub async fn introductions(
        &self,
        access: Access,
    ) -> Result<Vec<IntroductionRecord>, StoreError> {
        let (filter, org) = introduction_filter(access);
        let rows = sqlx::query(&format!(
            "SELECT * FROM introductions WHERE {filter} ORDER BY id DESC"
        ))
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(introduction_from_row).collect()
    }

    /// One introduction, if `access` may see it.
    pub async fn introduction(
        &self,
        access: Access,
        id: i64,
    ) -> Result<IntroductionRecord, StoreError> {
        let (filter, org) = introduction_filter(access);
        let row = sqlx::query(&format!(
            "SELECT * FROM introductions WHERE {filter} AND id = $2"
        ))
        .bind(org)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        introduction_from_row(&row)
    }

    /// Accepts or declines a requested introduction: only the organisation asked.
    pub async fn decide_introduction(
        &self,
        ctx: &AuditContext,
        access: Access,
        id: i64,
        accept: bool,
    ) -> Result<(), StoreError> {
        let intro = self.introduction(access, id).await?;
        let decides = match access {
            Access::Member { org } | Access::Officer { org: Some(org) } => {
                intro.to_org == Some(org)
            }
            _ => false,
        };
        if !decides {
            return Err(StoreError::Forbidden(
                "only the organisation asked accepts or declines an introduction".into(),
            ));
        }
        if intro.status != "requested" {
            return Err(StoreError::Conflict(format!(
                "introduction {id} is already {}",
                intro.status
            )));
        }
        let status = if accept { "accepted" } else { "declined" };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE introductions SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'requested'",
        )
        .bind(status)
        .bind(Timestamp::now().to_text())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &ctx.entry(
                "introduction.decide",
                "introduction",
                id,
                json!({ "status": status }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every decided introduction's score and outcome, for match quality (no private detail).
    pub async fn introduction_outcomes(&self) -> Result<Vec<(u8, bool)>, StoreError> {
        let rows = sqlx::query(
            "SELECT score, status FROM introductions WHERE status IN ('accepted', 'declined')",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let score = u8::try_from(r.try_get::<i64, _>("score")?)
                    .map_err(|e| corrupt("introductions.score", e))?;
                Ok((score, r.try_get::<String, _>("status")? == "accepted"))
            })
            .collect()
    }
}
