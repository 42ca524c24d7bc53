//! CRM: the client, supplier, provider, partner and reseller companies (parties) of each owner
//! company, their contact people, leads and their activities. The types the browser and the
//! server exchange; the database work is in [`ssr`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::money::Currency;
use crate::domain::status::{ActivityKind, LeadSource, LeadStatus, PartyKind};
use crate::i18n::Locale;

pub mod lists;
#[cfg(feature = "ssr")]
pub mod ssr;

/// A party as offered in a picker or shown in a heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySummary {
    /// Party id.
    pub id: Uuid,
    /// Owner company it belongs to.
    pub company_id: Uuid,
    /// What it is to the company.
    pub kind: PartyKind,
    /// Name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Town.
    pub town: String,
}

/// A party's editable fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyInput {
    /// Owner company.
    pub company_id: Uuid,
    /// Kind.
    pub kind: PartyKind,
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
    /// Bank account (IBAN): suppliers are paid to it, incoming payments recognised by it.
    pub iban: String,
    /// Document language.
    pub language: Locale,
    /// Notes.
    pub notes: String,
}

impl PartyInput {
    /// An empty form for a new client of `company_id`.
    pub fn new_client(company_id: Uuid) -> PartyInput {
        PartyInput {
            company_id,
            kind: PartyKind::Client,
            name: String::new(),
            email: String::new(),
            phone: String::new(),
            street: String::new(),
            building_number: String::new(),
            postal_code: String::new(),
            town: String::new(),
            country: "CH".into(),
            vat_number: String::new(),
            iban: String::new(),
            language: Locale::Fr,
            notes: String::new(),
        }
    }
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
    pub language: Locale,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub language: Locale,
}

/// A lead's editable fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub source: LeadSource,
    /// Status.
    pub status: LeadStatus,
    /// Score 0–100.
    pub score: String,
    /// Estimated value.
    pub estimated_value: String,
    /// Currency.
    pub currency: Currency,
    /// Reseller party who brought it.
    pub reseller_party_id: Option<Uuid>,
    /// Notes.
    pub notes: String,
}

impl LeadInput {
    /// An empty form for a new lead of `company_id`.
    pub fn new(company_id: Uuid) -> LeadInput {
        LeadInput {
            company_id,
            title: String::new(),
            organisation: String::new(),
            contact_name: String::new(),
            email: String::new(),
            phone: String::new(),
            source: LeadSource::Manual,
            status: LeadStatus::New,
            score: String::new(),
            estimated_value: String::new(),
            currency: Currency::CHF,
            reseller_party_id: None,
            notes: String::new(),
        }
    }
}

/// One activity on a lead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    /// What kind.
    pub kind: ActivityKind,
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
