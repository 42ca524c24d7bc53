//! CRM: parties, contacts, leads and their activities, lead conversion, inviting a client
//! contact to the portal. Thin shims over `crm::ssr` (and `admin::ssr` for the invitation).

use leptos::prelude::*;
use uuid::Uuid;

use crate::admin::InviteOutcome;
use crate::crm::{
    ContactInput, Conversion, LeadDetail, LeadInput, PartyInput, PartyRecord, PartySummary,
};
use crate::domain::status::{ActivityKind, PartyKind};
use crate::error::AppError;

/// Parties of a company to pick from (up to 50, matching `search`, by name).
#[server(endpoint = "crm/party_choices")]
pub async fn party_choices(
    company_id: Uuid,
    kind: Option<PartyKind>,
    search: Option<String>,
) -> Result<Vec<PartySummary>, AppError> {
    ssr::party_choices(company_id, kind, search).await
}

/// One party, as far as the caller may see it.
#[server(endpoint = "crm/party")]
pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
    ssr::get_party(id).await
}

/// A party with its details and contacts (staff).
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

/// Invites a client contact to the client portal (a link for a new account, a notice for an
/// existing one).
#[server(endpoint = "crm/invite_contact")]
pub async fn invite_contact(id: Uuid) -> Result<InviteOutcome, AppError> {
    ssr::invite_contact(id).await
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
pub async fn add_lead_activity(
    lead_id: Uuid,
    kind: ActivityKind,
    note: String,
) -> Result<(), AppError> {
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
    use crate::auth::ssr::current::{self, caller, client};
    use crate::crm::ssr::{contacts, leads, parties};

    #[tracing::instrument(skip_all, fields(%company_id))]
    pub async fn party_choices(
        company_id: Uuid,
        kind: Option<PartyKind>,
        search: Option<String>,
    ) -> Result<Vec<PartySummary>, AppError> {
        let caller = caller()?;
        parties::choices(
            &current::state().pool,
            &caller,
            company_id,
            kind,
            search.as_deref(),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get_party(id: Uuid) -> Result<PartySummary, AppError> {
        parties::summary(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn party_detail(id: Uuid) -> Result<PartyRecord, AppError> {
        parties::detail(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_party(id: Option<Uuid>, input: PartyInput) -> Result<Uuid, AppError> {
        parties::save(&current::state().pool, &caller()?, id, &input).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_contact(id: Option<Uuid>, input: ContactInput) -> Result<Uuid, AppError> {
        contacts::save(&current::state().pool, &caller()?, id, &input).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn invite_contact(id: Uuid) -> Result<InviteOutcome, AppError> {
        let state = current::state();
        let caller = caller()?;
        crate::admin::ssr::users::invite_contact(
            &state.pool,
            &state.auth.secrets,
            &state.auth.public_url,
            &caller,
            id,
            &client(),
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn get_lead(id: Uuid) -> Result<LeadDetail, AppError> {
        leads::get(&current::state().pool, &caller()?, id).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn save_lead(id: Option<Uuid>, input: LeadInput) -> Result<Uuid, AppError> {
        leads::save(&current::state().pool, &caller()?, id, &input).await
    }

    #[tracing::instrument(skip_all, fields(%lead_id))]
    pub async fn add_activity(
        lead_id: Uuid,
        kind: ActivityKind,
        note: String,
    ) -> Result<(), AppError> {
        leads::add_activity(&current::state().pool, &caller()?, lead_id, kind, &note).await
    }

    #[tracing::instrument(skip_all, fields(%id))]
    pub async fn convert_lead(id: Uuid) -> Result<Conversion, AppError> {
        leads::convert(&current::state().pool, &caller()?, id).await
    }
}
