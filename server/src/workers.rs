//! Background work of a server instance.

use std::sync::Arc;
use std::time::Duration;

use app::auth::ssr::AuthService;
use sqlx::PgPool;
use tokio::task::JoinSet;

use crate::mailer::{Delivered, Mailer};

/// How often the signing keys are re-read (another instance may have rotated them).
const KEY_REFRESH: Duration = Duration::from_secs(300);
/// How often dated work is done: expired quotes, subscriptions' invoices (the date changes at
/// midnight in Zurich; an hour late is fine).
const DUE_DATES: Duration = Duration::from_secs(3600);
/// How often connected Revolut accounts are synchronised (webhooks bring most movements at once).
const BANK_SYNC: Duration = Duration::from_secs(900);

/// Starts the workers; abort the set to stop them. Without a `mailer`, emails wait in the outbox.
pub fn spawn(
    pool: PgPool,
    auth: Arc<AuthService>,
    mailer: Option<Mailer>,
    mail_poll: Duration,
) -> JoinSet<()> {
    let mut set = JoinSet::new();
    if let Some(mailer) = mailer {
        let mail_pool = pool.clone();
        set.spawn(async move {
            let mut tick = tokio::time::interval(mail_poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match mailer.deliver_due(&mail_pool).await {
                    Ok(d) if d != Delivered::default() => {
                        tracing::info!(
                            sent = d.sent,
                            deferred = d.deferred,
                            refused = d.refused,
                            "outbox delivered"
                        )
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "delivering the outbox failed"),
                }
            }
        });
    }
    let due_pool = pool.clone();
    let public_url = auth.public_url.clone();
    set.spawn(async move {
        let mut tick = tokio::time::interval(DUE_DATES);
        loop {
            tick.tick().await;
            match app::billing::ssr::signing::expire_due(&due_pool).await {
                Ok(n) if n > 0 => tracing::info!(expired = n, "quotes expired"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "expiring quotes failed"),
            }
            // Every instance runs it; each period is claimed by one and invoiced once.
            match app::billing::ssr::subscriptions::run_today(&due_pool, &public_url).await {
                Ok(r) if r.issued + r.ended > 0 => {
                    tracing::info!(
                        issued = r.issued,
                        ended = r.ended,
                        failed = r.failed,
                        "subscriptions invoiced"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "invoicing subscriptions failed"),
            }
        }
    });
    // Revolut: every connected company's accounts and movements (webhooks bring most of them at
    // once; this catches what a missed webhook left out).
    let bank_pool = pool.clone();
    let bank_auth = auth.clone();
    set.spawn(async move {
        let mut tick = tokio::time::interval(BANK_SYNC);
        loop {
            tick.tick().await;
            match app::banking::ssr::revolut::connected_companies(&bank_pool).await {
                Ok(companies) => {
                    for company in companies {
                        if let Err(error) = app::banking::ssr::revolut::sync(
                            &bank_pool,
                            &bank_auth.secrets,
                            company,
                            &bank_auth.public_url,
                        )
                        .await
                        {
                            tracing::warn!(%company, %error, "Revolut synchronisation failed");
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "listing Revolut connections failed"),
            }
        }
    });
    set.spawn(async move {
        let mut tick = tokio::time::interval(KEY_REFRESH);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(error) = auth.keys.refresh(&pool).await {
                tracing::warn!(%error, "refreshing signing keys failed");
            }
        }
    });
    set
}
