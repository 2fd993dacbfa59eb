//! Origin certificates: stored once when issued, read by anyone who has the verification code.

use serde_json::json;
use sqlx::Row;
use vocab::UserId;

use crate::audit::{append, AuditContext};
use crate::{Store, StoreError, Timestamp};

/// A certificate to store: the check's outcome frozen as JSON.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// Verification code (unique, random, shown on the certificate).
    pub code: String,
    /// Product name.
    pub product_name: String,
    /// Product class code.
    pub product_class: String,
    /// Hong Kong share as displayed (`62.50`).
    pub share_pct: String,
    /// Threshold as displayed (`60`).
    pub threshold_pct: String,
    /// The whole report, as JSON text.
    pub report_json: String,
    /// Who asked for it, if signed in.
    pub issued_by: Option<UserId>,
}

/// A stored certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// Verification code.
    pub code: String,
    /// Product name.
    pub product_name: String,
    /// Product class code.
    pub product_class: String,
    /// Hong Kong share as displayed.
    pub share_pct: String,
    /// Threshold as displayed.
    pub threshold_pct: String,
    /// The whole report, as JSON text.
    pub report_json: String,
    /// When issued (RFC 3339 UTC).
    pub issued_at: String,
}

impl Store {
    /// Stores a certificate; a code already in use is a [`StoreError::Conflict`].
    pub async fn issue_certificate(
        &self,
        ctx: &AuditContext,
        cert: &NewCertificate,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let taken: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM origin_certificates WHERE code = $1")
                .bind(&cert.code)
                .fetch_one(&mut *tx)
                .await?;
        if taken > 0 {
            return Err(StoreError::Conflict(format!(
                "certificate code {} is already in use",
                cert.code
            )));
        }
        sqlx::query(
            "INSERT INTO origin_certificates (code, product_name, product_class, share_pct, threshold_pct, report_json, issued_at, issued_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&cert.code)
        .bind(&cert.product_name)
        .bind(&cert.product_class)
        .bind(&cert.share_pct)
        .bind(&cert.threshold_pct)
        .bind(&cert.report_json)
        .bind(Timestamp::now().to_text())
        .bind(cert.issued_by.map(UserId::get))
        .execute(&mut *tx)
        .await?;
        let detail = json!({"product": cert.product_name, "class": cert.product_class, "share_pct": cert.share_pct});
        append(
            &mut tx,
            &ctx.entry(
                "origin_certificate.issue",
                "origin_certificate",
                &cert.code,
                detail,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The certificate with this verification code.
    pub async fn certificate(&self, code: &str) -> Result<CertificateRecord, StoreError> {
        let row = sqlx::query(
            "SELECT code, product_name, product_class, share_pct, threshold_pct, report_json, issued_at \
             FROM origin_certificates WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(CertificateRecord {
            code: row.try_get("code")?,
            product_name: row.try_get("product_name")?,
            product_class: row.try_get("product_class")?,
            share_pct: row.try_get("share_pct")?,
            threshold_pct: row.try_get("threshold_pct")?,
            report_json: row.try_get("report_json")?,
            issued_at: row.try_get("issued_at")?,
        })
    }
}
