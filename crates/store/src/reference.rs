//! Reference data tables: replaced whole in one transaction, read back as `refdata` records.

use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use vocab::{
    BilingualText, Coordinates, CountryCode, Currency, IndustryComponent, ManufacturingSector,
    Money, NewIndustriesSubgroup, Percent, Place, PlaceCode, PlaceLevel, Programme, ProjectStage,
    Provenance, Year,
};

use refdata::{
    Dataset, Document, NamedPlace, OverlapItem, Pledge, ProducerServicesFigure, ReferenceData,
    RegistryCount, RegistryDimension, ValueAddedFigure,
};

use crate::audit::{append, AuditContext};
use crate::error::corrupt;
use crate::{Store, StoreError, Timestamp};

/// How many rows of a dataset are stored, and from which sources.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetSummary {
    /// The dataset.
    pub dataset: Dataset,
    /// Rows stored.
    pub rows: i64,
    /// Each distinct source with its row count, most rows first.
    pub sources: Vec<(String, i64)>,
}

/// When the reference data was last loaded, and from where.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceLoad {
    /// The load's number; a later load has a larger one, so a reader that saw this number has
    /// seen the tables as they are until the number changes.
    pub id: i64,
    /// RFC 3339 UTC.
    pub loaded_at: String,
    /// `embedded` or the folder it was read from.
    pub origin: String,
    /// Rows written.
    pub rows: i64,
}

fn table(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::Documents => "ref_documents",
        Dataset::Places => "ref_places",
        Dataset::ValueAdded => "ref_industry_value_added",
        Dataset::ProducerServices => "ref_producer_services",
        Dataset::ProducerServicesOverlap => "ref_producer_services_overlap",
        Dataset::MainlandManufacturers => "ref_mainland_manufacturers",
        Dataset::Pledges => "ref_pledges",
    }
}

async fn insert_all(conn: &mut AnyConnection, data: &ReferenceData) -> Result<i64, StoreError> {
    let mut rows = 0;
    for d in &data.documents {
        sqlx::query("INSERT INTO ref_documents (code, title, publisher, date, seed_file) VALUES ($1, $2, $3, $4, $5)")
            .bind(&d.code).bind(&d.title).bind(&d.publisher).bind(&d.date).bind(&d.seed_file)
            .execute(&mut *conn).await?;
        rows += 1;
    }
    for p in &data.places {
        let coordinates = p.place.coordinates();
        sqlx::query(
            "INSERT INTO ref_places (code, level, country, parent, name_en, name_zh, lat, lon, source) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(p.place.code().as_str())
        .bind(p.place.level().code())
        .bind(p.place.country().as_str())
        .bind(p.place.parent().map(|c| c.as_str().to_owned()))
        .bind(p.name.en())
        .bind(p.name.zh())
        .bind(coordinates.map(|c| c.lat()))
        .bind(coordinates.map(|c| c.lon()))
        .bind(p.source.to_string())
        .execute(&mut *conn)
        .await?;
        rows += 1;
    }
    for f in &data.value_added {
        sqlx::query(
            "INSERT INTO ref_industry_value_added (year, component, subgroup, currency, value_cents, gdp_share_pct, source) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(i64::from(f.year.get()))
        .bind(f.component.map_or("total", IndustryComponent::code))
        .bind(f.subgroup.map_or("", NewIndustriesSubgroup::code))
        .bind(f.value.currency().code())
        .bind(f.value.cents())
        .bind(f.gdp_share.map(|p| p.to_string()))
        .bind(f.source.to_string())
        .execute(&mut *conn)
        .await?;
        rows += 1;
    }
    for f in &data.producer_services {
        sqlx::query("INSERT INTO ref_producer_services (year, currency, value_cents, gdp_share_pct, source) VALUES ($1, $2, $3, $4, $5)")
            .bind(i64::from(f.year.get()))
            .bind(f.value.currency().code())
            .bind(f.value.cents())
            .bind(f.gdp_share.map(|p| p.to_string()))
            .bind(f.source.to_string())
            .execute(&mut *conn)
            .await?;
        rows += 1;
    }
    for o in &data.overlap {
        sqlx::query(
            "INSERT INTO ref_producer_services_overlap (year, item, allocation_pct, gdp_share_pct, source) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i64::from(o.year.get()))
        .bind(&o.item)
        .bind(o.allocation.to_string())
        .bind(o.gdp_share.to_string())
        .bind(o.source.to_string())
        .execute(&mut *conn)
        .await?;
        rows += 1;
    }
    for r in &data.registry {
        sqlx::query(
            "INSERT INTO ref_mainland_manufacturers (year, dimension, key, enterprises, share_pct, source) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(i64::from(r.year.get()))
        .bind(r.dimension.code())
        .bind(r.dimension.key())
        .bind(i64::from(r.enterprises))
        .bind(r.share.map(|p| p.to_string()))
        .bind(r.source.to_string())
        .execute(&mut *conn)
        .await?;
        rows += 1;
    }
    for p in &data.pledges {
        sqlx::query(
            "INSERT INTO ref_pledges (code, title_en, title_zh, organisation_en, organisation_zh, place, stage, currency, \
             pledged_cents, jobs, period_years, announced, source, sector, programme) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&p.code)
        .bind(p.title.en())
        .bind(p.title.zh())
        .bind(p.organisation.en())
        .bind(p.organisation.zh())
        .bind(p.place.as_str())
        .bind(p.stage.code())
        .bind(p.pledged.map_or(Currency::Hkd, Money::currency).code())
        .bind(p.pledged.map(Money::cents))
        .bind(p.jobs.map(i64::from))
        .bind(p.period_years.map(i64::from))
        .bind(&p.announced)
        .bind(p.source.to_string())
        .bind(p.sector.map(|s| s.code()))
        .bind(p.programme.map(|p| p.code()))
        .execute(&mut *conn)
        .await?;
        rows += 1;
    }
    Ok(rows)
}

fn get_text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(column)?)
}

fn get_opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, StoreError> {
    Ok(row
        .try_get::<Option<String>, _>(column)?
        .filter(|s| !s.is_empty()))
}

fn parse_col<T, E: std::fmt::Display>(
    row: &AnyRow,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, StoreError> {
    let text = get_text(row, column)?;
    parse(&text).map_err(|e| corrupt(column, e))
}

fn parse_opt_col<T, E: std::fmt::Display>(
    row: &AnyRow,
    column: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, StoreError> {
    get_opt_text(row, column)?
        .map(|t| parse(&t).map_err(|e| corrupt(column, e)))
        .transpose()
}

fn year(row: &AnyRow) -> Result<Year, StoreError> {
    let year: i64 = row.try_get("year")?;
    Year::parse(&year.to_string()).map_err(|e| corrupt("year", e))
}

fn money(row: &AnyRow, column: &str) -> Result<Option<Money>, StoreError> {
    let currency = parse_col(row, "currency", Currency::parse)?;
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(|c| Money::from_cents(c, currency)))
}

fn source(row: &AnyRow) -> Result<Provenance, StoreError> {
    parse_col(row, "source", Provenance::parse)
}

impl Store {
    /// Replaces every reference table with `data`, all or nothing, and notes the load.
    #[tracing::instrument(skip(self, ctx, data))]
    pub async fn load_reference(
        &self,
        ctx: &AuditContext,
        data: &ReferenceData,
        origin: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        // Children before parents would matter with foreign keys; these tables have none, so
        // the order only needs to be the reverse of the insert order for readability.
        for dataset in Dataset::ALL.iter().rev() {
            sqlx::query(&format!("DELETE FROM {}", table(*dataset)))
                .execute(&mut *tx)
                .await?;
        }
        let rows = insert_all(&mut tx, data).await?;
        sqlx::query(
            "INSERT INTO reference_loads (loaded_at, origin, rows_loaded) VALUES ($1, $2, $3)",
        )
        .bind(Timestamp::now().to_text())
        .bind(origin)
        .bind(rows)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            &ctx.entry(
                "reference_data.load",
                "reference_data",
                origin,
                json!({"rows": rows}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// The latest reference-data load, if there was one.
    pub async fn last_reference_load(&self) -> Result<Option<ReferenceLoad>, StoreError> {
        let row = sqlx::query(
            "SELECT id, loaded_at, origin, rows_loaded FROM reference_loads ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ReferenceLoad {
                id: r.try_get("id")?,
                loaded_at: r.try_get("loaded_at")?,
                origin: r.try_get("origin")?,
                rows: r.try_get("rows_loaded")?,
            })
        })
        .transpose()
    }

    /// Row counts and sources of every dataset.
    pub async fn reference_summary(&self) -> Result<Vec<DatasetSummary>, StoreError> {
        let mut out = Vec::new();
        for dataset in Dataset::ALL {
            let table = table(dataset);
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await?;
            let sources = if dataset == Dataset::Documents {
                Vec::new()
            } else {
                let grouped = sqlx::query(&format!(
                    "SELECT source, COUNT(*) AS n FROM {table} GROUP BY source ORDER BY COUNT(*) DESC, source"
                ))
                .fetch_all(&self.pool)
                .await?;
                grouped
                    .iter()
                    .map(|r| Ok((r.try_get("source")?, r.try_get("n")?)))
                    .collect::<Result<_, StoreError>>()?
            };
            out.push(DatasetSummary {
                dataset,
                rows,
                sources,
            });
        }
        Ok(out)
    }

    /// All reference data, read back into records.
    pub async fn reference_data(&self) -> Result<ReferenceData, StoreError> {
        let fetch = |sql: &'static str| sqlx::query(sql).fetch_all(&self.pool);
        let documents = fetch("SELECT * FROM ref_documents ORDER BY code")
            .await?
            .iter()
            .map(|r| {
                Ok(Document {
                    code: get_text(r, "code")?,
                    title: get_text(r, "title")?,
                    publisher: get_text(r, "publisher")?,
                    date: get_opt_text(r, "date")?,
                    seed_file: get_opt_text(r, "seed_file")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let places = fetch("SELECT * FROM ref_places ORDER BY code")
            .await?
            .iter()
            .map(|r| {
                let lat: Option<f64> = r.try_get("lat")?;
                let lon: Option<f64> = r.try_get("lon")?;
                let coordinates = match (lat, lon) {
                    (Some(lat), Some(lon)) => Some(
                        Coordinates::parse(lat, lon).map_err(|e| corrupt("ref_places.lat", e))?,
                    ),
                    _ => None,
                };
                let place = Place::new(
                    parse_col(r, "code", PlaceCode::parse)?,
                    parse_col(r, "level", PlaceLevel::parse)?,
                    parse_col(r, "country", CountryCode::parse)?,
                    parse_opt_col(r, "parent", PlaceCode::parse)?,
                    coordinates,
                )
                .map_err(|e| corrupt("ref_places", e))?;
                Ok(NamedPlace {
                    place,
                    name: BilingualText::new(get_text(r, "name_en")?, get_text(r, "name_zh")?)
                        .map_err(|e| corrupt("ref_places.name", e))?,
                    source: source(r)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let value_added =
            fetch("SELECT * FROM ref_industry_value_added ORDER BY year, component, subgroup")
                .await?
                .iter()
                .map(|r| {
                    let component = get_text(r, "component")?;
                    Ok(ValueAddedFigure {
                        year: year(r)?,
                        component: if component == "total" {
                            None
                        } else {
                            Some(
                                IndustryComponent::parse(&component)
                                    .map_err(|e| corrupt("component", e))?,
                            )
                        },
                        subgroup: parse_opt_col(r, "subgroup", NewIndustriesSubgroup::parse)?,
                        value: money(r, "value_cents")?
                            .ok_or_else(|| corrupt("value_cents", "missing"))?,
                        gdp_share: parse_opt_col(r, "gdp_share_pct", Percent::parse)?,
                        source: source(r)?,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
        let producer_services = fetch("SELECT * FROM ref_producer_services ORDER BY year")
            .await?
            .iter()
            .map(|r| {
                Ok(ProducerServicesFigure {
                    year: year(r)?,
                    value: money(r, "value_cents")?
                        .ok_or_else(|| corrupt("value_cents", "missing"))?,
                    gdp_share: parse_opt_col(r, "gdp_share_pct", Percent::parse)?,
                    source: source(r)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let overlap = fetch("SELECT * FROM ref_producer_services_overlap ORDER BY year, item")
            .await?
            .iter()
            .map(|r| {
                Ok(OverlapItem {
                    year: year(r)?,
                    item: get_text(r, "item")?,
                    allocation: parse_col(r, "allocation_pct", Percent::parse)?,
                    gdp_share: parse_col(r, "gdp_share_pct", Percent::parse)?,
                    source: source(r)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let registry = fetch(
            "SELECT * FROM ref_mainland_manufacturers ORDER BY year, dimension, enterprises DESC",
        )
        .await?
        .iter()
        .map(|r| {
            let key = get_text(r, "key")?;
            let place =
                || PlaceCode::parse(&key).map_err(|e| corrupt("ref_mainland_manufacturers.key", e));
            let dimension = match get_text(r, "dimension")?.as_str() {
                "total" => RegistryDimension::Total,
                "province" => RegistryDimension::Province(place()?),
                "city" => RegistryDimension::City(place()?),
                "sector" => RegistryDimension::Sector(
                    ManufacturingSector::parse(&key).map_err(|e| corrupt("sector", e))?,
                ),
                other => return Err(corrupt("ref_mainland_manufacturers.dimension", other)),
            };
            let enterprises: i64 = r.try_get("enterprises")?;
            Ok(RegistryCount {
                year: year(r)?,
                dimension,
                enterprises: u32::try_from(enterprises).map_err(|e| corrupt("enterprises", e))?,
                share: parse_opt_col(r, "share_pct", Percent::parse)?,
                source: source(r)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        let pledges = fetch("SELECT * FROM ref_pledges ORDER BY announced, code")
            .await?
            .iter()
            .map(|r| {
                let small = |c: &str| -> Result<Option<i64>, StoreError> {
                    Ok(r.try_get::<Option<i64>, _>(c)?)
                };
                Ok(Pledge {
                    code: get_text(r, "code")?,
                    title: BilingualText::new(get_text(r, "title_en")?, get_text(r, "title_zh")?)
                        .map_err(|e| corrupt("ref_pledges.title", e))?,
                    organisation: BilingualText::new(
                        get_text(r, "organisation_en")?,
                        get_text(r, "organisation_zh")?,
                    )
                    .map_err(|e| corrupt("ref_pledges.organisation", e))?,
                    place: parse_col(r, "place", PlaceCode::parse)?,
                    stage: parse_col(r, "stage", ProjectStage::parse)?,
                    pledged: money(r, "pledged_cents")?,
                    jobs: small("jobs")?
                        .map(|n| u32::try_from(n).map_err(|e| corrupt("jobs", e)))
                        .transpose()?,
                    period_years: small("period_years")?
                        .map(|n| u8::try_from(n).map_err(|e| corrupt("period_years", e)))
                        .transpose()?,
                    announced: get_text(r, "announced")?,
                    sector: parse_opt_col(r, "sector", ManufacturingSector::parse)?,
                    programme: parse_opt_col(r, "programme", Programme::parse)?,
                    source: source(r)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(ReferenceData {
            documents,
            places,
            value_added,
            producer_services,
            overlap,
            registry,
            pledges,
        })
    }
}

impl Store {
    /// Whether a place code is in the reference places.
    pub async fn place_exists(&self, code: &PlaceCode) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ref_places WHERE code = $1")
            .bind(code.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
