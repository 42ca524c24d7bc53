//! CRM: client/supplier/partner companies (parties), their contacts, leads and activities,
//! lead conversion, and inviting a client contact to the portal.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

/// A party as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySummary {
    /// Party id.
    pub id: Uuid,
    /// Owner company it belongs to.
    pub company_id: Uuid,
    /// `client`, `supplier`, `provider`, `partner` or `reseller`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Town.
    pub town: String,
}

/// A party's editable fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Street.
    pub street: String,
    /// Building number.
    pub building_number: String,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub town: String,
    /// Country (ISO two letters).
    pub country: String,
    /// VAT number.
    pub vat_number: String,
    /// Document language (`fr`, `de`, `en`).
    pub language: String,
    /// Notes.
    pub notes: String,
}

/// A contact person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    /// Contact id.
    pub id: Uuid,
    /// Party.
    pub party_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Job title.
    pub job_title: String,
    /// Document language.
    pub language: String,
    /// Whether they have a portal login.
    pub has_login: bool,
}

/// A party with its details and contacts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRecord {
    /// Party id.
    pub id: Uuid,
    /// Editable fields.
    pub input: PartyInput,
    /// Contacts.
    pub contacts: Vec<ContactView>,
}

/// A contact's editable fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Party.
    pub party_id: Uuid,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Job title.
    pub job_title: String,
    /// Document language.
    pub language: String,
}

/// A lead as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadSummary {
    /// Lead id.
    pub id: Uuid,
    /// Owner company code.
    pub company_code: String,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// Pipeline status.
    pub status: String,
    /// Score 0–100.
    pub score: i32,
    /// Estimated value, minor units.
    pub estimated_value_minor: i64,
    /// Currency.
    pub currency: String,
    /// Source.
    pub source: String,
    /// Last update (RFC 3339).
    pub updated_at: String,
}

/// A lead's editable fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// Contact person's name.
    pub contact_name: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Source.
    pub source: String,
    /// Status.
    pub status: String,
    /// Score 0–100.
    pub score: String,
    /// Estimated value.
    pub estimated_value: String,
    /// Currency.
    pub currency: String,
    /// Reseller party who brought it.
    pub reseller_party_id: Option<Uuid>,
    /// Notes.
    pub notes: String,
}

/// One activity on a lead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    /// Kind: call, email, meeting, note.
    pub kind: String,
    /// What happened.
    pub note: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A lead with its activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadDetail {
    /// Lead id.
    pub id: Uuid,
    /// Editable fields.
    pub input: LeadInput,
    /// Activities, newest first.
    pub activities: Vec<ActivityView>,
    /// Client company created when converted.
    pub party_id: Option<Uuid>,
}

/// What a lead conversion created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    /// New client company.
    pub party_id: Uuid,
    /// New contact.
    pub contact_id: Uuid,
    /// New draft quote.
    pub quote_id: Uuid,
}

/// Lead pipeline statuses, in order.
pub const LEAD_STATUSES: [&str; 7] = [
    "new",
    "contacted",
    "qualified",
    "proposal",
    "negotiation",
    "won",
    "lost",
];
/// Lead sources.
pub const LEAD_SOURCES: [&str; 6] = ["manual", "form", "api", "referral", "reseller", "event"];
/// Party kinds.
pub const PARTY_KINDS: [&str; 5] = ["client", "supplier", "provider", "partner", "reseller"];

/// The parties the caller may see: every party of their companies for staff and the CEO, their
/// own party for portal users. Filter by company, kind and text; sort by name, town or newest.
#[server(endpoint = "crm/parties")]
pub async fn list_parties(
    company_id: Option<Uuid>,
    kind: Option<String>,
    search: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<Vec<PartySummary>, AppError> {
    ssr::list_parties(company_id, kind, search, sort, page.unwrap_or(0)).await
}

/// One party, if the caller may see it.
#[server(endpoint = "crm/party")]
pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
    ssr::get_party(id).await
}

/// One party with its details and contacts (staff).
#[server(endpoint = "crm/party_detail")]
pub async fn party_detail(id: Uuid) -> Result<PartyRecord, AppError> {
    ssr::party_detail(id).await
}

/// Creates (no id) or updates a party; returns its id.
#[server(endpoint = "crm/save_party", input = server_fn::codec::Json)]
pub async fn save_party(id: Option<Uuid>, input: PartyInput) -> Result<Uuid, AppError> {
    ssr::save_party(id, input).await
}

/// Creates (no id) or updates a contact; returns its id.
#[server(endpoint = "crm/save_contact", input = server_fn::codec::Json)]
pub async fn save_contact(id: Option<Uuid>, input: ContactInput) -> Result<Uuid, AppError> {
    ssr::save_contact(id, input).await
}

/// Invites a client contact to the portal: creates their login and emails a link to choose a
/// password.
#[server(endpoint = "crm/invite_contact")]
pub async fn invite_contact(id: Uuid) -> Result<(), AppError> {
    ssr::invite_contact(id).await
}

/// Leads visible to the caller, by status and text.
#[server(endpoint = "crm/leads")]
pub async fn list_leads(
    company_id: Option<Uuid>,
    status: Option<String>,
    search: Option<String>,
    page: Option<u32>,
) -> Result<Vec<LeadSummary>, AppError> {
    ssr::list_leads(company_id, status, search, page.unwrap_or(0)).await
}

/// One lead with its activities.
#[server(endpoint = "crm/lead")]
pub async fn get_lead(id: Uuid) -> Result<LeadDetail, AppError> {
    ssr::get_lead(id).await
}

/// Creates (no id) or updates a lead; returns its id.
#[server(endpoint = "crm/save_lead", input = server_fn::codec::Json)]
pub async fn save_lead(id: Option<Uuid>, input: LeadInput) -> Result<Uuid, AppError> {
    ssr::save_lead(id, input).await
}

/// Logs a call, email, meeting or note on a lead.
#[server(endpoint = "crm/lead_activity")]
pub async fn add_lead_activity(lead_id: Uuid, kind: String, note: String) -> Result<(), AppError> {
    ssr::add_activity(lead_id, kind, note).await
}

/// Turns a lead into a client company, a contact and a draft quote.
#[server(endpoint = "crm/convert_lead")]
pub async fn convert_lead(id: Uuid) -> Result<Conversion, AppError> {
    ssr::convert_lead(id).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::auth::ssr::audit::{self, AuditEvent};
    use crate::auth::ssr::crypto::{digest, random_token};
    use crate::auth::ssr::current::{self, caller, client};
    use crate::auth::ssr::{begin, set_scope, Scope};
    use crate::auth::{Permission, Role};
    use crate::billing::ssr::email::{self, Mail};
    use crate::domain::money::{parse_minor, Currency};
    use crate::error::{FieldError, FieldProblem};
    use crate::i18n::Locale;
    use time::format_description::well_known::Rfc3339;

    fn like(search: Option<String>) -> Option<String> {
        search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.replace('%', "\\%").replace('_', "\\_")))
    }

    /// Collects field problems, then fails with all of them at once.
    #[derive(Default)]
    struct Problems(Vec<FieldError>);

    impl Problems {
        fn check(&mut self, ok: bool, field: &str, problem: FieldProblem) {
            if !ok {
                self.0.push(FieldError {
                    field: field.to_owned(),
                    problem,
                });
            }
        }
        fn text(&mut self, field: &str, value: &str, required: bool, max: u32) {
            let n = value.trim().chars().count();
            if required && n == 0 {
                self.check(false, field, FieldProblem::Required);
            } else if n > max as usize {
                self.check(false, field, FieldProblem::TooLong { max });
            }
        }
        fn email(&mut self, field: &str, value: &str, required: bool) {
            let v = value.trim();
            if v.is_empty() {
                self.check(!required, field, FieldProblem::Required);
            } else if crate::auth::ssr::login::check_email(field, &v.to_lowercase()).is_err() {
                self.check(false, field, FieldProblem::InvalidEmail);
            }
        }
        fn done(self) -> Result<(), AppError> {
            if self.0.is_empty() {
                Ok(())
            } else {
                Err(AppError::Validation(self.0))
            }
        }
    }

    fn opt(value: &str) -> Option<String> {
        let v = value.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn language(value: &str) -> &str {
        match value {
            "de" | "en" => value,
            _ => "fr",
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_parties(
        company_id: Option<Uuid>,
        kind: Option<String>,
        search: Option<String>,
        sort: Option<String>,
        page: u32,
    ) -> Result<Vec<PartySummary>, AppError> {
        let caller = caller()?;
        let scope = caller.list_scope(Permission::CompaniesRead, company_id)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let kind = kind.filter(|k| PARTY_KINDS.contains(&k.as_str()));
        let rows = sqlx::query_as!(
            PartySummary,
            r#"SELECT id, company_id, kind, name, email, town FROM parties
               WHERE company_id = ANY($1)
                 AND ($2::text IS NULL OR kind = $2)
                 AND ($3::text IS NULL OR id IN (SELECT search_ids('party', $3, false)))
               ORDER BY
                 CASE WHEN $4 = 'town' THEN town END,
                 CASE WHEN $4 = 'newest' THEN created_at END DESC,
                 name, id
               LIMIT 50 OFFSET $5"#,
            &scope.company_ids,
            kind,
            like(search),
            sort.unwrap_or_default(),
            page as i64 * 50,
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    #[tracing::instrument(skip_all)]
    pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
        let scope = caller()?.scope(Permission::CompaniesRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        // Row-level security decides visibility: another tenant's party is simply not found.
        let row = sqlx::query_as!(
            PartySummary,
            "SELECT id, company_id, kind, name, email, town FROM parties WHERE id = $1",
            id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(row)
    }

    #[tracing::instrument(skip_all)]
    pub async fn party_detail(id: Uuid) -> Result<PartyRecord, AppError> {
        let caller = caller()?;
        if caller.role.is_portal_party() {
            return Err(AppError::Forbidden);
        }
        let scope = caller.scope(Permission::CompaniesRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let p = sqlx::query!(
            r#"SELECT id, company_id, kind, name, email, phone, street, building_number, postal_code, town,
                      country::text AS "country!", vat_number, language, notes
               FROM parties WHERE id = $1"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let contacts = sqlx::query!(
            r#"SELECT id, party_id, first_name, last_name, email, phone, job_title, language, user_id
               FROM contacts WHERE company_id = $1 AND party_id = $2 ORDER BY last_name, first_name"#,
            p.company_id,
            id
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|c| ContactView {
            id: c.id,
            party_id: c.party_id,
            first_name: c.first_name,
            last_name: c.last_name,
            email: c.email,
            phone: c.phone,
            job_title: c.job_title,
            language: c.language,
            has_login: c.user_id.is_some(),
        })
        .collect();
        tx.commit().await?;
        Ok(PartyRecord {
            id,
            input: PartyInput {
                company_id: p.company_id,
                kind: p.kind,
                name: p.name,
                email: p.email.unwrap_or_default(),
                phone: p.phone.unwrap_or_default(),
                street: p.street,
                building_number: p.building_number,
                postal_code: p.postal_code,
                town: p.town,
                country: p.country,
                vat_number: p.vat_number.unwrap_or_default(),
                language: p.language,
                notes: p.notes,
            },
            contacts,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_party(id: Option<Uuid>, input: PartyInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::CompaniesWrite, input.company_id)?;
        let mut p = Problems::default();
        p.check(
            PARTY_KINDS.contains(&input.kind.as_str()),
            "kind",
            FieldProblem::Invalid,
        );
        p.text("name", &input.name, true, 200);
        p.email("email", &input.email, false);
        p.text("phone", &input.phone, false, 50);
        p.text("street", &input.street, false, 70);
        p.text("building_number", &input.building_number, false, 16);
        p.text("postal_code", &input.postal_code, false, 16);
        p.text("town", &input.town, false, 35);
        let country = if input.country.trim().is_empty() {
            "CH".to_owned()
        } else {
            input.country.trim().to_uppercase()
        };
        p.check(
            country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
            "country",
            FieldProblem::Invalid,
        );
        p.text("vat_number", &input.vat_number, false, 50);
        p.text("notes", &input.notes, false, 5000);
        p.done()?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let email = opt(&input.email).map(|e| e.to_lowercase());
        let saved = match id {
            None => sqlx::query_scalar!(
                r#"INSERT INTO parties (company_id, kind, name, email, phone, street, building_number, postal_code, town,
                                        country, vat_number, language, notes)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"#,
                input.company_id,
                input.kind,
                input.name.trim(),
                email,
                opt(&input.phone),
                input.street.trim(),
                input.building_number.trim(),
                input.postal_code.trim(),
                input.town.trim(),
                country,
                opt(&input.vat_number),
                language(&input.language),
                input.notes.trim(),
            )
            .fetch_one(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar!(
                r#"UPDATE parties SET kind = $3, name = $4, email = $5, phone = $6, street = $7, building_number = $8,
                          postal_code = $9, town = $10, country = $11, vat_number = $12, language = $13, notes = $14,
                          updated_at = now()
                   WHERE id = $1 AND company_id = $2 RETURNING id"#,
                id,
                input.company_id,
                input.kind,
                input.name.trim(),
                email,
                opt(&input.phone),
                input.street.trim(),
                input.building_number.trim(),
                input.postal_code.trim(),
                input.town.trim(),
                country,
                opt(&input.vat_number),
                language(&input.language),
                input.notes.trim(),
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        };
        tx.commit().await?;
        Ok(saved)
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_contact(id: Option<Uuid>, input: ContactInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::ContactsWrite, input.company_id)?;
        let mut p = Problems::default();
        p.text("first_name", &input.first_name, true, 100);
        p.text("last_name", &input.last_name, true, 100);
        p.email("email", &input.email, false);
        p.text("phone", &input.phone, false, 50);
        p.text("job_title", &input.job_title, false, 100);
        p.done()?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let email = opt(&input.email).map(|e| e.to_lowercase());
        let saved = match id {
            None => sqlx::query_scalar!(
                r#"INSERT INTO contacts (company_id, party_id, first_name, last_name, email, phone, job_title, language)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"#,
                input.company_id,
                input.party_id,
                input.first_name.trim(),
                input.last_name.trim(),
                email,
                opt(&input.phone),
                input.job_title.trim(),
                language(&input.language),
            )
            .fetch_one(&mut *tx)
            .await,
            Some(id) => sqlx::query_scalar!(
                r#"UPDATE contacts SET first_name = $4, last_name = $5, email = $6, phone = $7, job_title = $8,
                          language = $9, updated_at = now()
                   WHERE id = $1 AND company_id = $2 AND party_id = $3 RETURNING id"#,
                id,
                input.company_id,
                input.party_id,
                input.first_name.trim(),
                input.last_name.trim(),
                email,
                opt(&input.phone),
                input.job_title.trim(),
                language(&input.language),
            )
            .fetch_one(&mut *tx)
            .await,
        }
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict => AppError::field("email", FieldProblem::Invalid),
            other => other,
        })?;
        tx.commit().await?;
        Ok(saved)
    }

    #[tracing::instrument(skip_all)]
    pub async fn invite_contact(id: Uuid) -> Result<(), AppError> {
        let caller = caller()?;
        let scope = caller.scope(Permission::ContactsWrite)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let contact = sqlx::query!(
            r#"SELECT ct.company_id, ct.party_id, ct.first_name, ct.last_name, ct.email, ct.language, ct.user_id,
                      p.kind, c.name AS company
               FROM contacts ct JOIN parties p ON p.company_id = ct.company_id AND p.id = ct.party_id
               JOIN companies c ON c.id = ct.company_id
               WHERE ct.id = $1 FOR UPDATE OF ct"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        caller.require(Permission::ContactsWrite, contact.company_id)?;
        if contact.kind != "client" {
            return Err(AppError::Conflict);
        }
        let email = contact
            .email
            .clone()
            .ok_or_else(|| AppError::field("email", FieldProblem::Required))?;
        // Creating a login is the identity machinery's work.
        set_scope(&mut tx, &Scope::system()).await?;
        let existing = sqlx::query!("SELECT id, role FROM users WHERE email = $1", email)
            .fetch_optional(&mut *tx)
            .await?;
        let user_id = match existing {
            Some(user) if user.role != Role::Client.as_str() => return Err(AppError::Conflict),
            Some(user) => user.id,
            None => sqlx::query_scalar!(
                r#"INSERT INTO users (email, display_name, role, locale) VALUES ($1, $2, 'client', $3) RETURNING id"#,
                email,
                format!("{} {}", contact.first_name, contact.last_name),
                contact.language,
            )
            .fetch_one(&mut *tx)
            .await?,
        };
        sqlx::query!(
            r#"INSERT INTO memberships (user_id, company_id, party_id) VALUES ($1, $2, $3)
               ON CONFLICT (user_id, company_id) DO UPDATE SET party_id = EXCLUDED.party_id"#,
            user_id,
            contact.company_id,
            contact.party_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE contacts SET user_id = $2 WHERE id = $1",
            id,
            user_id
        )
        .execute(&mut *tx)
        .await?;
        let token = random_token().map_err(|_| AppError::Internal)?;
        sqlx::query!(
            "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + interval '7 days')",
            digest(&token),
            user_id
        )
        .execute(&mut *tx)
        .await?;
        let link = format!("{}/reset-password?token={token}", state.auth.public_url);
        email::queue(
            &mut tx,
            contact.company_id,
            Some(contact.party_id),
            &email,
            Locale::parse(&contact.language).unwrap_or_default(),
            Mail::PortalInvitation {
                company: &contact.company,
            },
            &link,
        )
        .await?;
        audit::record(
            &mut tx,
            &client(),
            AuditEvent::PortalInvitation,
            Some(caller.user_id),
            serde_json::json!({ "contact": id, "user": user_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn list_leads(
        company_id: Option<Uuid>,
        status: Option<String>,
        search: Option<String>,
        page: u32,
    ) -> Result<Vec<LeadSummary>, AppError> {
        let caller = caller()?;
        let scope = caller.list_scope(Permission::LeadsRead, company_id)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let rows = sqlx::query!(
            r#"SELECT l.id, c.code, l.title, l.organisation, l.status, l.score, l.estimated_value_minor,
                      l.currency::text AS "currency!", l.source, l.updated_at
               FROM leads l JOIN companies c ON c.id = l.company_id
               WHERE l.company_id = ANY($1)
                 AND ($2::text IS NULL OR l.status = $2)
                 AND ($3::text IS NULL OR l.id IN (SELECT search_ids('lead', $3, false)))
               ORDER BY l.updated_at DESC LIMIT 50 OFFSET $4"#,
            &scope.company_ids,
            status.filter(|s| LEAD_STATUSES.contains(&s.as_str())),
            like(search),
            page as i64 * 50,
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|r| LeadSummary {
                id: r.id,
                company_code: r.code,
                title: r.title,
                organisation: r.organisation,
                status: r.status,
                score: r.score,
                estimated_value_minor: r.estimated_value_minor,
                currency: r.currency,
                source: r.source,
                updated_at: r.updated_at.format(&Rfc3339).unwrap_or_default(),
            })
            .collect())
    }

    #[tracing::instrument(skip_all)]
    pub async fn get_lead(id: Uuid) -> Result<LeadDetail, AppError> {
        let scope = caller()?.scope(Permission::LeadsRead)?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let l = sqlx::query!(
            r#"SELECT company_id, title, organisation, contact_name, email, phone, source, status, score,
                      estimated_value_minor, currency::text AS "currency!", reseller_party_id, party_id, notes
               FROM leads WHERE id = $1"#,
            id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let activities = sqlx::query!(
            "SELECT kind, note, at FROM lead_activities WHERE company_id = $1 AND lead_id = $2 ORDER BY at DESC",
            l.company_id,
            id
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|a| ActivityView {
            kind: a.kind,
            note: a.note,
            at: a.at.format(&Rfc3339).unwrap_or_default(),
        })
        .collect();
        tx.commit().await?;
        Ok(LeadDetail {
            id,
            input: LeadInput {
                company_id: l.company_id,
                title: l.title,
                organisation: l.organisation,
                contact_name: l.contact_name,
                email: l.email.unwrap_or_default(),
                phone: l.phone.unwrap_or_default(),
                source: l.source,
                status: l.status,
                score: l.score.to_string(),
                estimated_value: crate::domain::money::format_plain(l.estimated_value_minor),
                currency: l.currency,
                reseller_party_id: l.reseller_party_id,
                notes: l.notes,
            },
            activities,
            party_id: l.party_id,
        })
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_lead(id: Option<Uuid>, input: LeadInput) -> Result<Uuid, AppError> {
        let caller = caller()?;
        let scope = caller.scope_in(Permission::LeadsWrite, input.company_id)?;
        let mut p = Problems::default();
        p.text("title", &input.title, true, 200);
        p.text("organisation", &input.organisation, false, 200);
        p.text("contact_name", &input.contact_name, false, 200);
        p.email("email", &input.email, false);
        p.check(
            LEAD_SOURCES.contains(&input.source.as_str()),
            "source",
            FieldProblem::Invalid,
        );
        p.check(
            LEAD_STATUSES.contains(&input.status.as_str()),
            "status",
            FieldProblem::Invalid,
        );
        let score = if input.score.trim().is_empty() {
            Some(0)
        } else {
            input
                .score
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|s| (0..=100).contains(s))
        };
        p.check(score.is_some(), "score", FieldProblem::Invalid);
        let value = if input.estimated_value.trim().is_empty() {
            Some(0)
        } else {
            parse_minor(&input.estimated_value).ok().filter(|v| *v >= 0)
        };
        p.check(value.is_some(), "estimated_value", FieldProblem::Invalid);
        let currency = Currency::parse(&input.currency);
        p.check(currency.is_some(), "currency", FieldProblem::Invalid);
        p.done()?;
        // A reseller's lead is always theirs: the party comes from the session, never the form.
        let reseller = if caller.role == Role::Reseller {
            caller
                .memberships
                .iter()
                .find(|m| m.company_id == input.company_id)
                .and_then(|m| m.party_id)
        } else {
            input.reseller_party_id
        };
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let saved = match id {
            None => sqlx::query_scalar!(
                r#"INSERT INTO leads (company_id, title, organisation, contact_name, email, phone, source, status, score,
                                      estimated_value_minor, currency, reseller_party_id, notes)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"#,
                input.company_id,
                input.title.trim(),
                input.organisation.trim(),
                input.contact_name.trim(),
                opt(&input.email).map(|e| e.to_lowercase()),
                opt(&input.phone),
                input.source,
                input.status,
                score,
                value,
                currency.map(|c| c.code()),
                reseller,
                input.notes.trim(),
            )
            .fetch_one(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar!(
                r#"UPDATE leads SET title = $3, organisation = $4, contact_name = $5, email = $6, phone = $7, source = $8,
                          status = $9, score = $10, estimated_value_minor = $11, currency = $12, reseller_party_id = $13,
                          notes = $14, updated_at = now()
                   WHERE id = $1 AND company_id = $2 RETURNING id"#,
                id,
                input.company_id,
                input.title.trim(),
                input.organisation.trim(),
                input.contact_name.trim(),
                opt(&input.email).map(|e| e.to_lowercase()),
                opt(&input.phone),
                input.source,
                input.status,
                score,
                value,
                currency.map(|c| c.code()),
                reseller,
                input.notes.trim(),
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        };
        tx.commit().await?;
        Ok(saved)
    }

    #[tracing::instrument(skip_all)]
    pub async fn add_activity(lead_id: Uuid, kind: String, note: String) -> Result<(), AppError> {
        let caller = caller()?;
        let scope = caller.scope(Permission::LeadsWrite)?;
        let mut p = Problems::default();
        p.check(
            ["call", "email", "meeting", "note"].contains(&kind.as_str()),
            "kind",
            FieldProblem::Invalid,
        );
        p.text("note", &note, true, 5000);
        p.done()?;
        let state = current::state();
        let mut tx = begin(&state.pool, &scope).await?;
        let company_id = sqlx::query_scalar!("SELECT company_id FROM leads WHERE id = $1", lead_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        caller.require(Permission::LeadsWrite, company_id)?;
        sqlx::query!(
            "INSERT INTO lead_activities (company_id, lead_id, kind, note, user_id) VALUES ($1, $2, $3, $4, $5)",
            company_id,
            lead_id,
            kind,
            note.trim(),
            caller.user_id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"UPDATE leads SET last_activity_at = now(), updated_at = now(),
                      status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END
               WHERE company_id = $1 AND id = $2"#,
            company_id,
            lead_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn convert_lead(id: Uuid) -> Result<Conversion, AppError> {
        let caller = caller()?;
        if caller.role.is_portal_party() {
            return Err(AppError::Forbidden);
        }
        let state = current::state();
        let lead = get_lead(id).await?;
        caller.require(Permission::CompaniesWrite, lead.input.company_id)?;
        caller.require(Permission::QuotesWrite, lead.input.company_id)?;
        if lead.party_id.is_some() {
            return Err(AppError::Conflict);
        }
        let organisation = if lead.input.organisation.trim().is_empty() {
            lead.input.contact_name.clone()
        } else {
            lead.input.organisation.clone()
        };
        if organisation.trim().is_empty() {
            return Err(AppError::field("organisation", FieldProblem::Required));
        }
        let scope = caller.scope_in(Permission::CompaniesWrite, lead.input.company_id)?;
        let mut tx = begin(&state.pool, &scope).await?;
        let company_id = lead.input.company_id;
        let email = opt(&lead.input.email);
        let party_id = sqlx::query_scalar!(
            "INSERT INTO parties (company_id, kind, name, email, phone) VALUES ($1, 'client', $2, $3, $4) RETURNING id",
            company_id,
            organisation.trim(),
            email,
            opt(&lead.input.phone),
        )
        .fetch_one(&mut *tx)
        .await?;
        let name = if lead.input.contact_name.trim().is_empty() {
            organisation.clone()
        } else {
            lead.input.contact_name.clone()
        };
        let (first, last) = name.trim().split_once(' ').unwrap_or((name.trim(), "-"));
        let contact_id = sqlx::query_scalar!(
            "INSERT INTO contacts (company_id, party_id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            company_id,
            party_id,
            first,
            last,
            email,
            opt(&lead.input.phone),
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE leads SET party_id = $3, contact_id = $4, status = 'proposal', updated_at = now() WHERE company_id = $1 AND id = $2",
            company_id,
            id,
            party_id,
            contact_id
        )
        .execute(&mut *tx)
        .await?;
        let today = crate::domain::calendar::today();
        let value = parse_minor(&lead.input.estimated_value).unwrap_or(0).max(0);
        let quote_id = crate::billing::ssr::quotes::create_in(
            &mut tx,
            &caller,
            &crate::billing::QuoteInput {
                company_id,
                party_id,
                contact_id: Some(contact_id),
                title: lead.input.title.clone(),
                currency: Currency::parse(&lead.input.currency).unwrap_or(Currency::CHF),
                valid_until: crate::domain::calendar::iso_date(today + time::Duration::days(30)),
                project_type: String::new(),
                deposit_percent: String::new(),
                notes: String::new(),
                lines: vec![crate::billing::LineInput {
                    product_id: None,
                    description: lead.input.title.clone(),
                    quantity: "1".into(),
                    unit: "pce".into(),
                    unit_price: crate::domain::money::format_plain(value),
                    discount: String::new(),
                    vat_code: crate::domain::vat::VatCode::Standard,
                    service_date: crate::domain::calendar::iso_date(today),
                }],
            },
        )
        .await?;
        sqlx::query!(
            "UPDATE quotes SET lead_id = $3 WHERE company_id = $1 AND id = $2",
            company_id,
            quote_id,
            id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Conversion {
            party_id,
            contact_id,
            quote_id,
        })
    }
}
