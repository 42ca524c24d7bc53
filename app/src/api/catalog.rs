//! Catalogue (products), VAT rates, deposit rules, terms of sale, and the email outbox.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::vat::VatCode;
use crate::error::AppError;

/// A product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductView {
    /// Product id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Stock-keeping unit.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Unit label.
    pub unit: String,
    /// Unit price, minor units.
    pub unit_price_minor: i64,
    /// Currency code.
    pub currency: String,
    /// Default VAT category.
    pub vat_code: VatCode,
    /// Offered in new quotes.
    pub active: bool,
}

/// A product's editable fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    /// Owner company.
    pub company_id: Uuid,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Unit label.
    pub unit: String,
    /// Unit price as typed.
    pub unit_price: String,
    /// Currency code.
    pub currency: String,
    /// VAT category.
    pub vat_code: VatCode,
    /// Offered in new quotes.
    pub active: bool,
}

/// A VAT rate period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatRateView {
    /// Category.
    pub code: VatCode,
    /// From.
    pub valid_from: String,
    /// Until (empty while current).
    pub valid_to: String,
    /// Rate, basis points.
    pub rate_bp: i32,
}

/// A terms-of-sale version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsVersionView {
    /// Id.
    pub id: Uuid,
    /// Owner company.
    pub company_id: Uuid,
    /// Version number.
    pub version: i32,
    /// `draft`, `active` or `archived`.
    pub status: String,
    /// Title.
    pub title: String,
    /// Text.
    pub content: String,
    /// SHA-256 of the text.
    pub content_hash: String,
    /// In force from.
    pub effective_date: String,
}

/// A queued or sent email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailView {
    /// Id.
    pub id: Uuid,
    /// Kind (`quote_sent`, `password_reset`, ...).
    pub kind: String,
    /// Recipient.
    pub to_address: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body_text: String,
    /// Queued at (RFC 3339).
    pub created_at: String,
    /// Sent at, once sent.
    pub sent_at: Option<String>,
    /// Delivery attempts.
    pub attempts: i32,
    /// Last delivery error.
    pub last_error: Option<String>,
}

/// Products of the caller's companies.
#[server(endpoint = "catalog/products")]
pub async fn list_products(
    company_id: Option<Uuid>,
    search: Option<String>,
) -> Result<Vec<ProductView>, AppError> {
    ssr::list_products(company_id, search).await
}

/// Creates (no id) or updates a product.
#[server(endpoint = "catalog/save_product", input = server_fn::codec::Json)]
pub async fn save_product(id: Option<Uuid>, input: ProductInput) -> Result<Uuid, AppError> {
    ssr::save_product(id, input).await
}

/// The VAT rates and their validity periods.
#[server(endpoint = "catalog/vat_rates")]
pub async fn vat_rates() -> Result<Vec<VatRateView>, AppError> {
    ssr::vat_rates().await
}

/// Terms-of-sale versions of a company.
#[server(endpoint = "terms/list")]
pub async fn list_terms(company_id: Uuid) -> Result<Vec<TermsVersionView>, AppError> {
    ssr::list_terms(company_id).await
}

/// Creates (no id) or updates a draft terms version.
#[server(endpoint = "terms/save")]
pub async fn save_terms(
    id: Option<Uuid>,
    company_id: Uuid,
    title: String,
    content: String,
    effective_date: String,
) -> Result<Uuid, AppError> {
    ssr::save_terms(id, company_id, title, content, effective_date).await
}

/// Puts a draft version in force; the previous one is archived.
#[server(endpoint = "terms/activate")]
pub async fn activate_terms(id: Uuid) -> Result<(), AppError> {
    ssr::activate_terms(id).await
}

/// The email outbox of the caller's companies, newest first.
#[server(endpoint = "emails/list")]
pub async fn list_emails(
    company_id: Option<Uuid>,
    page: Option<u32>,
) -> Result<Vec<EmailView>, AppError> {
    ssr::list_emails(company_id, page.unwrap_or(0)).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::begin;
    use crate::auth::ssr::crypto::hex_digest;
    use crate::auth::ssr::current::{self, caller};
    use crate::auth::Permission;
    use crate::domain::calendar::{iso_date, parse_date};
    use crate::domain::money::{parse_minor, Currency};
    use crate::error::FieldProblem;
    use time::format_description::well_known::Rfc3339;

    #[tracing::instrument(skip_all)]
    pub async fn list_products(
        company_id: Option<Uuid>,
        search: Option<String>,
    ) -> Result<Vec<ProductView>, AppError> {
        let caller = caller()?;
        let scope = caller.list_scope(Permission::ProductsRead, company_id)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let search = crate::domain::text::search_pattern("search", search.as_deref())?;
        let rows = sqlx::query!(
            r#"SELECT id, company_id, sku, name, description, unit, unit_price_minor, currency::text AS "currency!", vat_code AS "vat_code: VatCode", active
               FROM products WHERE company_id = ANY($1) AND ($2::text IS NULL OR sku ILIKE $2 OR name ILIKE $2)
               ORDER BY name LIMIT 500"#,
            &scope.company_ids,
            search
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| ProductView {
                id: r.id,
                company_id: r.company_id,
                sku: r.sku,
                name: r.name,
                description: r.description,
                unit: r.unit,
                unit_price_minor: r.unit_price_minor,
                currency: r.currency,
                vat_code: r.vat_code,
                active: r.active,
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_product(id: Option<Uuid>, input: ProductInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::ProductsWrite, input.company_id)?;
        let sku = input.sku.trim();
        if sku.is_empty() {
            return Err(AppError::field("sku", FieldProblem::Required));
        }
        if sku.chars().count() > 50 {
            return Err(AppError::field("sku", FieldProblem::TooLong { max: 50 }));
        }
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::field("name", FieldProblem::Required));
        }
        let price = parse_minor(&input.unit_price)
            .ok()
            .filter(|p| *p >= 0)
            .ok_or_else(|| AppError::field("unit_price", FieldProblem::Invalid))?;
        let currency = Currency::parse(&input.currency)
            .ok_or_else(|| AppError::field("currency", FieldProblem::Invalid))?;
        let unit = if input.unit.trim().is_empty() {
            "pce"
        } else {
            input.unit.trim()
        };
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let saved = match id {
            None => sqlx::query_scalar!(
                r#"INSERT INTO products (company_id, sku, name, description, unit, unit_price_minor, currency, vat_code, active)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"#,
                input.company_id,
                sku,
                name,
                input.description.trim(),
                unit,
                price,
                currency.code(),
                input.vat_code.as_str(),
                input.active
            )
            .fetch_one(&mut *tx)
            .await,
            Some(id) => sqlx::query_scalar!(
                r#"UPDATE products SET sku = $3, name = $4, description = $5, unit = $6, unit_price_minor = $7, currency = $8,
                          vat_code = $9, active = $10
                   WHERE id = $1 AND company_id = $2 RETURNING id"#,
                id,
                input.company_id,
                sku,
                name,
                input.description.trim(),
                unit,
                price,
                currency.code(),
                input.vat_code.as_str(),
                input.active
            )
            .fetch_one(&mut *tx)
            .await,
        }
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict => AppError::field("sku", FieldProblem::Invalid),
            other => other,
        })?;
        tx.commit().await?;
        Ok(saved)
    }

    #[tracing::instrument(skip_all)]
    pub async fn vat_rates() -> Result<Vec<VatRateView>, AppError> {
        let caller = caller()?;
        let scope = caller.own_scope();
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query!(
            "SELECT code, valid_from, valid_to, rate_bp FROM vat_rates ORDER BY code, valid_from"
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(VatRateView {
                    code: VatCode::parse(&r.code)?,
                    valid_from: iso_date(r.valid_from),
                    valid_to: r.valid_to.map(iso_date).unwrap_or_default(),
                    rate_bp: r.rate_bp,
                })
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_terms(company_id: Uuid) -> Result<Vec<TermsVersionView>, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::TermsRead, company_id)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query!(
            r#"SELECT id, company_id, version, status, title, content, content_hash, effective_date
               FROM terms_versions WHERE company_id = $1 ORDER BY version DESC"#,
            company_id
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| TermsVersionView {
                id: r.id,
                company_id: r.company_id,
                version: r.version,
                status: r.status,
                title: r.title,
                content: r.content,
                content_hash: r.content_hash,
                effective_date: iso_date(r.effective_date),
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_terms(
        id: Option<Uuid>,
        company_id: Uuid,
        title: String,
        content: String,
        effective_date: String,
    ) -> Result<Uuid, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::TermsWrite, company_id)?;
        let title = title.trim();
        if title.is_empty() {
            return Err(AppError::field("title", FieldProblem::Required));
        }
        if content.trim().is_empty() {
            return Err(AppError::field("content", FieldProblem::Required));
        }
        let effective = parse_date("effective_date", &effective_date)?;
        let hash = hex_digest(content.as_bytes());
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let saved = match id {
            None => sqlx::query_scalar!(
                r#"INSERT INTO terms_versions (company_id, version, title, content, content_hash, effective_date)
                   VALUES ($1, (SELECT COALESCE(max(version), 0) + 1 FROM terms_versions WHERE company_id = $1), $2, $3, $4, $5)
                   RETURNING id"#,
                company_id,
                title,
                content,
                hash,
                effective
            )
            .fetch_one(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar!(
                r#"UPDATE terms_versions SET title = $3, content = $4, content_hash = $5, effective_date = $6
                   WHERE id = $1 AND company_id = $2 AND status = 'draft' RETURNING id"#,
                id,
                company_id,
                title,
                content,
                hash,
                effective
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::Conflict)?,
        };
        tx.commit().await?;
        Ok(saved)
    }

    #[tracing::instrument(skip_all)]
    pub async fn activate_terms(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let scope = caller.scope(Permission::TermsWrite)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let company_id = sqlx::query_scalar!(
            "SELECT company_id FROM terms_versions WHERE id = $1 AND status = 'draft' FOR UPDATE",
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::Conflict)?;
        caller.require(Permission::TermsWrite, company_id)?;
        sqlx::query!(
            "UPDATE terms_versions SET status = 'archived' WHERE company_id = $1 AND status = 'active'",
            company_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE terms_versions SET status = 'active', activated_at = now() WHERE company_id = $1 AND id = $2",
            company_id,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_emails(
        company_id: Option<Uuid>,
        page: u32,
    ) -> Result<Vec<EmailView>, AppError> {
        let caller = caller()?;
        if caller.role.is_portal_party() {
            return Err(AppError::Forbidden);
        }
        let scope = caller.list_scope(Permission::SettingsRead, company_id)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query!(
            r#"SELECT id, kind, to_address, subject, body_text, created_at, sent_at, attempts, last_error
               FROM email_outbox WHERE company_id = ANY($1)
               ORDER BY created_at DESC LIMIT 50 OFFSET $2"#,
            &scope.company_ids,
            page as i64 * 50
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        // A link that grants access is sealed in the outbox; the page says it was sent.
        let withheld = format!(
            "[{}]",
            crate::i18n::AdminMsg::LinkWithheld.text(crate::i18n::current_locale())
        );
        Ok(rows
            .into_iter()
            .map(|r| EmailView {
                id: r.id,
                kind: r.kind,
                to_address: r.to_address,
                subject: r.subject,
                body_text: r
                    .body_text
                    .replace(crate::billing::ssr::email::LINK_PLACEHOLDER, &withheld),
                created_at: r.created_at.format(&Rfc3339).unwrap_or_default(),
                sent_at: r.sent_at.and_then(|t| t.format(&Rfc3339).ok()),
                attempts: r.attempts,
                last_error: r.last_error,
            })
            .collect())
    }
}
