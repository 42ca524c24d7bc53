//! Dashboard queries. Each reads a summary table or a partial index, never a whole large table:
//! KPIs come from `kpi_daily` and `lead_stage_totals` (kept by triggers), receivables and alerts
//! from the open-items partial indexes.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

mod thresholds;

use thresholds::thresholds;
pub use thresholds::{list_thresholds, save_thresholds};

use super::*;
use crate::auth::ssr::{begin, Caller};
use crate::auth::Permission;
use crate::domain::calendar::iso_date;
use crate::error::AppError;

/// CHF per unit for each currency (CHF itself is 1).
struct Rates(HashMap<Currency, i64>);

impl Rates {
    fn chf(&self, currency: Currency, minor: i64) -> Option<i64> {
        match currency {
            Currency::CHF => Some(minor),
            other => self.0.get(&other).map(|micros| to_chf(minor, *micros)),
        }
    }
}

/// Sums amounts in several currencies into CHF, remembering currencies without a rate.
struct ChfSum<'a> {
    rates: &'a Rates,
    missing: &'a mut Vec<Currency>,
}

impl ChfSum<'_> {
    fn add(&mut self, currency: &str, minor: i64) -> i64 {
        let currency = Currency::parse(currency).unwrap_or(Currency::CHF);
        match self.rates.chf(currency, minor) {
            Some(v) => v,
            None => {
                if minor != 0 && !self.missing.contains(&currency) {
                    self.missing.push(currency);
                }
                0
            }
        }
    }
}

/// The dashboard of the caller's focused companies.
pub async fn load(pool: &PgPool, caller: &Caller) -> Result<Dashboard, AppError> {
    let scope = caller.focused(Permission::ReportsRead)?;
    let mut tx = begin(pool, &scope).await?;
    let dashboard = compute(&mut tx, &scope.company_ids).await?;
    tx.commit().await?;
    Ok(dashboard)
}

/// Computes the dashboard for `companies` inside a scoped transaction.
///
/// The queries say `(SELECT app_today())`: an init plan, evaluated once per query, where a bare
/// call would convert the time zone again for every row aggregated.
pub async fn compute(conn: &mut PgConnection, companies: &[Uuid]) -> Result<Dashboard, AppError> {
    let as_of = sqlx::query_scalar!(r#"SELECT app_today() AS "today!""#)
        .fetch_one(&mut *conn)
        .await?;
    let keys = sqlx::query_as!(
        CompanyKey,
        "SELECT id, code, name, colour FROM companies WHERE id = ANY($1) ORDER BY code",
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let limits = thresholds(conn, companies).await?;

    let rate_rows = sqlx::query!(
        r#"SELECT DISTINCT ON (currency) currency::text AS "currency!", rate_date, chf_per_unit_micros
           FROM exchange_rates WHERE rate_date <= (SELECT app_today())
           ORDER BY currency, rate_date DESC"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut notes = Vec::new();
    let mut map = HashMap::new();
    for r in rate_rows {
        if let Some(currency) = Currency::parse(&r.currency) {
            map.insert(currency, r.chf_per_unit_micros);
            notes.push(RateNote {
                currency,
                chf_per_unit_micros: r.chf_per_unit_micros,
                rate_date: iso_date(r.rate_date),
            });
        }
    }
    let rates = Rates(map);
    let mut missing = Vec::new();

    // KPIs over two consecutive 30-day periods ending today.
    let kpi = sqlx::query!(
        r#"SELECT currency::text AS "currency!",
                  COALESCE(sum(paid_net_minor) FILTER (WHERE day > (SELECT app_today()) - 30), 0)::bigint AS "paid!",
                  COALESCE(sum(paid_net_minor) FILTER (WHERE day <= (SELECT app_today()) - 30), 0)::bigint AS "paid_before!",
                  COALESCE(sum(invoiced_net_minor) FILTER (WHERE day > (SELECT app_today()) - 30), 0)::bigint AS "invoiced!",
                  COALESCE(sum(invoiced_net_minor) FILTER (WHERE day <= (SELECT app_today()) - 30), 0)::bigint AS "invoiced_before!",
                  COALESCE(sum(quotes_issued) FILTER (WHERE day > (SELECT app_today()) - 30), 0)::bigint AS "sent!",
                  COALESCE(sum(quotes_issued) FILTER (WHERE day <= (SELECT app_today()) - 30), 0)::bigint AS "sent_before!",
                  COALESCE(sum(quotes_won) FILTER (WHERE day > (SELECT app_today()) - 30), 0)::bigint AS "won!",
                  COALESCE(sum(quotes_won) FILTER (WHERE day <= (SELECT app_today()) - 30), 0)::bigint AS "won_before!"
           FROM kpi_daily
           WHERE company_id = ANY($1) AND day > (SELECT app_today()) - 60 AND day <= (SELECT app_today())
           GROUP BY currency"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut revenue, mut invoiced) = (Trend::default(), Trend::default());
    let (mut quotes_sent, mut quotes_won) = (Trend::default(), Trend::default());
    {
        let mut sum = ChfSum {
            rates: &rates,
            missing: &mut missing,
        };
        for r in &kpi {
            revenue.current += sum.add(&r.currency, r.paid);
            revenue.previous += sum.add(&r.currency, r.paid_before);
            invoiced.current += sum.add(&r.currency, r.invoiced);
            invoiced.previous += sum.add(&r.currency, r.invoiced_before);
            quotes_sent.current += r.sent;
            quotes_sent.previous += r.sent_before;
            quotes_won.current += r.won;
            quotes_won.previous += r.won_before;
        }
    }

    // Twelve months of paid revenue, per company.
    let monthly_rows = sqlx::query!(
        r#"SELECT company_id, to_char(day, 'YYYY-MM') AS "month!", currency::text AS "currency!",
                  sum(paid_net_minor)::bigint AS "paid!"
           FROM kpi_daily
           WHERE company_id = ANY($1)
             AND day >= (date_trunc('month', (SELECT app_today())) - interval '11 months')::date AND day <= (SELECT app_today())
           GROUP BY 1, 2, 3"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let months = last_months(as_of, 12);
    let mut monthly: Vec<MonthRevenue> = months
        .iter()
        .map(|m| MonthRevenue {
            month: m.clone(),
            per_company: vec![0; keys.len()],
        })
        .collect();
    {
        let mut sum = ChfSum {
            rates: &rates,
            missing: &mut missing,
        };
        for r in monthly_rows {
            let (Some(m), Some(c)) = (
                months.iter().position(|x| *x == r.month),
                keys.iter().position(|k| k.id == r.company_id),
            ) else {
                continue;
            };
            monthly[m].per_company[c] += sum.add(&r.currency, r.paid);
        }
    }

    // Receivables: open invoices only (partial index), aged and due by the forecast horizons.
    let open = sqlx::query!(
        r#"SELECT currency::text AS "currency!",
                  COALESCE(sum(balance_minor), 0)::bigint AS "total!",
                  COALESCE(sum(balance_minor) FILTER (WHERE (SELECT app_today()) - due_date <= 30), 0)::bigint AS "b0!",
                  COALESCE(sum(balance_minor) FILTER (WHERE (SELECT app_today()) - due_date BETWEEN 31 AND 60), 0)::bigint AS "b1!",
                  COALESCE(sum(balance_minor) FILTER (WHERE (SELECT app_today()) - due_date BETWEEN 61 AND 90), 0)::bigint AS "b2!",
                  COALESCE(sum(balance_minor) FILTER (WHERE (SELECT app_today()) - due_date > 90), 0)::bigint AS "b3!",
                  COALESCE(sum(balance_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 30), 0)::bigint AS "due30!",
                  COALESCE(sum(balance_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 60), 0)::bigint AS "due60!",
                  COALESCE(sum(balance_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 90), 0)::bigint AS "due90!"
           FROM receivable_days
           WHERE company_id = ANY($1)
           GROUP BY currency"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut receivables = 0;
    let mut aging = [0i64; 4];
    let mut due = [0i64; 3];
    {
        let mut sum = ChfSum {
            rates: &rates,
            missing: &mut missing,
        };
        for r in &open {
            receivables += sum.add(&r.currency, r.total);
            for (slot, v) in aging.iter_mut().zip([r.b0, r.b1, r.b2, r.b3]) {
                *slot += sum.add(&r.currency, v);
            }
            for (slot, v) in due.iter_mut().zip([r.due30, r.due60, r.due90]) {
                *slot += sum.add(&r.currency, v);
            }
        }
    }

    // Pipeline by stage (summary table).
    let stage_rows = sqlx::query!(
        r#"SELECT status, currency::text AS "currency!", sum(lead_count)::bigint AS "count!", sum(value_minor)::bigint AS "value!"
           FROM lead_stage_totals WHERE company_id = ANY($1) GROUP BY 1, 2"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut pipeline: Vec<Stage> = crate::domain::status::LeadStatus::ALL
        .iter()
        .map(|s| Stage {
            status: s.as_str().to_owned(),
            count: 0,
            value_chf: 0,
        })
        .collect();
    {
        let mut sum = ChfSum {
            rates: &rates,
            missing: &mut missing,
        };
        for r in stage_rows {
            if let Some(stage) = pipeline.iter_mut().find(|s| s.status == r.status) {
                stage.count += r.count;
                stage.value_chf += sum.add(&r.currency, r.value);
            }
        }
    }

    let active_projects = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM projects WHERE company_id = ANY($1) AND status = 'active'"#,
        companies
    )
    .fetch_one(&mut *conn)
    .await?;

    let subscriptions = sqlx::query!(
        r#"SELECT currency::text AS "currency!", billing_interval, sum(amount_minor)::bigint AS "amount!"
           FROM subscriptions WHERE company_id = ANY($1) AND status = 'active' GROUP BY 1, 2"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let mrr = (!subscriptions.is_empty()).then(|| {
        let mut sum = ChfSum {
            rates: &rates,
            missing: &mut missing,
        };
        subscriptions
            .iter()
            .map(|s| {
                let monthly = match s.billing_interval.as_str() {
                    "year" => (s.amount + 6) / 12,
                    "quarter" => (s.amount + 1) / 3,
                    _ => s.amount,
                };
                sum.add(&s.currency, monthly)
            })
            .sum::<i64>()
    });

    let treasury = treasury(conn, companies, &rates, &mut missing, due, &limits).await?;
    let alerts = alerts(conn, companies, &limits).await?;

    Ok(Dashboard {
        as_of: iso_date(as_of),
        companies: keys,
        alerts,
        revenue,
        invoiced,
        quotes_sent,
        quotes_won,
        receivables,
        aging,
        pipeline,
        active_projects,
        mrr,
        arr: mrr.map(|m| m * 12),
        rates: notes,
        missing_rates: missing,
        monthly,
        treasury,
    })
}

/// `YYYY-MM` of the `n` months up to the one of `today`, oldest first.
fn last_months(today: time::Date, n: i32) -> Vec<String> {
    let index = today.year() * 12 + today.month() as i32 - 1;
    (index - n + 1..=index)
        .map(|i| format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1))
        .collect()
}

async fn treasury(
    conn: &mut PgConnection,
    companies: &[Uuid],
    rates: &Rates,
    missing: &mut Vec<Currency>,
    receivables_due: [i64; 3],
    limits: &HashMap<Uuid, Thresholds>,
) -> Result<Treasury, AppError> {
    let rows = sqlx::query!(
        r#"SELECT c.code, b.name, b.iban, b.currency::text AS "currency!", b.balance_minor, b.balance_on
           FROM bank_accounts b JOIN companies c ON c.id = b.company_id
           WHERE b.company_id = ANY($1) ORDER BY c.code, b.name"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let payables = sqlx::query!(
        r#"SELECT currency::text AS "currency!",
                  COALESCE(sum(total_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 30), 0)::bigint AS "due30!",
                  COALESCE(sum(total_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 60), 0)::bigint AS "due60!",
                  COALESCE(sum(total_minor) FILTER (WHERE due_date <= (SELECT app_today()) + 90), 0)::bigint AS "due90!"
           FROM supplier_bills WHERE company_id = ANY($1) AND status IN ('to_approve', 'approved', 'scheduled')
           GROUP BY currency"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;
    let burn_rows = sqlx::query!(
        r#"SELECT currency::text AS "currency!", sum(total_minor)::bigint AS "paid!"
           FROM supplier_bills
           WHERE company_id = ANY($1) AND status = 'paid' AND paid_on > (SELECT app_today()) - 90 AND paid_on <= (SELECT app_today())
           GROUP BY currency"#,
        companies
    )
    .fetch_all(&mut *conn)
    .await?;

    let mut sum = ChfSum { rates, missing };
    let mut accounts = Vec::with_capacity(rows.len());
    let mut balance = 0;
    for r in rows {
        let currency = Currency::parse(&r.currency).unwrap_or(Currency::CHF);
        let chf = rates.chf(currency, r.balance_minor);
        balance += sum.add(&r.currency, r.balance_minor);
        accounts.push(BankLine {
            company_code: r.code,
            name: r.name,
            iban: r.iban,
            currency,
            balance_minor: r.balance_minor,
            balance_chf: chf,
            balance_on: iso_date(r.balance_on),
        });
    }
    let mut payable = [0i64; 3];
    for r in &payables {
        for (slot, v) in payable.iter_mut().zip([r.due30, r.due60, r.due90]) {
            *slot += sum.add(&r.currency, v);
        }
    }
    let paid_90: i64 = burn_rows.iter().map(|r| sum.add(&r.currency, r.paid)).sum();
    let monthly_burn = (paid_90 + 1) / 3;
    let forecast = HORIZONS
        .iter()
        .enumerate()
        .map(|(i, days)| {
            let burn = monthly_burn * days / 30;
            Forecast {
                days: *days,
                receivables: receivables_due[i],
                payables: payable[i],
                burn,
                balance: balance + receivables_due[i] - payable[i] - burn,
            }
        })
        .collect();
    let runway_tenths = (monthly_burn > 0).then(|| balance.max(0) * 10 / monthly_burn);
    // One company: its own thresholds; several: the strictest of them.
    let warn = limits
        .values()
        .map(|t| t.runway_warning_months)
        .max()
        .unwrap_or(Thresholds::default().runway_warning_months) as i64;
    let crit = limits
        .values()
        .map(|t| t.runway_critical_months)
        .max()
        .unwrap_or(Thresholds::default().runway_critical_months) as i64;
    let runway_level = match runway_tenths {
        Some(t) if t < crit * 10 => Level::Critical,
        Some(t) if t < warn * 10 => Level::Warning,
        _ => Level::Ok,
    };
    Ok(Treasury {
        accounts,
        balance,
        monthly_burn,
        forecast,
        runway_tenths,
        runway_level,
    })
}

/// Items shown per alert kind.
const ALERT_ITEMS: i64 = 8;

async fn alerts(
    conn: &mut PgConnection,
    companies: &[Uuid],
    limits: &HashMap<Uuid, Thresholds>,
) -> Result<Vec<AlertGroup>, AppError> {
    let ids: Vec<Uuid> = companies.to_vec();
    let pick = |f: fn(&Thresholds) -> i32| -> Vec<i32> {
        ids.iter()
            .map(|c| f(limits.get(c).unwrap_or(&Thresholds::default())))
            .collect()
    };
    let warn = pick(|t| t.overdue_warning_days);
    let crit = pick(|t| t.overdue_critical_days);
    let expiry = pick(|t| t.quote_expiry_days);
    let idle = pick(|t| t.project_idle_days);
    let untouched = pick(|t| t.lead_untouched_days);

    let counts = sqlx::query!(
        r#"WITH t AS (
               SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])
                   AS t(company_id, warn, crit, expiry, idle, untouched))
           SELECT
             (SELECT COALESCE(sum(r.open_count), 0) FROM t JOIN receivable_days r ON r.company_id = t.company_id
               WHERE r.due_date < (SELECT app_today()) - t.warn)::bigint AS "overdue!",
             (SELECT COALESCE(sum(r.open_count), 0) FROM t JOIN receivable_days r ON r.company_id = t.company_id
               WHERE r.due_date < (SELECT app_today()) - t.crit)::bigint AS "overdue_critical!",
             (SELECT count(*) FROM t JOIN quotes q ON q.company_id = t.company_id
               WHERE q.status IN ('sent', 'viewed') AND q.valid_until BETWEEN (SELECT app_today()) AND (SELECT app_today()) + t.expiry) AS "expiring!",
             (SELECT count(*) FROM t JOIN quotes q ON q.company_id = t.company_id
               WHERE q.status = 'awaiting_deposit') AS "deposits!",
             (SELECT count(*) FROM t JOIN projects p ON p.company_id = t.company_id
               WHERE p.status = 'active' AND p.last_activity_at < now() - make_interval(days => t.idle)) AS "idle!",
             (SELECT count(*) FROM t JOIN leads l ON l.company_id = t.company_id
               WHERE l.status = 'new' AND l.last_activity_at IS NULL
                 AND l.created_at < now() - make_interval(days => t.untouched)) AS "untouched!""#,
        &ids,
        &warn,
        &crit,
        &expiry,
        &idle,
        &untouched,
    )
    .fetch_one(&mut *conn)
    .await?;

    let rows = sqlx::query!(
        r#"WITH t AS (
               SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])
                   AS t(company_id, warn, crit, expiry, idle, untouched))
           (SELECT 'overdue' AS kind, i.id, c.code, i.number AS label, p.name AS detail,
                   ((SELECT app_today()) - i.due_date) AS days, (i.due_date < (SELECT app_today()) - t.crit) AS critical
              FROM t JOIN invoices i ON i.company_id = t.company_id
              JOIN companies c ON c.id = i.company_id
              JOIN parties p ON p.company_id = i.company_id AND p.id = i.party_id
             WHERE i.status IN ('sent', 'viewed', 'partial', 'overdue') AND i.due_date < (SELECT app_today()) - t.warn
             ORDER BY i.due_date, i.id LIMIT $7)
           UNION ALL
           (SELECT 'quote_expiring', q.id, c.code, q.number, p.name, (q.valid_until - (SELECT app_today())), false
              FROM t JOIN quotes q ON q.company_id = t.company_id
              JOIN companies c ON c.id = q.company_id
              JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
             WHERE q.status IN ('sent', 'viewed') AND q.valid_until BETWEEN (SELECT app_today()) AND (SELECT app_today()) + t.expiry
             ORDER BY q.valid_until, q.id LIMIT $7)
           UNION ALL
           (SELECT 'deposit_pending', q.id, c.code, q.number, p.name,
                   ((SELECT app_today()) - (COALESCE(q.signed_at, q.updated_at) AT TIME ZONE 'Europe/Zurich')::date), false
              FROM t JOIN companies c ON c.id = t.company_id,
              LATERAL (SELECT q.id, q.company_id, q.party_id, q.number, q.signed_at, q.updated_at, q.issue_date
                         FROM quotes q WHERE q.company_id = t.company_id AND q.status = 'awaiting_deposit'
                        ORDER BY q.issue_date, q.id LIMIT $7) q
              JOIN parties p ON p.company_id = q.company_id AND p.id = q.party_id
             ORDER BY q.issue_date, q.id LIMIT $7)
           UNION ALL
           (SELECT 'project_idle', pr.id, c.code, pr.name, p.name,
                   ((SELECT app_today()) - (pr.last_activity_at AT TIME ZONE 'Europe/Zurich')::date), false
              FROM t JOIN projects pr ON pr.company_id = t.company_id
              JOIN companies c ON c.id = pr.company_id
              JOIN parties p ON p.company_id = pr.company_id AND p.id = pr.party_id
             WHERE pr.status = 'active' AND pr.last_activity_at < now() - make_interval(days => t.idle)
             ORDER BY pr.last_activity_at, pr.id LIMIT $7)
           UNION ALL
           (SELECT 'lead_untouched', l.id, c.code, l.title, l.organisation,
                   ((SELECT app_today()) - (l.created_at AT TIME ZONE 'Europe/Zurich')::date), false
              FROM t JOIN companies c ON c.id = t.company_id,
              -- The oldest few per company from the partial index, not every untouched lead sorted.
              LATERAL (SELECT l.id, l.title, l.organisation, l.created_at FROM leads l
                        WHERE l.company_id = t.company_id AND l.status = 'new' AND l.last_activity_at IS NULL
                          AND l.created_at < now() - make_interval(days => t.untouched)
                        ORDER BY l.created_at, l.id LIMIT $7) l
             ORDER BY l.created_at, l.id LIMIT $7)"#,
        &ids,
        &warn,
        &crit,
        &expiry,
        &idle,
        &untouched,
        ALERT_ITEMS,
    )
    .fetch_all(&mut *conn)
    .await?;

    let totals = [
        (
            AlertKind::OverdueInvoice,
            counts.overdue,
            counts.overdue_critical,
        ),
        (AlertKind::ExpiringQuote, counts.expiring, 0),
        (AlertKind::DepositPending, counts.deposits, 0),
        (AlertKind::IdleProject, counts.idle, 0),
        (AlertKind::UntouchedLead, counts.untouched, 0),
    ];
    let mut groups: Vec<AlertGroup> = totals
        .into_iter()
        .map(|(kind, total, critical)| AlertGroup {
            kind,
            total,
            critical,
            items: Vec::new(),
        })
        .collect();
    for r in rows {
        let (Some(kind), Some(id)) = (r.kind.as_deref().and_then(AlertKind::parse), r.id) else {
            continue;
        };
        let level = if r.critical.unwrap_or(false) {
            Level::Critical
        } else {
            Level::Warning
        };
        if let Some(group) = groups.iter_mut().find(|g| g.kind == kind) {
            group.items.push(Alert {
                kind,
                level,
                id,
                company_code: r.code.unwrap_or_default(),
                label: r.label.unwrap_or_default(),
                detail: r.detail.unwrap_or_default(),
                days: r.days.unwrap_or_default() as i64,
            });
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_the_current_one() {
        let today = time::Date::from_calendar_date(2026, time::Month::February, 14).unwrap();
        let months = last_months(today, 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], "2025-03");
        assert_eq!(months[11], "2026-02");
    }
}
