//! Projects: an organisation's investment projects, private to it unless made public.
//!
//! Who may see what is decided here, in the SQL, so no caller can forget the filter: an
//! [`Access`] goes into every read and write.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use vocab::{
    BilingualText, Currency, ManufacturingSector, Money, OrgId, PlaceCode, Programme, Project,
    ProjectId, ProjectParts, ProjectStage, Visibility, Year,
};

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Store, StoreError, Timestamp};

/// Who is asking, for confidentiality between organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Not signed in: public records only.
    Anonymous,
    /// A member of an organisation: public records and the organisation's own.
    Member {
        /// The member's organisation.
        org: OrgId,
    },
    /// A scheme or investment-promotion officer: reads everything, changes only what an
    /// administrator grants (nothing here).
    Officer {
        /// The officer's own organisation, if any (for records that are never shared, such
        /// as planning runs).
        org: Option<OrgId>,
    },
    /// An administrator: everything.
    Admin,
}

impl Access {
    /// SQL condition (on `p.`) and the organisation id to bind as `$1`.
    fn filter(self) -> (&'static str, i64) {
        match self {
            Access::Anonymous => ("p.visibility = 'public' AND $1 = $1", 0),
            Access::Member { org } => ("(p.visibility = 'public' OR p.org_id = $1)", org.get()),
            Access::Officer { .. } | Access::Admin => ("$1 = $1", 0),
        }
    }

    /// Whether this caller may change a record `owner` owns.
    pub(crate) fn may_change(self, owner: OrgId) -> bool {
        match self {
            Access::Anonymous => false,
            Access::Member { org } => org == owner,
            Access::Officer { org } => org == Some(owner),
            Access::Admin => true,
        }
    }
}

/// A stored project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRecord {
    /// Id.
    pub id: ProjectId,
    /// Owner.
    pub org: OrgId,
    /// The project itself.
    pub project: Project,
    /// Created (RFC 3339 UTC).
    pub created_at: String,
    /// Last changed (RFC 3339 UTC).
    pub updated_at: String,
}

/// The one currency column: the project's amounts share a currency (`Project::new` checks).
fn currency_of(project: &Project) -> Currency {
    project
        .pledged()
        .or(project.realised())
        .map_or(Currency::Hkd, Money::currency)
}

fn project_from_row(row: &AnyRow) -> Result<ProjectRecord, StoreError> {
    let text = |c: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(c)?) };
    let opt_text = |c: &str| -> Result<Option<String>, StoreError> {
        Ok(row.try_get::<Option<String>, _>(c)?)
    };
    let opt_int =
        |c: &str| -> Result<Option<i64>, StoreError> { Ok(row.try_get::<Option<i64>, _>(c)?) };
    let currency =
        Currency::parse(&text("currency")?).map_err(|e| corrupt("projects.currency", e))?;
    let jobs = |c: &str| -> Result<Option<u32>, StoreError> {
        opt_int(c)?
            .map(|n| u32::try_from(n).map_err(|e| corrupt(c, e)))
            .transpose()
    };
    Ok(ProjectRecord {
        id: ProjectId::new(row.try_get("id")?),
        org: OrgId::new(row.try_get("org_id")?),
        project: Project::new(ProjectParts {
            title: BilingualText::new(text("title_en")?, text("title_zh")?)
                .map_err(|e| corrupt("projects.title", e))?,
            stage: ProjectStage::parse(&text("stage")?)
                .map_err(|e| corrupt("projects.stage", e))?,
            sector: opt_text("sector")?
                .map(|s| ManufacturingSector::parse(&s).map_err(|e| corrupt("projects.sector", e)))
                .transpose()?,
            place: opt_text("place")?
                .map(|s| PlaceCode::parse(&s).map_err(|e| corrupt("projects.place", e)))
                .transpose()?,
            pledged: opt_int("pledged_cents")?.map(|c| Money::from_cents(c, currency)),
            realised: opt_int("realised_cents")?.map(|c| Money::from_cents(c, currency)),
            jobs_pledged: jobs("jobs_pledged")?,
            jobs_realised: jobs("jobs_realised")?,
            visibility: Visibility::parse(&text("visibility")?)
                .map_err(|e| corrupt("projects.visibility", e))?,
            programme: opt_text("programme")?
                .map(|s| Programme::parse(&s).map_err(|e| corrupt("projects.programme", e)))
                .transpose()?,
            announced: opt_int("announced_year")?
                .map(|y| {
                    i16::try_from(y)
                        .map_err(|e| corrupt("projects.announced_year", e))
                        .and_then(|y| {
                            Year::new(y).map_err(|e| corrupt("projects.announced_year", e))
                        })
                })
                .transpose()?,
            output_pledged: opt_int("output_pledged_cents")?
                .map(|c| Money::from_cents(c, currency)),
            output_realised: opt_int("output_realised_cents")?
                .map(|c| Money::from_cents(c, currency)),
        })
        .map_err(|e| corrupt("projects", e))?,
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
    })
}

/// The project's own columns, in the order [`bind_project`] binds them as `$1`..`$15`.
const PROJECT_COLUMNS: &str = "title_en, title_zh, stage, sector, place, currency, pledged_cents, \
     realised_cents, jobs_pledged, jobs_realised, visibility, programme, announced_year, \
     output_pledged_cents, output_realised_cents";

/// Binds a project's fields as `$1`..`$15`, in [`PROJECT_COLUMNS`] order, so insert and update
/// cannot drift apart.
fn bind_project<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    project: &Project,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(project.title().en().to_owned())
        .bind(project.title().zh().to_owned())
        .bind(project.stage().code())
        .bind(project.sector().map(|s| s.code()))
        .bind(project.place().map(|p| p.as_str().to_owned()))
        .bind(currency_of(project).code())
        .bind(project.pledged().map(Money::cents))
        .bind(project.realised().map(Money::cents))
        .bind(project.jobs_pledged().map(i64::from))
        .bind(project.jobs_realised().map(i64::from))
        .bind(project.visibility().code())
        .bind(project.programme().map(|p| p.code()))
        .bind(project.announced().map(|y| i64::from(y.get())))
        .bind(project.output_pledged().map(Money::cents))
        .bind(project.output_realised().map(Money::cents))
}

fn audit_detail(project: &Project) -> serde_json::Value {
    json!({
        "title_en": project.title().en(),
        "title_zh": project.title().zh(),
        "stage": project.stage().code(),
        "pledged_cents": project.pledged().map(Money::cents),
        "realised_cents": project.realised().map(Money::cents),
        "jobs_pledged": project.jobs_pledged(),
        "jobs_realised": project.jobs_realised(),
        "visibility": project.visibility().code(),
        "programme": project.programme().map(|p| p.code()),
        "announced_year": project.announced().map(|y| y.get()),
        "output_pledged_cents": project.output_pledged().map(Money::cents),
        "output_realised_cents": project.output_realised().map(Money::cents),
    })
}

impl Store {
    /// Creates a project owned by `org`.
    pub async fn create_project(
        &self,
        ctx: &AuditContext,
        org: OrgId,
        project: &Project,
    ) -> Result<ProjectId, StoreError> {
        let now = Timestamp::now().to_text();
        let mut tx = self.begin_write().await?;
        let id: i64 = bind_project(
            sqlx::query(&format!(
                "INSERT INTO projects ({PROJECT_COLUMNS}, org_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
                 RETURNING id"
            )),
            project,
        )
        .bind(org.get())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        append(
            &mut tx,
            &ctx.entry("project.create", "project", id, audit_detail(project)),
        )
        .await?;
        tx.commit().await?;
        Ok(ProjectId::new(id))
    }

    /// One project, if `access` may see it; otherwise [`StoreError::NotFound`].
    pub async fn project(
        &self,
        access: Access,
        id: ProjectId,
    ) -> Result<ProjectRecord, StoreError> {
        let (filter, org) = access.filter();
        let row = sqlx::query(&format!(
            "SELECT p.* FROM projects p WHERE {filter} AND p.id = $2"
        ))
        .bind(org)
        .bind(id.get())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        project_from_row(&row)
    }

    /// Every project `access` may see, newest first.
    pub async fn projects(&self, access: Access) -> Result<Vec<ProjectRecord>, StoreError> {
        let (filter, org) = access.filter();
        let rows = sqlx::query(&format!(
            "SELECT p.* FROM projects p WHERE {filter} ORDER BY p.id DESC"
        ))
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(project_from_row).collect()
    }

    /// The project, if `access` may change it: not visible is [`StoreError::NotFound`],
    /// visible but another organisation's is [`StoreError::Forbidden`].
    pub(crate) async fn check_may_change_project(
        &self,
        access: Access,
        id: ProjectId,
    ) -> Result<ProjectRecord, StoreError> {
        let existing = self.project(access, id).await?;
        if !access.may_change(existing.org) {
            return Err(StoreError::Forbidden(format!(
                "project {id} belongs to another organisation"
            )));
        }
        Ok(existing)
    }

    /// Replaces a project's fields. Not visible: [`StoreError::NotFound`]; visible but another
    /// organisation's: [`StoreError::Forbidden`].
    pub async fn update_project(
        &self,
        ctx: &AuditContext,
        access: Access,
        id: ProjectId,
        update: &Project,
    ) -> Result<(), StoreError> {
        let existing = self.check_may_change_project(access, id).await?;
        let mut tx = self.begin_write().await?;
        bind_project(
            sqlx::query(
                "UPDATE projects SET title_en = $1, title_zh = $2, stage = $3, sector = $4, place = $5, \
                 currency = $6, pledged_cents = $7, realised_cents = $8, jobs_pledged = $9, jobs_realised = $10, \
                 visibility = $11, programme = $12, announced_year = $13, output_pledged_cents = $14, \
                 output_realised_cents = $15, updated_at = $16 WHERE id = $17 AND org_id = $18",
            ),
            update,
        )
        .bind(Timestamp::now().to_text())
        .bind(id.get())
        .bind(existing.org.get())
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &ctx.entry("project.update", "project", id, audit_detail(update)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
