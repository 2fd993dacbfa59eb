//! The origin check over the API: check a product, issue a certificate, look one up.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use origin::{
    ClassCode, ItemCode, Material, MaterialParts, OriginReport, ProcessStep, Product, ProductParts,
    StepParts,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vocab::{CountryCode, Currency, Money};

use crate::api::{ApiJson, ApiPath, SignedIn};
use crate::error::ApiError;
use crate::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_product))
        .routes(routes!(issue_certificate))
        .routes(routes!(get_certificate))
}

/// A material of the bill of materials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaterialInput {
    /// Code, unique within the product (lowercase, digits and dashes).
    pub code: String,
    /// What it is.
    pub item: String,
    /// Cost per unit of product, exact decimal (`"420.00"`).
    pub cost: String,
    /// ISO country code of origin (`HK`, `CN`, ...).
    pub origin: String,
    /// Whether it can be had in Hong Kong (default true); only then can it be excluded from the base if the class allows.
    pub available_in_hk: Option<bool>,
}

/// A process step.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// Code, unique within the product.
    pub code: String,
    /// What is done.
    pub step: String,
    /// Cost per unit of product, exact decimal.
    pub cost: String,
    /// ISO country code where it is done.
    pub place: String,
    /// Whether the product marks it essential (the class adds its own).
    pub essential: Option<bool>,
}

/// A product to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// Product name.
    pub name: String,
    /// Product class (`industrial`, `food`, `electronics`).
    pub class: String,
    /// Currency of every cost (HKD when omitted).
    pub currency: Option<String>,
    /// Bill of materials (at least one).
    pub materials: Vec<MaterialInput>,
    /// Process steps.
    pub steps: Vec<StepInput>,
}

/// Parses the wire product into the domain type, naming the first bad field by its path.
pub(crate) fn parse_product(
    rules: &origin::RuleBook,
    input: ProductInput,
) -> Result<Product, ApiError> {
    let class = ClassCode::parse(&input.class).map_err(|e| ApiError::field("class", e))?;
    if rules.class(&class).is_none() {
        let known: Vec<&str> = rules.classes().iter().map(|c| c.code().as_str()).collect();
        return Err(ApiError::field(
            "class",
            format!(
                "unknown product class \"{class}\"; known: {}",
                known.join(", ")
            ),
        ));
    }
    let currency = match input.currency.as_deref() {
        None => Currency::Hkd,
        Some(code) => Currency::parse(code).map_err(|e| ApiError::field("currency", e))?,
    };
    let money = |path: String, text: &str| {
        Money::parse_amount(text, currency).map_err(|e| ApiError::field(&path, e))
    };
    let code =
        |path: String, text: &str| ItemCode::parse(text).map_err(|e| ApiError::field(&path, e));
    let country =
        |path: String, text: &str| CountryCode::parse(text).map_err(|e| ApiError::field(&path, e));
    let mut materials = Vec::with_capacity(input.materials.len());
    for (i, m) in input.materials.into_iter().enumerate() {
        let at = |field: &str| format!("materials[{i}].{field}");
        let parts = MaterialParts {
            code: code(at("code"), &m.code)?,
            item: m.item,
            cost: money(at("cost"), &m.cost)?,
            origin: country(at("origin"), &m.origin)?,
            available_in_hk: m.available_in_hk.unwrap_or(true),
        };
        materials.push(
            Material::new(parts).map_err(|e| ApiError::field(&format!("materials[{i}]"), e))?,
        );
    }
    let mut steps = Vec::with_capacity(input.steps.len());
    for (i, s) in input.steps.into_iter().enumerate() {
        let at = |field: &str| format!("steps[{i}].{field}");
        let parts = StepParts {
            code: code(at("code"), &s.code)?,
            step: s.step,
            cost: money(at("cost"), &s.cost)?,
            place: country(at("place"), &s.place)?,
            essential: s.essential.unwrap_or(false),
        };
        steps
            .push(ProcessStep::new(parts).map_err(|e| ApiError::field(&format!("steps[{i}]"), e))?);
    }
    Product::new(ProductParts {
        name: input.name,
        class,
        materials,
        steps,
    })
    .map_err(|e| ApiError::field("product", e))
}

pub(crate) fn run_check(
    rules: &origin::RuleBook,
    product: &Product,
) -> Result<OriginReport, ApiError> {
    origin::check(rules, product).map_err(|e| ApiError::field("product", e))
}

/// Checks a product against the Brand Hong Kong origin rule of its class and returns the
/// computation: every term, the share, the essential steps, and the cheapest change that
/// would make it qualify.
#[utoipa::path(post, path = "/origin/check", tag = "origin", request_body = ProductInput,
    responses((status = 200, description = "The origin report", body = Object), (status = 400, body = crate::error::ErrorBody)))]
async fn check_product(
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<Json<OriginReport>, ApiError> {
    let rules = origin::default_rules();
    let product = parse_product(&rules, input)?;
    Ok(Json(run_check(&rules, &product)?))
}

/// A certificate as returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateDto {
    /// Verification code: anyone can look the certificate up with it.
    pub code: String,
    /// Product name.
    pub product: String,
    /// Product class.
    pub class: String,
    /// Hong Kong share of the manufacturing cost, percent.
    pub share_pct: String,
    /// Threshold of the class, percent.
    pub threshold_pct: String,
    /// When issued (RFC 3339 UTC).
    pub issued_at: String,
    /// Page of the printable certificate.
    pub url: String,
    /// The whole report as computed when issued.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

impl CertificateDto {
    pub(crate) fn from_record(record: store::CertificateRecord) -> CertificateDto {
        CertificateDto {
            url: format!("/origin/certificates/{}", record.code),
            report: serde_json::from_str(&record.report_json).unwrap_or(serde_json::Value::Null),
            code: record.code,
            product: record.product_name,
            class: record.product_class,
            share_pct: record.share_pct,
            threshold_pct: record.threshold_pct,
            issued_at: record.issued_at,
        }
    }
}

/// Checks the product again and, if it qualifies, stores a certificate and returns its code.
pub(crate) async fn issue(
    state: &AppState,
    caller: &store::AuditContext,
    user: &store::UserRecord,
    report: &OriginReport,
) -> Result<String, ApiError> {
    if !report.qualifies {
        return Err(ApiError::BadRequest {
            code: "does_not_qualify",
            message:
                "the product does not qualify, so no certificate can be issued; see the check's fix"
                    .into(),
        });
    }
    let report_json = serde_json::to_string(report).map_err(|e| ApiError::Internal(e.into()))?;
    // A collision of two random 58-bit codes is vanishingly unlikely; retry once anyway.
    for _ in 0..2 {
        let certificate = store::NewCertificate {
            code: auth::verification_code(),
            product_name: report.product.clone(),
            product_class: report.class.as_str().to_owned(),
            share_pct: report.share.map(|s| s.to_string()).unwrap_or_default(),
            threshold_pct: report.threshold.to_string(),
            report_json: report_json.clone(),
            issued_by: Some(user.id),
        };
        match state.store().issue_certificate(caller, &certificate).await {
            Ok(()) => return Ok(certificate.code),
            Err(store::StoreError::Conflict(_)) => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Err(ApiError::Conflict(
        "could not find a free verification code; try again".into(),
    ))
}

/// Issues a certificate for a qualifying product (signed-in users; the check is run again here).
#[utoipa::path(post, path = "/origin/certificates", tag = "origin", security(("bearer" = [])), request_body = ProductInput,
    responses((status = 201, body = CertificateDto), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
async fn issue_certificate(
    State(state): State<AppState>,
    caller: SignedIn,
    ApiJson(input): ApiJson<ProductInput>,
) -> Result<(StatusCode, Json<CertificateDto>), ApiError> {
    let user = &caller.user;
    let rules = origin::default_rules();
    let product = parse_product(&rules, input)?;
    let report = run_check(&rules, &product)?;
    let code = issue(&state, &caller.audit(), user, &report).await?;
    let record = state.store().certificate(&code).await?;
    Ok((
        StatusCode::CREATED,
        Json(CertificateDto::from_record(record)),
    ))
}

/// Looks a certificate up by its verification code (anyone may).
#[utoipa::path(get, path = "/origin/certificates/{code}", tag = "origin",
    params(("code" = String, Path, description = "Verification code, e.g. HK-7F3K-Q9XZ-M2PA")),
    responses((status = 200, body = CertificateDto), (status = 404, body = crate::error::ErrorBody)))]
async fn get_certificate(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<CertificateDto>, ApiError> {
    let code = code.trim().to_ascii_uppercase();
    let record = state
        .store()
        .certificate(&code)
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => {
                ApiError::NotFound(format!("no certificate with code {code}"))
            }
            other => other.into(),
        })?;
    Ok(Json(CertificateDto::from_record(record)))
}
