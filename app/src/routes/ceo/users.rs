//! `/ceo/users`: the people of every portal and the invitation form; `/ceo/users/:id`: one
//! person's access, deactivation and second-factor reset.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::admin::{AccessInput, InviteInput, InviteOutcome, UserDetail, UserRow};
use crate::api::admin::{
    get_user, list_users, InviteUser, ResetUserTwoFactor, SetUserAccess, SetUserActive,
};
use crate::api::crm::party_choices;
use crate::auth::{Permission, Role};
use crate::components::forms::{action_error, CompanyField, FormError, TextField};
use crate::components::ui::{use_user, ErrorNote, PageHeader};
use crate::domain::format::date;
use crate::domain::status::PartyKind;
use crate::i18n::{permission_label, role_label, use_i18n, AdminMsg, Locale, Msg};

/// The roles an invitation can give (a CEO is never invited through a link).
const INVITABLE: [Role; 4] = [Role::Staff, Role::Provider, Role::Reseller, Role::Client];

fn party_kind(role: Role) -> Option<PartyKind> {
    match role {
        Role::Client => Some(PartyKind::Client),
        Role::Provider => Some(PartyKind::Provider),
        Role::Reseller => Some(PartyKind::Reseller),
        _ => None,
    }
}

/// What staff may do by default when invited: read their companies' business.
fn default_staff_permissions() -> Vec<String> {
    Role::Staff
        .default_permissions()
        .iter()
        .filter(|p| p.as_str().ends_with(".read"))
        .map(|p| p.as_str().to_owned())
        .collect()
}

/// The people list and the invitation form.
#[component]
pub fn Users() -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteUser>::new();
    let users = Resource::new(move || invite.version().get(), |_| list_users());
    let can_invite = use_user()
        .map(|u| {
            u.permissions
                .iter()
                .any(|p| p == Permission::UsersWrite.as_str())
        })
        .unwrap_or(false);
    view! {
        <PageHeader title=i18n.t(Msg::NavUsers).to_owned() />
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) if list.len() <= 1 => view! { <p class="empty" data-testid="users-empty">{i18n.t(AdminMsg::UsersEmpty)}</p> }.into_any(),
                    Ok(list) => view! { <UserTable list /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
        {can_invite.then(|| view! { <InviteForm invite /> })}
    }
    .into_any()
}

#[component]
fn UserTable(list: Vec<UserRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table" data-testid="users">
            <thead><tr>
                <th scope="col">{i18n.t(Msg::Name)}</th>
                <th scope="col">{i18n.t(Msg::Email)}</th>
                <th scope="col">{i18n.t(AdminMsg::Role)}</th>
                <th scope="col">{i18n.t(AdminMsg::Companies)}</th>
                <th scope="col">{i18n.t(Msg::Status)}</th>
                <th scope="col">{i18n.t(AdminMsg::LastSignIn)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|u| {
                    let status = if !u.active {
                        ("inactive", i18n.t(AdminMsg::Inactive))
                    } else if !u.has_password {
                        ("pending", i18n.t(AdminMsg::Pending))
                    } else {
                        ("active", i18n.t(AdminMsg::Active))
                    };
                    view! {
                        <tr>
                            <td><a href=format!("/ceo/users/{}", u.id)>{u.display_name}</a></td>
                            <td>{u.email}</td>
                            <td>{i18n.t(role_label(u.role))}</td>
                            <td>{u.companies.join(", ")}</td>
                            <td><span class=format!("badge badge-{}", status.0)>{status.1}</span></td>
                            <td>{u.last_sign_in.map(|t| date(i18n.locale, &t)).unwrap_or_else(|| i18n.t(AdminMsg::Never).to_owned())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Checkboxes of the permissions staff can be granted, grouped as the list of permissions is.
#[component]
fn PermissionBoxes(scope: &'static str, chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let grantable: Vec<Permission> = Role::Staff.default_permissions().iter().collect();
    view! {
        <fieldset class="permissions">
            <legend>{i18n.t(AdminMsg::Permissions)}</legend>
            {grantable.into_iter().map(|p| {
                let name = p.as_str();
                let id = format!("{scope}-perm-{}", name.replace('.', "-"));
                view! {
                    <label class="check" for=id.clone()>
                        <input type="checkbox" id=id.clone() value=name
                            prop:checked=move || chosen.with(|c| c.iter().any(|n| n == name))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|n| n != name);
                                    if on { c.push(name.to_owned()); }
                                });
                            } />
                        {permission_label(p, i18n.locale)}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

/// A party picker for a portal role in a company.
#[component]
fn PartyPicker(
    scope: &'static str,
    company: RwSignal<Uuid>,
    role: Signal<Role>,
    party: RwSignal<String>,
    error: Signal<Option<crate::error::AppError>>,
    field: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let parties = Resource::new(
        move || (company.get(), role.get()),
        |(c, r)| async move {
            match party_kind(r) {
                Some(kind) => party_choices(c, Some(kind), None).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let id = format!("{scope}-party");
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field_problem(&field))
            .map(|p| p.message(i18n.locale))
    };
    view! {
        <div class="field">
            <label for=id.clone()>{i18n.t(AdminMsg::Party)}</label>
            <Suspense>
                {move || {
                    let id = id.clone();
                    Suspend::new(async move {
                        let list = parties.await.unwrap_or_default();
                        view! {
                            <select id=id on:change=move |ev| party.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {list.into_iter().map(|p| {
                                    let pid = p.id.to_string();
                                    let selected = { let pid = pid.clone(); move || party.get() == pid };
                                    view! { <option value=pid selected=selected>{p.name}</option> }
                                }).collect_view()}
                            </select>
                        }
                    })
                }}
            </Suspense>
            <p class="field-error" role="alert">{problem}</p>
        </div>
    }
    .into_any()
}

#[component]
fn InviteForm(invite: ServerAction<InviteUser>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(invite.value());
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Staff);
    let locale = RwSignal::new(Locale::Fr);
    let company = RwSignal::new(first);
    let party = RwSignal::new(String::new());
    let permissions = RwSignal::new(default_staff_permissions());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invite.dispatch(InviteUser {
            input: InviteInput {
                email: email.get_untracked(),
                display_name: name.get_untracked(),
                role: role.get_untracked(),
                locale: locale.get_untracked(),
                access: vec![AccessInput {
                    company_id: company.get_untracked(),
                    party_id: party.get_untracked().parse().ok(),
                    permissions: permissions.get_untracked(),
                }],
            },
        });
    };
    let role_signal = Signal::derive(move || role.get());
    view! {
        <section class="page-card" aria-labelledby="invite-title">
            <h2 id="invite-title">{i18n.t(AdminMsg::Invite)}</h2>
            <form class="form" on:submit=submit novalidate data-testid="invite-form">
                <FormError error />
                {move || invite.value().get().and_then(|r| r.ok()).map(|outcome| {
                    let text = match outcome {
                        InviteOutcome::Invited => i18n.t(AdminMsg::Invited),
                        InviteOutcome::AccessGranted => i18n.t(AdminMsg::AccessGranted),
                    };
                    view! { <p class="alert alert-ok" role="status" data-testid="invite-result">{text}</p> }
                })}
                <div class="grid-2">
                    <TextField scope="i" name="email" label=i18n.t(Msg::Email) value=email error kind="email" />
                    <TextField scope="i" name="display_name" label=i18n.t(Msg::Name) value=name error />
                    <div class="field">
                        <label for="i-role">{i18n.t(AdminMsg::Role)}</label>
                        <select id="i-role" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(r) = Role::parse(&v) { role.set(r); party.set(String::new()); }
                        }>
                            {INVITABLE.iter().map(|r| {
                                let r = *r;
                                view! { <option value=r.as_str() selected=move || role.get() == r>{i18n.t(role_label(r))}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="i-locale">{i18n.t(Msg::Language)}</label>
                        <select id="i-locale" on:change=move |ev| {
                            if let Some(l) = Locale::parse(&event_target_value(&ev)) { locale.set(l) }
                        }>
                            {Locale::ALL.iter().map(|l| {
                                let l = *l;
                                view! { <option value=l.code() selected=move || locale.get() == l>{l.native_name()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <CompanyField scope="i" value=company />
                    {move || party_kind(role.get()).map(|_| view! {
                        <PartyPicker scope="i" company role=role_signal party error field="access.0.party_id".to_owned() />
                    })}
                </div>
                {move || (role.get() == Role::Staff).then(|| view! { <PermissionBoxes scope="i" chosen=permissions /> })}
                <button type="submit" class="button" data-testid="send-invitation" disabled=move || invite.pending().get()>
                    {i18n.t(AdminMsg::SendInvitation)}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// One person: access per company, deactivation, second-factor reset.
#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
    let active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetUserTwoFactor>::new();
    let access = ServerAction::<SetUserAccess>::new();
    let user = Resource::new(
        move || {
            (
                id(),
                active.version().get(),
                reset.version().get(),
                access.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => get_user(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{i18n.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(u) => view! { <UserBody user=u active reset access /> }.into_any(),
                    Err(error) => view! { <ErrorNote error /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn UserBody(
    user: UserDetail,
    active: ServerAction<SetUserActive>,
    reset: ServerAction<ResetUserTwoFactor>,
    access: ServerAction<SetUserAccess>,
) -> impl IntoView {
    let i18n = use_i18n();
    let uid = user.row.id;
    let role = user.row.role;
    let is_active = user.row.active;
    let active_error = action_error(active.value());
    let reset_error = action_error(reset.value());
    let error = Signal::derive(move || active_error.get().or(reset_error.get()));
    let companies = use_user().map(|u| u.companies).unwrap_or_default();
    let company_name = move |id: Uuid| {
        companies
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    view! {
        <PageHeader title=user.row.display_name.clone()>
            {if is_active {
                view! {
                    <button class="button secondary" data-testid="deactivate" on:click=move |_| {
                        if crate::components::ui::confirm(i18n.t(AdminMsg::ConfirmDeactivate)) {
                            active.dispatch(SetUserActive { id: uid, active: false });
                        }
                    }>{i18n.t(AdminMsg::Deactivate)}</button>
                }.into_any()
            } else {
                view! {
                    <button class="button secondary" data-testid="reactivate"
                        on:click=move |_| { active.dispatch(SetUserActive { id: uid, active: true }); }>
                        {i18n.t(AdminMsg::Reactivate)}
                    </button>
                }.into_any()
            }}
            {user.row.two_factor.then(|| view! {
                <button class="button secondary" data-testid="reset-2fa" on:click=move |_| {
                    if crate::components::ui::confirm(i18n.t(AdminMsg::ConfirmResetTwoFactor)) {
                        reset.dispatch(ResetUserTwoFactor { id: uid });
                    }
                }>{i18n.t(AdminMsg::ResetTwoFactor)}</button>
            })}
        </PageHeader>
        <FormError error />
        <dl class="facts" data-testid="user-facts">
            <dt>{i18n.t(Msg::Email)}</dt><dd>{user.row.email.clone()}</dd>
            <dt>{i18n.t(AdminMsg::Role)}</dt><dd>{i18n.t(role_label(role))}</dd>
            <dt>{i18n.t(Msg::Status)}</dt>
            <dd data-testid="user-status">{i18n.t(if is_active { AdminMsg::Active } else { AdminMsg::Inactive })}</dd>
            <dt>{i18n.t(AdminMsg::TwoFactor)}</dt><dd>{if user.row.two_factor { "✓" } else { "—" }}</dd>
            <dt>{i18n.t(AdminMsg::OpenSessions)}</dt><dd data-testid="user-sessions">{user.sessions}</dd>
            <dt>{i18n.t(AdminMsg::LiveTokens)}</dt><dd>{user.api_tokens}</dd>
        </dl>
        {(role != Role::Ceo).then(|| view! { <AccessEditor uid role current=user.access.clone() action=access company_name=Callback::new(company_name) /> })}
    }
    .into_any()
}

/// One membership being edited: company, party, staff permissions.
type AccessRow = (Uuid, Option<Uuid>, RwSignal<Vec<String>>);

/// The memberships of a person, editable: companies, party, staff permissions.
#[component]
fn AccessEditor(
    uid: Uuid,
    role: Role,
    current: Vec<AccessInput>,
    action: ServerAction<SetUserAccess>,
    company_name: Callback<Uuid, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let rows: RwSignal<Vec<AccessRow>> = RwSignal::new(
        current
            .into_iter()
            .map(|a| (a.company_id, a.party_id, RwSignal::new(a.permissions)))
            .collect(),
    );
    let first = use_user()
        .and_then(|u| u.companies.first().map(|c| c.id))
        .unwrap_or_default();
    let new_company = RwSignal::new(first);
    let new_party = RwSignal::new(String::new());
    let role_signal = Signal::derive(move || role);
    let save = move || {
        action.dispatch(SetUserAccess {
            id: uid,
            access: rows
                .get_untracked()
                .iter()
                .map(|(c, p, perms)| AccessInput {
                    company_id: *c,
                    party_id: *p,
                    permissions: perms.get_untracked(),
                })
                .collect(),
        });
    };
    view! {
        <section class="page-card" aria-labelledby="access-title">
            <h2 id="access-title">{i18n.t(AdminMsg::Companies)}</h2>
            <FormError error />
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="alert alert-ok" role="status">{i18n.t(AdminMsg::Done)}</p> })}
            <For
                each={move || rows.get().into_iter().enumerate().collect::<Vec<_>>()}
                key={|(i, (c, ..)): &(usize, AccessRow)| (*i, *c)}
                children={move |(i, (company, _, perms)): (usize, AccessRow)| view! {
                    <div class="access-row" data-testid=format!("access-{i}")>
                        <h3>{company_name.run(company)}</h3>
                        {(role == Role::Staff).then(|| view! { <PermissionBoxes scope="a" chosen=perms /> })}
                        <button type="button" class="button secondary" on:click=move |_| rows.update(|r| { r.remove(i); })>
                            {i18n.t(AdminMsg::RemoveAccess)}
                        </button>
                    </div>
                }}
            />
            <h3>{i18n.t(AdminMsg::AddCompany)}</h3>
            <div class="grid-2">
                <CompanyField scope="n" value=new_company />
                {party_kind(role).map(|_| view! {
                    <PartyPicker scope="n" company=new_company role=role_signal party=new_party error field="party_id".to_owned() />
                })}
            </div>
            <button type="button" class="button secondary" on:click=move |_| {
                let company = new_company.get_untracked();
                if rows.with_untracked(|r| r.iter().all(|(c, ..)| *c != company)) {
                    let party = new_party.get_untracked().parse().ok();
                    let perms = RwSignal::new(if role == Role::Staff { default_staff_permissions() } else { Vec::new() });
                    rows.update(|r| r.push((company, party, perms)));
                }
            }>{i18n.t(AdminMsg::AddCompany)}</button>
            " "
            <button type="button" class="button" data-testid="save-access" on:click=move |_| save()>
                {i18n.t(AdminMsg::SaveAccess)}
            </button>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::PermissionSet;

    #[test]
    fn invited_staff_start_with_reading_rights_only() {
        let set = PermissionSet::from_names(&default_staff_permissions());
        assert!(set.contains(Permission::InvoicesRead));
        assert!(!set.contains(Permission::InvoicesWrite));
        assert!(!set.contains(Permission::UsersWrite));
    }
}
