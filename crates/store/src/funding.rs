//! Funding applications and what follows them: drafts, submission with the screening report,
//! supporting documents, officers' decisions, and change requests to approved projects.
//!
//! An application belongs to its organisation, whose members alone see and edit it. Officers
//! see the submitted applications of the schemes they are assigned to, never drafts and never
//! other schemes'; administrators assign them. Every change is audited in its transaction;
//! documents' bytes and messages are never written to the audit log.

use screening::ApplicationInput;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use vocab::{OrgId, UserId};

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Store, StoreError, Timestamp};

/// Who reads or changes applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingAccess {
    /// A member of the applying organisation.
    Applicant {
        /// The member's organisation.
        org: OrgId,
    },
    /// An officer: the submitted applications of the schemes assigned to them.
    Officer {
        /// The officer.
        user: UserId,
    },
    /// An administrator: everything.
    Admin,
}

impl FundingAccess {
    /// SQL condition on `applications a` and the id to bind as `$1`.
    fn filter(self) -> (&'static str, i64) {
        match self {
            FundingAccess::Applicant { org } => ("a.org_id = $1", org.get()),
            FundingAccess::Officer { user } => (
                "a.status <> 'draft' AND a.scheme_id IN \
                 (SELECT scheme_id FROM scheme_officers WHERE user_id = $1)",
                user.get(),
            ),
            FundingAccess::Admin => ("$1 = $1", 0),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Being written; only the applicant sees it.
    Draft,
    /// Submitted and screened, waiting for an officer.
    Submitted,
    /// An officer asked for more; the applicant may edit and submit again.
    InformationRequested,
    /// Approved: the project runs, and may ask for changes.
    Approved,
    /// Rejected.
    Rejected,
}

impl ApplicationStatus {
    /// Every status, in the order an application goes through them.
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Draft,
        ApplicationStatus::Submitted,
        ApplicationStatus::InformationRequested,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
    ];

    /// The stored code, e.g. `"information_requested"`.
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::InformationRequested => "information_requested",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    /// Reads a code back.
    pub fn parse(code: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Whether the applicant may still edit it (and add documents).
    pub fn is_editable(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Draft | ApplicationStatus::InformationRequested
        )
    }
}

/// An officer's decision on a submitted application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approve it.
    Approve,
    /// Reject it.
    Reject,
    /// Ask the applicant for more; it goes back to them.
    RequestInformation,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 3] = [
        Decision::Approve,
        Decision::Reject,
        Decision::RequestInformation,
    ];

    /// The stored code, e.g. `"request_information"`.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
            Decision::RequestInformation => "request_information",
        }
    }

    /// Reads a code back.
    pub fn parse(code: &str) -> Option<Decision> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    fn status(self) -> ApplicationStatus {
        match self {
            Decision::Approve => ApplicationStatus::Approved,
            Decision::Reject => ApplicationStatus::Rejected,
            Decision::RequestInformation => ApplicationStatus::InformationRequested,
        }
    }
}

/// A stored application.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    /// Id.
    pub id: i64,
    /// The applying organisation.
    pub org: OrgId,
    /// The scheme's id.
    pub scheme: String,
    /// The reference, e.g. `"SMART-PRODUCTION-LINE-000012"`.
    pub reference: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// The project's title (for lists).
    pub title: String,
    /// The application as the applicant gave it (after approved changes, as it now stands).
    pub input: ApplicationInput,
    /// The fields the platform filled in, as JSON (`screening::FilledField`s).
    pub prefilled_json: String,
    /// The currency code of its amounts.
    pub currency: String,
    /// The amount requested in cents, once it parses.
    pub amount_cents: Option<i64>,
    /// `fast_track` or `officer_queue`, once screened.
    pub route: Option<String>,
    /// The risk score in millionths of a percentage point, once screened.
    pub risk_millionths: Option<i64>,
    /// The screening report at the last submission, as JSON.
    pub report_json: Option<String>,
    /// Created (RFC 3339 UTC).
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// Last submitted.
    pub submitted_at: Option<String>,
}

/// The result of screening, stored with a submission.
#[derive(Debug, Clone)]
pub struct Screened {
    /// The application as submitted.
    pub input: ApplicationInput,
    /// The amount requested in cents.
    pub amount_cents: i64,
    /// The currency code.
    pub currency: String,
    /// `fast_track` or `officer_queue`.
    pub route: &'static str,
    /// The risk score in millionths of a percentage point.
    pub risk_millionths: i64,
    /// The report, as JSON.
    pub report_json: String,
}

/// Filters for lists of applications; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// Only this scheme.
    pub scheme: Option<String>,
    /// Only this status.
    pub status: Option<ApplicationStatus>,
    /// Only this route.
    pub route: Option<String>,
    /// Only risk at or above this, in millionths of a percentage point.
    pub min_risk_millionths: Option<i64>,
    /// Words in the title or reference (case-insensitive).
    pub text: Option<String>,
}

/// A stored supporting document, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRecord {
    /// Id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// The document kind, e.g. `"quotations"`.
    pub document: String,
    /// The file name as sent (without folders).
    pub file_name: String,
    /// The MIME type its content showed.
    pub content_type: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its lowercase hex SHA-256 when stored.
    pub sha256: String,
    /// Stored (RFC 3339 UTC).
    pub created_at: String,
}

/// A checked document to store.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// The document kind.
    pub document: String,
    /// The file name.
    pub file_name: String,
    /// The MIME type its content showed.
    pub content_type: String,
    /// Its SHA-256.
    pub sha256: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The most documents one application holds.
pub const MAX_ATTACHMENTS: i64 = 20;

/// An officer's decision, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    /// Id.
    pub id: i64,
    /// The officer.
    pub officer: UserId,
    /// The officer's email, for the history.
    pub officer_email: String,
    /// `approve`, `reject` or `request_information`.
    pub decision: String,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: String,
}

/// A requested change to an approved project.
#[derive(Debug, Clone)]
pub struct NewChangeRequest {
    /// `budget` or `milestone`.
    pub kind: &'static str,
    /// The change as asked, as JSON (`screening::ChangeInput`).
    pub change_json: String,
    /// How it compares with what was approved, as JSON (`screening::ChangeAssessment`).
    pub assessment_json: String,
    /// Whether it is within the scheme's tolerance.
    pub within_tolerance: bool,
    /// The application as it would become.
    pub after: ApplicationInput,
    /// Why the applicant asks.
    pub reason: String,
}

/// A change request with its outcome: the history of an approved project.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRequestRecord {
    /// Id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// Who asked.
    pub requested_by: UserId,
    /// `budget` or `milestone`.
    pub kind: String,
    /// The change, as JSON.
    pub change_json: String,
    /// The assessment, as JSON.
    pub assessment_json: String,
    /// Whether it was within tolerance.
    pub within_tolerance: bool,
    /// The application before.
    pub before: ApplicationInput,
    /// The application after, if approved.
    pub after: ApplicationInput,
    /// Why the applicant asked.
    pub reason: String,
    /// `requested`, `approved` or `rejected`.
    pub status: String,
    /// The officer who decided.
    pub decided_by: Option<UserId>,
    /// The officer's note.
    pub decision_note: Option<String>,
    /// Asked (RFC 3339 UTC).
    pub created_at: String,
    /// Decided.
    pub decided_at: Option<String>,
}

fn input_json(input: &ApplicationInput) -> Result<String, StoreError> {
    serde_json::to_string(input).map_err(|e| StoreError::Corrupt(format!("application: {e}")))
}

fn input_from(row: &AnyRow, column: &str) -> Result<ApplicationInput, StoreError> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

fn application_from_row(row: &AnyRow) -> Result<ApplicationRecord, StoreError> {
    let status: String = row.try_get("status")?;
    Ok(ApplicationRecord {
        id: row.try_get("id")?,
        org: OrgId::new(row.try_get("org_id")?),
        scheme: row.try_get("scheme_id")?,
        reference: row.try_get("reference")?,
        status: ApplicationStatus::parse(&status)
            .ok_or_else(|| corrupt("applications.status", &status))?,
        title: row.try_get("title")?,
        input: input_from(row, "input_json")?,
        prefilled_json: row.try_get("prefilled_json")?,
        currency: row.try_get("currency")?,
        amount_cents: row.try_get("amount_cents")?,
        route: row.try_get("route")?,
        risk_millionths: row.try_get("risk_millionths")?,
        report_json: row.try_get("report_json")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        submitted_at: row.try_get("submitted_at")?,
    })
}

fn attachment_from_row(row: &AnyRow) -> Result<AttachmentRecord, StoreError> {
    Ok(AttachmentRecord {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        document: row.try_get("document")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
        sha256: row.try_get("sha256")?,
        created_at: row.try_get("created_at")?,
    })
}

fn change_from_row(row: &AnyRow) -> Result<ChangeRequestRecord, StoreError> {
    Ok(ChangeRequestRecord {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        requested_by: UserId::new(row.try_get("requested_by")?),
        kind: row.try_get("kind")?,
        change_json: row.try_get("change_json")?,
        assessment_json: row.try_get("assessment_json")?,
        within_tolerance: row.try_get::<i64, _>("within_tolerance")? != 0,
        before: input_from(row, "before_json")?,
        after: input_from(row, "after_json")?,
        reason: row.try_get("reason")?,
        status: row.try_get("status")?,
        decided_by: row
            .try_get::<Option<i64>, _>("decided_by")?
            .map(UserId::new),
        decision_note: row.try_get("decision_note")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

fn title_of(input: &ApplicationInput) -> String {
    let title = input.project_title.trim();
    if title.is_empty() {
        "(untitled)".to_owned()
    } else {
        title.chars().take(200).collect()
    }
}

fn applicant_org(access: FundingAccess) -> Result<OrgId, StoreError> {
    match access {
        FundingAccess::Applicant { org } => Ok(org),
        _ => Err(StoreError::Forbidden(
            "only the applying organisation changes its application".into(),
        )),
    }
}

/// An application's key in the duplicate check (`scheme/reference`), from a row with its
/// `scheme_id` and `reference`.
fn duplicate_key(row: &AnyRow) -> Result<String, StoreError> {
    let scheme: String = row.try_get("scheme_id")?;
    let reference: String = row.try_get("reference")?;
    Ok(format!("{scheme}/{reference}"))
}

impl Store {
    /// The application, if it is `access`'s organisation's and still editable.
    async fn editable_application(
        &self,
        access: FundingAccess,
        id: i64,
    ) -> Result<(OrgId, ApplicationRecord), StoreError> {
        let org = applicant_org(access)?;
        let current = self.application(access, id).await?;
        if !current.status.is_editable() {
            return Err(StoreError::Conflict(format!(
                "application {} is {}; only a draft or an application sent back for information changes",
                current.reference,
                current.status.code()
            )));
        }
        Ok((org, current))
    }

    /// Assigns an officer to a scheme (idempotent). The user must be an officer.
    pub async fn assign_scheme_officer(
        &self,
        ctx: &AuditContext,
        scheme: &str,
        user: UserId,
    ) -> Result<(), StoreError> {
        let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
            .bind(user.get())
            .fetch_optional(&self.pool)
            .await?;
        match role.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("officer") => {}
            Some(other) => {
                return Err(StoreError::Conflict(format!(
                    "user {} is a{} {other}, not an officer",
                    user.get(),
                    if other.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "n"
                    } else {
                        ""
                    }
                )))
            }
        }
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO scheme_officers (scheme_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (scheme_id, user_id) DO NOTHING",
        )
        .bind(scheme)
        .bind(user.get())
        .bind(Timestamp::now().to_text())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted > 0 {
            append(
                &mut tx,
                &ctx.entry(
                    "scheme.assign_officer",
                    "scheme",
                    scheme,
                    json!({ "user": user.get() }),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The schemes an officer is assigned to, by id.
    pub async fn officer_schemes(&self, user: UserId) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT scheme_id FROM scheme_officers WHERE user_id = $1 ORDER BY scheme_id",
        )
        .bind(user.get())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Starts a draft for `org`.
    pub async fn create_application(
        &self,
        ctx: &AuditContext,
        org: OrgId,
        scheme: &str,
        input: &ApplicationInput,
        prefilled_json: &str,
    ) -> Result<ApplicationRecord, StoreError> {
        let now = Timestamp::now().to_text();
        let mut tx = self.begin_write().await?;
        // The reference needs the id; a unique placeholder holds its place until then.
        let placeholder = format!("pending-{}-{}", org.get(), auth_free_nonce());
        let id: i64 = sqlx::query(
            "INSERT INTO applications (org_id, scheme_id, reference, status, title, input_json, \
             prefilled_json, currency, created_at, updated_at) \
             VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(org.get())
        .bind(scheme)
        .bind(&placeholder)
        .bind(title_of(input))
        .bind(input_json(input)?)
        .bind(prefilled_json)
        .bind(currency_of(input))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let reference = format!("{}-{id:06}", scheme.to_ascii_uppercase());
        sqlx::query("UPDATE applications SET reference = $1 WHERE id = $2")
            .bind(&reference)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            &ctx.entry(
                "application.create",
                "application",
                id,
                json!({ "scheme": scheme, "reference": reference }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.application(FundingAccess::Applicant { org }, id).await
    }

    /// One application, if `access` may see it ([`StoreError::NotFound`] otherwise, so a
    /// stranger cannot tell whether it exists).
    pub async fn application(
        &self,
        access: FundingAccess,
        id: i64,
    ) -> Result<ApplicationRecord, StoreError> {
        let (filter, bound) = access.filter();
        let row = sqlx::query(&format!(
            "SELECT a.* FROM applications a WHERE {filter} AND a.id = $2"
        ))
        .bind(bound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        application_from_row(&row)
    }

    /// Applications `access` may see, newest first, filtered.
    pub async fn applications(
        &self,
        access: FundingAccess,
        filter: &ApplicationFilter,
    ) -> Result<Vec<ApplicationRecord>, StoreError> {
        enum Bind {
            Text(String),
            Int(i64),
        }
        let (condition, bound) = access.filter();
        let mut binds = vec![Bind::Int(bound)];
        let mut placeholder = |value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let mut sql = format!("SELECT a.* FROM applications a WHERE {condition}");
        if let Some(scheme) = &filter.scheme {
            let p = placeholder(Bind::Text(scheme.clone()));
            sql.push_str(&format!(" AND a.scheme_id = {p}"));
        }
        if let Some(status) = filter.status {
            let p = placeholder(Bind::Text(status.code().to_owned()));
            sql.push_str(&format!(" AND a.status = {p}"));
        }
        if let Some(route) = &filter.route {
            let p = placeholder(Bind::Text(route.clone()));
            sql.push_str(&format!(" AND a.route = {p}"));
        }
        if let Some(text) = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // LIKE's wildcards are dropped from the words: they are searched for, not obeyed.
            let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_', '\\'], ""));
            let in_title = placeholder(Bind::Text(pattern.clone()));
            let in_reference = placeholder(Bind::Text(pattern));
            sql.push_str(&format!(
                " AND (LOWER(a.title) LIKE {in_title} OR LOWER(a.reference) LIKE {in_reference})"
            ));
        }
        if let Some(min) = filter.min_risk_millionths {
            let p = placeholder(Bind::Int(min));
            sql.push_str(&format!(" AND a.risk_millionths >= {p}"));
        }
        sql.push_str(" ORDER BY a.id DESC LIMIT 500");
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = match value {
                Bind::Text(text) => query.bind(text),
                Bind::Int(number) => query.bind(number),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(application_from_row).collect()
    }

    /// Every submitted application's key (`scheme/reference`) and content, for the duplicate
    /// check across organisations and schemes (never shown whole to another organisation).
    pub async fn screened_applications(
        &self,
        except: i64,
    ) -> Result<Vec<(String, OrgId, ApplicationInput)>, StoreError> {
        let rows = sqlx::query(
            "SELECT scheme_id, reference, org_id, input_json FROM applications \
             WHERE status <> 'draft' AND id <> $1 ORDER BY id",
        )
        .bind(except)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    duplicate_key(row)?,
                    OrgId::new(row.try_get("org_id")?),
                    input_from(row, "input_json")?,
                ))
            })
            .collect()
    }

    /// The keys (`scheme/reference`) of every application of `org`, as the duplicate check
    /// names them.
    pub async fn application_keys_of(&self, org: OrgId) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT scheme_id, reference FROM applications WHERE org_id = $1")
            .bind(org.get())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(duplicate_key).collect()
    }

    /// Saves a draft (or an application sent back for information): only its organisation, only
    /// while it is editable.
    pub async fn update_application(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        id: i64,
        input: &ApplicationInput,
    ) -> Result<ApplicationRecord, StoreError> {
        let (org, current) = self.editable_application(access, id).await?;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE applications SET input_json = $1, title = $2, currency = $3, updated_at = $4 \
             WHERE id = $5 AND org_id = $6 AND status IN ('draft', 'information_requested')",
        )
        .bind(input_json(input)?)
        .bind(title_of(input))
        .bind(currency_of(input))
        .bind(Timestamp::now().to_text())
        .bind(id)
        .bind(org.get())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(changed_meanwhile(&current));
        }
        append(
            &mut tx,
            &ctx.entry("application.save", "application", id, json!({})),
        )
        .await?;
        tx.commit().await?;
        self.application(access, id).await
    }

    /// Records a submission and its screening: only its organisation, only while editable.
    pub async fn submit_application(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        id: i64,
        screened: &Screened,
    ) -> Result<ApplicationRecord, StoreError> {
        let (org, current) = self.editable_application(access, id).await?;
        let now = Timestamp::now().to_text();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE applications SET status = 'submitted', input_json = $1, title = $2, \
             currency = $3, amount_cents = $4, route = $5, risk_millionths = $6, report_json = $7, \
             updated_at = $8, submitted_at = $8 \
             WHERE id = $9 AND org_id = $10 AND status IN ('draft', 'information_requested')",
        )
        .bind(input_json(&screened.input)?)
        .bind(title_of(&screened.input))
        .bind(&screened.currency)
        .bind(screened.amount_cents)
        .bind(screened.route)
        .bind(screened.risk_millionths)
        .bind(&screened.report_json)
        .bind(&now)
        .bind(id)
        .bind(org.get())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(changed_meanwhile(&current));
        }
        append(
            &mut tx,
            &ctx.entry(
                "application.submit",
                "application",
                id,
                json!({ "route": screened.route, "risk_millionths": screened.risk_millionths }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.application(access, id).await
    }

    /// Stores a checked document: only its organisation, only while editable, at most
    /// [`MAX_ATTACHMENTS`] an application.
    pub async fn add_attachment(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        id: i64,
        new: &NewAttachment,
    ) -> Result<AttachmentRecord, StoreError> {
        let (_, current) = self.editable_application(access, id).await?;
        let mut tx = self.begin_write().await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM application_attachments WHERE application_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if count >= MAX_ATTACHMENTS {
            return Err(StoreError::Conflict(format!(
                "application {} already has {MAX_ATTACHMENTS} documents",
                current.reference
            )));
        }
        let size = i64::try_from(new.bytes.len()).map_err(|e| corrupt("attachment size", e))?;
        let row = sqlx::query(
            "INSERT INTO application_attachments (application_id, document, file_name, content_type, \
             size_bytes, sha256, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             RETURNING id, application_id, document, file_name, content_type, size_bytes, sha256, created_at",
        )
        .bind(id)
        .bind(&new.document)
        .bind(&new.file_name)
        .bind(&new.content_type)
        .bind(size)
        .bind(&new.sha256)
        .bind(new.bytes.clone())
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?;
        let record = attachment_from_row(&row)?;
        append(
            &mut tx,
            &ctx.entry(
                "application.attach",
                "application",
                id,
                json!({
                    "attachment": record.id,
                    "document": new.document,
                    "file_name": new.file_name,
                    "size_bytes": size,
                    "sha256": new.sha256,
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// The documents of an application `access` may see.
    pub async fn attachments(
        &self,
        access: FundingAccess,
        id: i64,
    ) -> Result<Vec<AttachmentRecord>, StoreError> {
        self.application(access, id).await?;
        let rows = sqlx::query(
            "SELECT id, application_id, document, file_name, content_type, size_bytes, sha256, \
             created_at FROM application_attachments WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attachment_from_row).collect()
    }

    /// One document with its bytes, if `access` may see its application. The caller checks
    /// the bytes against the stored checksum before serving them.
    pub async fn attachment_content(
        &self,
        access: FundingAccess,
        id: i64,
        attachment: i64,
    ) -> Result<(AttachmentRecord, Vec<u8>), StoreError> {
        self.application(access, id).await?;
        let row = sqlx::query(
            "SELECT * FROM application_attachments WHERE application_id = $1 AND id = $2",
        )
        .bind(id)
        .bind(attachment)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((attachment_from_row(&row)?, row.try_get("content")?))
    }

    /// Records an officer's decision on a submitted application of a scheme they are
    /// assigned to.
    pub async fn decide_application(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        id: i64,
        decision: Decision,
        reason: &str,
    ) -> Result<ApplicationRecord, StoreError> {
        let current = self.application(access, id).await?;
        let FundingAccess::Officer { user } = access else {
            return Err(StoreError::Forbidden(
                "only an officer assigned to the scheme decides".into(),
            ));
        };
        if current.status != ApplicationStatus::Submitted {
            return Err(StoreError::Conflict(format!(
                "application {} is {}, not waiting for a decision",
                current.reference,
                current.status.code()
            )));
        }
        let now = Timestamp::now().to_text();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'submitted'",
        )
        .bind(decision.status().code())
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(format!(
                "application {} was decided meanwhile",
                current.reference
            )));
        }
        sqlx::query(
            "INSERT INTO application_decisions (application_id, officer_user_id, decision, reason, \
             created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user.get())
        .bind(decision.code())
        .bind(reason)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &ctx.entry(
                "application.decide",
                "application",
                id,
                json!({ "decision": decision.code(), "reason": reason }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.application(access, id).await
    }

    /// The decisions on an application `access` may see, oldest first.
    pub async fn application_decisions(
        &self,
        access: FundingAccess,
        id: i64,
    ) -> Result<Vec<DecisionRecord>, StoreError> {
        self.application(access, id).await?;
        let rows = sqlx::query(
            "SELECT d.*, u.email FROM application_decisions d JOIN users u ON u.id = d.officer_user_id \
             WHERE d.application_id = $1 ORDER BY d.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DecisionRecord {
                    id: row.try_get("id")?,
                    officer: UserId::new(row.try_get("officer_user_id")?),
                    officer_email: row.try_get("email")?,
                    decision: row.try_get("decision")?,
                    reason: row.try_get("reason")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// Asks for a change to an approved project: only its organisation, one open request at a
    /// time (each is measured against the project as it stands).
    pub async fn request_change(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        requester: UserId,
        id: i64,
        new: &NewChangeRequest,
    ) -> Result<ChangeRequestRecord, StoreError> {
        applicant_org(access)?;
        let current = self.application(access, id).await?;
        if current.status != ApplicationStatus::Approved {
            return Err(StoreError::Conflict(format!(
                "application {} is {}; only an approved project asks for changes",
                current.reference,
                current.status.code()
            )));
        }
        let mut tx = self.begin_write().await?;
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM change_requests WHERE application_id = $1 AND status = 'requested'",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if open > 0 {
            return Err(StoreError::Conflict(format!(
                "application {} already has a change waiting for a decision",
                current.reference
            )));
        }
        let change_id: i64 = sqlx::query(
            "INSERT INTO change_requests (application_id, requested_by, kind, change_json, \
             assessment_json, within_tolerance, before_json, after_json, reason, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10) RETURNING id",
        )
        .bind(id)
        .bind(requester.get())
        .bind(new.kind)
        .bind(&new.change_json)
        .bind(&new.assessment_json)
        .bind(i64::from(new.within_tolerance))
        .bind(input_json(&current.input)?)
        .bind(input_json(&new.after)?)
        .bind(&new.reason)
        .bind(Timestamp::now().to_text())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        append(
            &mut tx,
            &ctx.entry(
                "change.request",
                "application",
                id,
                json!({
                    "change_request": change_id,
                    "kind": new.kind,
                    "within_tolerance": new.within_tolerance,
                    "change": serde_json::from_str::<serde_json::Value>(&new.change_json).unwrap_or_default(),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.change_request(access, change_id).await
    }

    /// One change request, if `access` may see its application.
    pub async fn change_request(
        &self,
        access: FundingAccess,
        change_id: i64,
    ) -> Result<ChangeRequestRecord, StoreError> {
        let (filter, bound) = access.filter();
        let row = sqlx::query(&format!(
            "SELECT c.* FROM change_requests c JOIN applications a ON a.id = c.application_id \
             WHERE {filter} AND c.id = $2"
        ))
        .bind(bound)
        .bind(change_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        change_from_row(&row)
    }

    /// The change history of an application `access` may see, oldest first.
    pub async fn change_requests(
        &self,
        access: FundingAccess,
        id: i64,
    ) -> Result<Vec<ChangeRequestRecord>, StoreError> {
        self.application(access, id).await?;
        let rows =
            sqlx::query("SELECT * FROM change_requests WHERE application_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(change_from_row).collect()
    }

    /// Approves or rejects a change request: an officer assigned to the scheme. Approval makes
    /// the application what the request said it would become, provided it still is what the
    /// request was measured against.
    pub async fn decide_change(
        &self,
        ctx: &AuditContext,
        access: FundingAccess,
        change_id: i64,
        approve: bool,
        note: &str,
    ) -> Result<ChangeRequestRecord, StoreError> {
        // A stranger learns nothing, not even that the request exists.
        let change = self.change_request(access, change_id).await?;
        let FundingAccess::Officer { user } = access else {
            return Err(StoreError::Forbidden(
                "only an officer assigned to the scheme decides a change".into(),
            ));
        };
        if change.status != "requested" {
            return Err(StoreError::Conflict(format!(
                "change request {change_id} is already {}",
                change.status
            )));
        }
        let now = Timestamp::now().to_text();
        let status = if approve { "approved" } else { "rejected" };
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE change_requests SET status = $1, decided_by = $2, decision_note = $3, decided_at = $4 \
             WHERE id = $5 AND status = 'requested'",
        )
        .bind(status)
        .bind(user.get())
        .bind(note)
        .bind(&now)
        .bind(change_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(format!(
                "change request {change_id} was decided meanwhile"
            )));
        }
        if approve {
            let applied = sqlx::query(
                "UPDATE applications SET input_json = $1, title = $2, updated_at = $3 \
                 WHERE id = $4 AND input_json = $5 AND status = 'approved'",
            )
            .bind(input_json(&change.after)?)
            .bind(title_of(&change.after))
            .bind(&now)
            .bind(change.application_id)
            .bind(input_json(&change.before)?)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if applied == 0 {
                return Err(StoreError::Conflict(format!(
                    "application {} changed since the request was made; ask again",
                    change.application_id
                )));
            }
        }
        append(
            &mut tx,
            &ctx.entry(
                "change.decide",
                "application",
                change.application_id,
                json!({ "change_request": change_id, "status": status, "note": note }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.change_request(access, change_id).await
    }
}

fn changed_meanwhile(current: &ApplicationRecord) -> StoreError {
    StoreError::Conflict(format!(
        "application {} changed meanwhile; reload it",
        current.reference
    ))
}

fn currency_of(input: &ApplicationInput) -> String {
    let code = input.currency.trim();
    if code.is_empty() {
        "HKD".to_owned()
    } else {
        code.to_ascii_uppercase()
    }
}

/// A process-unique number for placeholders (not a secret).
fn auth_free_nonce() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    nanos ^ (NEXT.fetch_add(1, Ordering::Relaxed) << 48)
}
