//! `/ceo`: the consolidated dashboard, and `/ceo/settings`: its thresholds.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::dashboard::{list_thresholds, load_dashboard, SaveThresholds};
use crate::billing::money;
use crate::components::charts::{BarChart, RevenueChart};
use crate::components::forms::{action_error, FormError};
use crate::components::ui::ErrorNote;
use crate::dashboard::{AlertGroup, CompanyThresholds, Dashboard, Level, Trend};
use crate::domain::money::Currency;
use crate::domain::status::LeadStatus;
use crate::i18n::{use_i18n, Msg};
use crate::portal::Portal;

/// How often the open dashboard fetches fresh figures.
#[cfg(feature = "hydrate")]
const REFRESH_SECS: u64 = 30;

fn chf(minor: i64) -> String {
    money(Currency::CHF, minor)
}

/// `+12.5 %` / `−3.0 %` from basis points.
fn percent(bp: i64) -> String {
    let sign = if bp < 0 { "−" } else { "+" };
    let abs = bp.abs();
    format!("{sign}{}.{} %", abs / 100, (abs % 100) / 10)
}

/// The CEO's start page: alerts, KPIs, charts, treasury. Server-rendered; refreshed in place.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let tick = RwSignal::new(0u32);
    let data = Resource::new(move || tick.get(), |_| load_dashboard());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let handle = leptos::prelude::set_interval_with_handle(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_secs(REFRESH_SECS),
            );
            if let Ok(handle) = handle {
                on_cleanup(move || handle.clear());
            }
        }
    });
    view! {
        <Title text=i18n.t(Portal::Ceo.title()) />
        <div class="page-header" data-testid="portal-ceo">
            <h1>{i18n.t(Msg::Dashboard)}</h1>
            <div class="page-actions"><a class="button secondary" href="/ceo/settings">{i18n.t(Msg::Thresholds)}</a></div>
        </div>
        <Transition fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardBody d /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let rates = d
        .rates
        .iter()
        .map(|r| format!("1 {} = CHF {} ({})", r.currency, r.display(), r.rate_date))
        .collect::<Vec<_>>()
        .join(" · ");
    let missing = (!d.missing_rates.is_empty()).then(|| {
        let list = d
            .missing_rates
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(", ");
        view! { <p class="alert alert-warning" role="status">{i18n.t(Msg::MissingRates)}" "{list}</p> }
    });
    let conversion_now = Dashboard::conversion_bp(d.quotes_sent.current, d.quotes_won.current);
    let conversion_before = Dashboard::conversion_bp(d.quotes_sent.previous, d.quotes_won.previous);
    let aging_labels = ["0–30", "31–60", "61–90", "90+"];
    let aging_bars: Vec<(String, i64, String)> = aging_labels
        .iter()
        .zip(d.aging)
        .map(|(l, v)| (format!("{l} {}", i18n.t(Msg::Days)), v, chf(v)))
        .collect();
    let funnel: Vec<(String, i64, String)> = d
        .pipeline
        .iter()
        .filter(|s| s.status != "won" && s.status != "lost")
        .map(|s| {
            (
                i18n.t(LeadStatus::parse(&s.status).map_or(Msg::Status, |l| l.label()))
                    .to_owned(),
                s.count,
                format!("{} · {}", s.count, chf(s.value_chf)),
            )
        })
        .collect();
    let pipeline_rows = d
        .pipeline
        .iter()
        .map(|s| {
            view! {
                <tr>
                    <th scope="row">{i18n.t(LeadStatus::parse(&s.status).map_or(Msg::Status, |l| l.label()))}</th>
                    <td class="num">{s.count}</td>
                    <td class="num" data-testid=format!("pipeline-{}", s.status)>{chf(s.value_chf)}</td>
                </tr>
            }
        })
        .collect_view();
    let alerts = d
        .alerts
        .into_iter()
        .map(|group| view! { <AlertCard group /> })
        .collect_view();
    let companies = d
        .companies
        .iter()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <p class="muted" data-testid="dashboard-scope">
            {companies}" · "{i18n.t(Msg::AsOf)}" "<time>{d.as_of.clone()}</time>" · "{i18n.t(Msg::PeriodNote)}
        </p>
        <p class="muted" data-testid="rates">{i18n.t(Msg::ExchangeRates)}": "{if rates.is_empty() { "—".to_owned() } else { rates }}</p>
        {missing}
        <section aria-labelledby="alerts-title" class="dashboard-section">
            <h2 id="alerts-title">{i18n.t(Msg::Alerts)}</h2>
            <div class="alert-grid">{alerts}</div>
        </section>
        <section aria-labelledby="kpi-title" class="dashboard-section">
            <h2 id="kpi-title">{i18n.t(Msg::KeyFigures)}</h2>
            <div class="kpi-grid">
                <Kpi id="revenue" label=Msg::KpiRevenue trend=d.revenue />
                <Kpi id="invoiced" label=Msg::KpiInvoiced trend=d.invoiced />
                <div class="kpi" data-testid="kpi-receivables">
                    <h3>{i18n.t(Msg::KpiReceivables)}</h3>
                    <p class="kpi-value" data-testid="kpi-receivables-value">{chf(d.receivables)}</p>
                </div>
                <div class="kpi" data-testid="kpi-conversion">
                    <h3>{i18n.t(Msg::KpiConversion)}</h3>
                    <p class="kpi-value" data-testid="kpi-conversion-value">
                        {conversion_now.map(|bp| format!("{}.{} %", bp / 100, (bp % 100) / 10)).unwrap_or_else(|| "—".into())}
                    </p>
                    <p class="kpi-trend">
                        {format!("{} / {}", d.quotes_won.current, d.quotes_sent.current)}" · "{i18n.t(Msg::PreviousPeriod)}": "
                        {conversion_before.map(|bp| format!("{}.{} %", bp / 100, (bp % 100) / 10)).unwrap_or_else(|| "—".into())}
                    </p>
                </div>
                <div class="kpi" data-testid="kpi-projects">
                    <h3>{i18n.t(Msg::KpiActiveProjects)}</h3>
                    <p class="kpi-value" data-testid="kpi-projects-value">{d.active_projects}</p>
                </div>
                {d.mrr.map(|mrr| view! {
                    <div class="kpi" data-testid="kpi-mrr">
                        <h3>{i18n.t(Msg::KpiMrr)}</h3>
                        <p class="kpi-value" data-testid="kpi-mrr-value">{chf(mrr)}</p>
                        <p class="kpi-trend">{i18n.t(Msg::KpiArr)}": "{chf(mrr * 12)}</p>
                    </div>
                })}
            </div>
        </section>
        <section aria-labelledby="charts-title" class="dashboard-section">
            <h2 id="charts-title">{i18n.t(Msg::Charts)}</h2>
            <RevenueChart months=d.monthly companies=d.companies.clone() />
            <div class="chart-pair">
                <BarChart id="aging" title=i18n.t(Msg::ChartAgingTitle).to_owned() bars=aging_bars />
                <BarChart id="funnel" title=i18n.t(Msg::ChartFunnelTitle).to_owned() bars=funnel funnel=true />
            </div>
            <table class="table compact" data-testid="pipeline">
                <caption>{i18n.t(Msg::PipelineByStage)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::Status)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::NavLeads)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::EstimatedValue)}</th>
                </tr></thead>
                <tbody>{pipeline_rows}</tbody>
            </table>
        </section>
        <TreasuryView treasury=d.treasury />
    }
}

#[component]
fn Kpi(id: &'static str, label: Msg, trend: Trend) -> impl IntoView {
    let i18n = use_i18n();
    let change = trend.change_bp();
    let direction = match change {
        Some(bp) if bp > 0 => "up",
        Some(bp) if bp < 0 => "down",
        _ => "flat",
    };
    view! {
        <div class="kpi" data-testid=format!("kpi-{id}")>
            <h3>{i18n.t(label)}</h3>
            <p class="kpi-value" data-testid=format!("kpi-{id}-value")>{chf(trend.current)}</p>
            <p class=format!("kpi-trend trend-{direction}")>
                {change.map(percent).unwrap_or_else(|| "—".into())}" "
                <span class="muted">{i18n.t(Msg::PreviousPeriod)}": "{chf(trend.previous)}</span>
            </p>
        </div>
    }
}

#[component]
fn AlertCard(group: AlertGroup) -> impl IntoView {
    let i18n = use_i18n();
    let level = if group.critical > 0 {
        Level::Critical
    } else if group.total > 0 {
        Level::Warning
    } else {
        Level::Ok
    };
    let kind = group.kind;
    let items = group
        .items
        .into_iter()
        .map(|a| {
            view! {
                <li class=format!("level-{}", a.level.as_str())>
                    <a href=kind.href(a.id)>{a.label}</a>
                    " "<span class="muted">{a.detail}" · "{a.company_code}</span>
                    " "<span class="days">{a.days}" "{i18n.t(Msg::Days)}</span>
                    " "<span class="sr-only">{i18n.t(a.level.label())}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class=format!("alert-card level-{}", level.as_str()) data-testid=format!("alert-{}", kind.as_str())>
            <h3>
                {i18n.t(kind.label())}" "
                <span class="count" data-testid=format!("alert-{}-count", kind.as_str())>{group.total}</span>
            </h3>
            {(group.critical > 0).then(|| view! { <p class="critical-note">{group.critical}" "{i18n.t(Msg::LevelCritical)}</p> })}
            <ul>{items}</ul>
            {(group.total > 0).then(|| view! { <a class="see-all" href=kind.list_href()>{i18n.t(Msg::SeeAll)}</a> })}
        </article>
    }
}

#[component]
fn TreasuryView(treasury: crate::dashboard::Treasury) -> impl IntoView {
    let i18n = use_i18n();
    let accounts = treasury
        .accounts
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{a.name}" "<small class="muted">{a.company_code}</small></td>
                    <td><code>{a.iban}</code></td>
                    <td class="num">{money(a.currency, a.balance_minor)}</td>
                    <td class="num">{a.balance_chf.map(chf).unwrap_or_else(|| "—".into())}</td>
                    <td>{a.balance_on}</td>
                </tr>
            }
        })
        .collect_view();
    let forecast = treasury
        .forecast
        .into_iter()
        .map(|f| {
            view! {
                <tr data-testid=format!("forecast-{}", f.days)>
                    <th scope="row">{f.days}" "{i18n.t(Msg::Days)}</th>
                    <td class="num">{chf(f.receivables)}</td>
                    <td class="num">{chf(-f.payables)}</td>
                    <td class="num">{chf(-f.burn)}</td>
                    <td class="num strong" data-testid=format!("forecast-{}-balance", f.days)>{chf(f.balance)}</td>
                </tr>
            }
        })
        .collect_view();
    let runway = treasury
        .runway_tenths
        .map(|t| format!("{}.{}", t / 10, t % 10))
        .unwrap_or_else(|| "∞".into());
    view! {
        <section aria-labelledby="treasury-title" class="dashboard-section">
            <h2 id="treasury-title">{i18n.t(Msg::Treasury)}</h2>
            <div class="kpi-grid">
                <div class="kpi" data-testid="kpi-balance">
                    <h3>{i18n.t(Msg::BankBalance)}</h3>
                    <p class="kpi-value" data-testid="kpi-balance-value">{chf(treasury.balance)}</p>
                </div>
                <div class="kpi">
                    <h3>{i18n.t(Msg::MonthlyBurn)}</h3>
                    <p class="kpi-value" data-testid="kpi-burn-value">{chf(treasury.monthly_burn)}</p>
                </div>
                <div class=format!("kpi level-{}", treasury.runway_level.as_str()) data-testid="kpi-runway">
                    <h3>{i18n.t(Msg::Runway)}</h3>
                    <p class="kpi-value" data-testid="kpi-runway-value">{runway}" "{i18n.t(Msg::Months)}</p>
                    <p class="kpi-trend">{i18n.t(treasury.runway_level.label())}</p>
                </div>
            </div>
            <table class="table" data-testid="bank-accounts">
                <caption>{i18n.t(Msg::BankAccounts)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::Name)}</th>
                    <th scope="col">"IBAN"</th>
                    <th scope="col" class="num">{i18n.t(Msg::Balance)}</th>
                    <th scope="col" class="num">"CHF"</th>
                    <th scope="col">{i18n.t(Msg::Date)}</th>
                </tr></thead>
                <tbody>{accounts}</tbody>
            </table>
            <table class="table" data-testid="forecast">
                <caption>{i18n.t(Msg::Forecast)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.t(Msg::Horizon)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::ReceivablesDue)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::PayablesDue)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::MonthlyBurn)}</th>
                    <th scope="col" class="num">{i18n.t(Msg::ExpectedBalance)}</th>
                </tr></thead>
                <tbody>{forecast}</tbody>
            </table>
        </section>
    }
}

/// `/ceo/settings`: alert and runway thresholds per company.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| list_thresholds());
    view! {
        <Title text=i18n.t(Msg::Thresholds) />
        <div class="page-header"><h1>{i18n.t(Msg::Thresholds)}</h1></div>
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) => rows.into_iter().map(|row| view! { <ThresholdForm row /> }).collect_view().into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThresholdForm(row: CompanyThresholds) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveThresholds>::new();
    let error = action_error(action.value());
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let t = row.thresholds;
    let prefix = row.company_id.simple().to_string();
    let fields: [(&'static str, Msg, i32); 7] = [
        (
            "overdue_warning_days",
            Msg::OverdueWarningDays,
            t.overdue_warning_days,
        ),
        (
            "overdue_critical_days",
            Msg::OverdueCriticalDays,
            t.overdue_critical_days,
        ),
        (
            "quote_expiry_days",
            Msg::QuoteExpiryDays,
            t.quote_expiry_days,
        ),
        (
            "project_idle_days",
            Msg::ProjectIdleDays,
            t.project_idle_days,
        ),
        (
            "lead_untouched_days",
            Msg::LeadUntouchedDays,
            t.lead_untouched_days,
        ),
        (
            "runway_warning_months",
            Msg::RunwayWarningMonths,
            t.runway_warning_months,
        ),
        (
            "runway_critical_months",
            Msg::RunwayCriticalMonths,
            t.runway_critical_months,
        ),
    ];
    let inputs = fields
        .into_iter()
        .map(|(name, label, value)| {
            let id = format!("{prefix}-{name}");
            let error_id = format!("{id}-error");
            let problem = move || error.get().and_then(|e| e.field_problem(name));
            view! {
                <div class="field">
                    <label for=id.clone()>{i18n.t(label)}</label>
                    <input
                        id=id
                        name=format!("input[{name}]")
                        type="number"
                        inputmode="numeric"
                        value=value.to_string()
                        required
                        aria-invalid=move || problem().is_some().then_some("true")
                        aria-describedby=error_id.clone()
                    />
                    <p class="field-error" id=error_id role="alert">{move || problem().map(|p| p.message(i18n.locale))}</p>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-label=row.company_name.clone() data-testid=format!("thresholds-{}", row.company_name)>
            <h2>{row.company_name.clone()}</h2>
            <ActionForm action>
                <input type="hidden" name="input[company_id]" value=row.company_id.to_string() />
                <div class="grid-2">{inputs}</div>
                <FormError error />
                {move || saved().then(|| view! { <p class="alert alert-success" role="status">{i18n.t(Msg::Saved)}</p> })}
                <button type="submit" class="button">{i18n.t(Msg::Save)}</button>
            </ActionForm>
        </section>
    }
}
