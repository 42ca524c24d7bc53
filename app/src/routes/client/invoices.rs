//! `/client/invoices`: the client's invoices and one invoice with how to pay it.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::api::invoices::get_invoice;
use crate::components::datatable::DataList;
use crate::components::ui::{ErrorNote, PageHeader};
use crate::i18n::{use_i18n, Msg};
use crate::lists::ListKind;
use crate::portal::Portal;
use crate::routes::ceo::invoices::{invoice_title, InvoiceBody};

/// The client's invoices.
#[component]
pub fn ClientInvoices() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=i18n.t(Msg::NavInvoices).to_owned() />
        <DataList kind=ListKind::Invoices portal=Portal::Client empty=i18n.t(Msg::ClientInvoicesEmpty) />
    }
}

/// One invoice for the client, with the QR-bill to pay it.
#[component]
pub fn ClientInvoice() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let invoice = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_invoice(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(inv) => view! {
                        <PageHeader title=invoice_title(i18n, &inv)>
                            <a class="button secondary" href=format!("/documents/invoices/{}", inv.id) rel="external" target="_blank" data-testid="invoice-pdf">"PDF"</a>
                        </PageHeader>
                        <InvoiceBody invoice=inv />
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
