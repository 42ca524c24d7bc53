//! Business emails (FR/DE/EN), queued in the outbox inside the transaction of the change.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::auth::ssr::crypto::SecretBox;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::portal::Portal;

/// What the email is about.
#[derive(Clone, Debug)]
pub enum Mail<'a> {
    /// A quote to review and sign.
    QuoteSent {
        /// Quote number.
        number: &'a str,
        /// Sender.
        company: &'a str,
    },
    /// An invoice (deposit or other) to pay.
    InvoiceSent {
        /// Invoice number.
        number: &'a str,
        /// Sender.
        company: &'a str,
        /// Amount with currency.
        amount: &'a str,
        /// Due date.
        due: &'a str,
    },
    /// The deposit arrived; the project starts.
    ProjectActivated {
        /// Project name.
        project: &'a str,
        /// Sender.
        company: &'a str,
    },
    /// An invitation to a portal: the link sets the new account's password.
    PortalInvitation {
        /// Sender.
        company: &'a str,
        /// Which portal.
        portal: Portal,
    },
    /// A link to choose a new password.
    PasswordReset {
        /// Minutes the link stays valid.
        minutes: i64,
    },
    /// A link that lifts the sign-in lock of the address.
    AccountUnlock {
        /// Minutes the link stays valid.
        minutes: i64,
    },
    /// An existing account was given access to another company: no link, no new password.
    AccessGranted {
        /// The company now reachable.
        company: &'a str,
        /// Which portal.
        portal: Portal,
    },
    /// A provider's bill arrived.
    BillReceived {
        /// The paying company.
        company: &'a str,
        /// The bill's number (or file name).
        number: &'a str,
    },
    /// A provider's bill was approved for payment.
    BillApproved {
        /// The paying company.
        company: &'a str,
        /// The bill's number.
        number: &'a str,
    },
    /// A provider's bill was rejected.
    BillRejected {
        /// The paying company.
        company: &'a str,
        /// The bill's number (or file name).
        number: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// A provider's bill was paid (the transfer ordered).
    BillPaid {
        /// The paying company.
        company: &'a str,
        /// The bill's number.
        number: &'a str,
    },
}

/// The portal as the emails name it.
fn portal_name(portal: Portal, locale: Locale) -> &'static str {
    match (portal, locale) {
        (Portal::Ceo, Locale::Fr) => "portail de gestion",
        (Portal::Ceo, Locale::De) => "Verwaltungsportal",
        (Portal::Ceo, Locale::En) => "management portal",
        (Portal::Client, Locale::Fr) => "portail client",
        (Portal::Client, Locale::De) => "Kundenportal",
        (Portal::Client, Locale::En) => "client portal",
        (Portal::Provider, Locale::Fr) => "portail prestataire",
        (Portal::Provider, Locale::De) => "Dienstleisterportal",
        (Portal::Provider, Locale::En) => "provider portal",
        (Portal::Reseller, Locale::Fr) => "portail revendeur",
        (Portal::Reseller, Locale::De) => "Wiederverkäuferportal",
        (Portal::Reseller, Locale::En) => "reseller portal",
    }
}

/// Where a sealed link goes in a body (see [`queue_secret`]).
pub const LINK_PLACEHOLDER: &str = "{{link}}";

/// The purpose a sealed link is encrypted for.
pub const LINK_SEAL: &str = "email-link";

impl Mail<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Mail::QuoteSent { .. } => "quote_sent",
            Mail::InvoiceSent { .. } => "invoice_sent",
            Mail::ProjectActivated { .. } => "project_activated",
            Mail::PortalInvitation { .. } => "portal_invitation",
            Mail::AccessGranted { .. } => "access_granted",
            Mail::PasswordReset { .. } => "password_reset",
            Mail::AccountUnlock { .. } => "account_unlock",
            Mail::BillReceived { .. } => "bill_received",
            Mail::BillApproved { .. } => "bill_approved",
            Mail::BillRejected { .. } => "bill_rejected",
            Mail::BillPaid { .. } => "bill_paid",
        }
    }

    /// Subject and body in `locale`, with `link` to the portal page.
    pub fn render(&self, locale: Locale, link: &str) -> (String, String) {
        match (self, locale) {
            (Mail::QuoteSent { number, company }, Locale::Fr) => (
                format!("Devis {number} de {company}"),
                format!("Bonjour,\n\nVotre devis {number} est prêt. Vous pouvez le consulter, accepter nos conditions générales et le signer en ligne :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::QuoteSent { number, company }, Locale::De) => (
                format!("Offerte {number} von {company}"),
                format!("Guten Tag\n\nIhre Offerte {number} ist bereit. Sie können sie online ansehen, unsere AGB akzeptieren und unterschreiben:\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::QuoteSent { number, company }, Locale::En) => (
                format!("Quote {number} from {company}"),
                format!("Hello,\n\nYour quote {number} is ready. You can review it, accept our terms of sale and sign it online:\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::InvoiceSent { number, company, amount, due }, Locale::Fr) => (
                format!("Facture {number} de {company}"),
                format!("Bonjour,\n\nVotre facture {number} de {amount} est payable jusqu'au {due}. La facture avec QR-facture est disponible ici :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::InvoiceSent { number, company, amount, due }, Locale::De) => (
                format!("Rechnung {number} von {company}"),
                format!("Guten Tag\n\nIhre Rechnung {number} über {amount} ist zahlbar bis {due}. Die Rechnung mit QR-Rechnung finden Sie hier:\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::InvoiceSent { number, company, amount, due }, Locale::En) => (
                format!("Invoice {number} from {company}"),
                format!("Hello,\n\nYour invoice {number} for {amount} is due by {due}. The invoice with its Swiss QR-bill is here:\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::ProjectActivated { project, company }, Locale::Fr) => (
                format!("Acompte reçu – le projet « {project} » démarre"),
                format!("Bonjour,\n\nNous avons bien reçu votre acompte. Le projet « {project} » est maintenant actif ; vous pouvez suivre son avancement ici :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::ProjectActivated { project, company }, Locale::De) => (
                format!("Anzahlung erhalten – Projekt «{project}» startet"),
                format!("Guten Tag\n\nWir haben Ihre Anzahlung erhalten. Das Projekt «{project}» ist jetzt aktiv; den Fortschritt sehen Sie hier:\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::ProjectActivated { project, company }, Locale::En) => (
                format!("Deposit received – project “{project}” starts"),
                format!("Hello,\n\nWe have received your deposit. The project “{project}” is now active; follow its progress here:\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::PortalInvitation { company, portal }, Locale::Fr) => (
                format!("Votre accès au {} de {company}", portal_name(*portal, locale)),
                format!("Bonjour,\n\n{company} vous invite à son {}. Choisissez votre mot de passe ici (lien personnel, valable 7 jours, une seule fois) :\n{link}\n\nMeilleures salutations\n{company}\n", portal_name(*portal, locale)),
            ),
            (Mail::PortalInvitation { company, portal }, Locale::De) => (
                format!("Ihr Zugang zum {} von {company}", portal_name(*portal, locale)),
                format!("Guten Tag\n\n{company} lädt Sie in sein {} ein. Wählen Sie hier Ihr Passwort (persönlicher Link, 7 Tage gültig, nur einmal):\n{link}\n\nFreundliche Grüsse\n{company}\n", portal_name(*portal, locale)),
            ),
            (Mail::PortalInvitation { company, portal }, Locale::En) => (
                format!("Your access to the {} of {company}", portal_name(*portal, locale)),
                format!("Hello,\n\n{company} invites you to its {}. Choose your password here (a personal link, valid for 7 days, once):\n{link}\n\nKind regards\n{company}\n", portal_name(*portal, locale)),
            ),
            (Mail::PasswordReset { minutes }, Locale::Fr) => (
                "Réinitialisation de votre mot de passe".into(),
                format!("Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable {minutes} minutes, une seule fois) :\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n"),
            ),
            (Mail::PasswordReset { minutes }, Locale::De) => (
                "Zurücksetzen Ihres Passworts".into(),
                format!("Guten Tag\n\nUm ein neues Passwort zu wählen, öffnen Sie diesen Link (gültig {minutes} Minuten, nur einmal):\n{link}\n\nFalls Sie dies nicht angefordert haben, ignorieren Sie diese Nachricht.\n"),
            ),
            (Mail::PasswordReset { minutes }, Locale::En) => (
                "Reset your password".into(),
                format!("Hello,\n\nTo choose a new password, open this link (valid for {minutes} minutes, once):\n{link}\n\nIf you did not ask for this, ignore this message.\n"),
            ),
            (Mail::AccountUnlock { minutes }, Locale::Fr) => (
                "Débloquer la connexion à votre compte".into(),
                format!("Bonjour,\n\nAprès plusieurs essais de connexion manqués, votre compte a été bloqué pour un moment. Pour le débloquer tout de suite, ouvrez ce lien (valable {minutes} minutes, une seule fois) :\n{link}\n\nSi ces essais ne venaient pas de vous, changez votre mot de passe.\n"),
            ),
            (Mail::AccountUnlock { minutes }, Locale::De) => (
                "Anmeldung bei Ihrem Konto entsperren".into(),
                format!("Guten Tag\n\nNach mehreren fehlgeschlagenen Anmeldeversuchen wurde Ihr Konto vorübergehend gesperrt. Um es sofort zu entsperren, öffnen Sie diesen Link (gültig {minutes} Minuten, nur einmal):\n{link}\n\nFalls diese Versuche nicht von Ihnen stammen, ändern Sie Ihr Passwort.\n"),
            ),
            (Mail::AccountUnlock { minutes }, Locale::En) => (
                "Unlock sign-in to your account".into(),
                format!("Hello,\n\nAfter several failed sign-in attempts your account was locked for a while. To unlock it now, open this link (valid for {minutes} minutes, once):\n{link}\n\nIf those attempts were not yours, change your password.\n"),
            ),
            (Mail::AccessGranted { company, portal }, Locale::Fr) => (
                format!("{company} vous a ouvert son {}", portal_name(*portal, locale)),
                format!("Bonjour,\n\nVotre compte existant a désormais accès au {} de {company}. Connectez-vous comme d'habitude, avec votre mot de passe actuel :\n{link}\n\nSi vous ne vous y attendiez pas, signalez-le à {company}.\n", portal_name(*portal, locale)),
            ),
            (Mail::AccessGranted { company, portal }, Locale::De) => (
                format!("{company} hat Ihnen sein {} geöffnet", portal_name(*portal, locale)),
                format!("Guten Tag\n\nIhr bestehendes Konto hat jetzt Zugang zum {} von {company}. Melden Sie sich wie gewohnt mit Ihrem jetzigen Passwort an:\n{link}\n\nFalls Sie dies nicht erwartet haben, melden Sie es {company}.\n", portal_name(*portal, locale)),
            ),
            (Mail::AccessGranted { company, portal }, Locale::En) => (
                format!("{company} opened its {} to you", portal_name(*portal, locale)),
                format!("Hello,\n\nYour existing account now has access to the {} of {company}. Sign in as usual, with your current password:\n{link}\n\nIf you did not expect this, tell {company}.\n", portal_name(*portal, locale)),
            ),
            (Mail::BillReceived { company, number }, Locale::Fr) => (
                format!("Facture {number} reçue par {company}"),
                format!("Bonjour,\n\n{company} a bien reçu votre facture {number}. Vous serez informé de son approbation et de son paiement ; suivez-la ici :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::BillReceived { company, number }, Locale::De) => (
                format!("Rechnung {number} von {company} empfangen"),
                format!("Guten Tag\n\n{company} hat Ihre Rechnung {number} empfangen. Sie werden über Freigabe und Zahlung informiert; verfolgen Sie sie hier:\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::BillReceived { company, number }, Locale::En) => (
                format!("Invoice {number} received by {company}"),
                format!("Hello,\n\n{company} has received your invoice {number}. You will hear when it is approved and paid; follow it here:\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::BillApproved { company, number }, Locale::Fr) => (
                format!("Facture {number} approuvée par {company}"),
                format!("Bonjour,\n\nVotre facture {number} a été approuvée ; elle sera payée à son échéance.\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::BillApproved { company, number }, Locale::De) => (
                format!("Rechnung {number} von {company} freigegeben"),
                format!("Guten Tag\n\nIhre Rechnung {number} wurde freigegeben; sie wird bei Fälligkeit bezahlt.\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::BillApproved { company, number }, Locale::En) => (
                format!("Invoice {number} approved by {company}"),
                format!("Hello,\n\nYour invoice {number} has been approved; it will be paid when due.\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::BillRejected { company, number, reason }, Locale::Fr) => (
                format!("Facture {number} refusée par {company}"),
                format!("Bonjour,\n\nVotre facture {number} a été refusée, pour la raison suivante :\n{reason}\n\nVous pouvez envoyer une facture corrigée ici :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::BillRejected { company, number, reason }, Locale::De) => (
                format!("Rechnung {number} von {company} abgelehnt"),
                format!("Guten Tag\n\nIhre Rechnung {number} wurde aus folgendem Grund abgelehnt:\n{reason}\n\nEine korrigierte Rechnung können Sie hier senden:\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::BillRejected { company, number, reason }, Locale::En) => (
                format!("Invoice {number} rejected by {company}"),
                format!("Hello,\n\nYour invoice {number} was rejected, for this reason:\n{reason}\n\nYou can send a corrected invoice here:\n{link}\n\nKind regards\n{company}\n"),
            ),
            (Mail::BillPaid { company, number }, Locale::Fr) => (
                format!("Facture {number} payée par {company}"),
                format!("Bonjour,\n\nLe paiement de votre facture {number} a été ordonné.\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::BillPaid { company, number }, Locale::De) => (
                format!("Rechnung {number} von {company} bezahlt"),
                format!("Guten Tag\n\nDie Zahlung Ihrer Rechnung {number} wurde beauftragt.\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::BillPaid { company, number }, Locale::En) => (
                format!("Invoice {number} paid by {company}"),
                format!("Hello,\n\nThe payment of your invoice {number} has been ordered.\n{link}\n\nKind regards\n{company}\n"),
            ),
        }
    }
}

/// Queues `mail` whose `link` grants access (an invitation, a password reset): the body holds
/// [`LINK_PLACEHOLDER`] and the link is stored sealed, opened only by the sender worker.
#[allow(clippy::too_many_arguments)]
pub async fn queue_secret(
    conn: &mut PgConnection,
    secrets: &SecretBox,
    company_id: Option<Uuid>,
    party_id: Option<Uuid>,
    to: &str,
    locale: Locale,
    mail: Mail<'_>,
    link: &str,
) -> Result<(), AppError> {
    let (subject, body) = mail.render(locale, LINK_PLACEHOLDER);
    let sealed = secrets
        .encrypt(link.as_bytes(), LINK_SEAL)
        .map_err(|_| AppError::Internal)?;
    sqlx::query!(
        r#"INSERT INTO email_outbox (company_id, party_id, kind, to_address, subject, body_text, secret_link)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        company_id,
        party_id,
        mail.kind(),
        to,
        subject,
        body,
        sealed,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The body to send: the sealed link put back in its place. `None` when the seal does not open
/// (another master key): the message must not go out with a dead placeholder.
pub fn reveal(body: &str, secret_link: Option<&[u8]>, secrets: &SecretBox) -> Option<String> {
    match secret_link {
        None => Some(body.to_owned()),
        Some(sealed) => {
            let link = secrets.decrypt(sealed, LINK_SEAL).ok()?;
            Some(body.replace(LINK_PLACEHOLDER, std::str::from_utf8(&link).ok()?))
        }
    }
}

/// Queues `mail` to `to` in the caller's transaction.
pub async fn queue(
    conn: &mut PgConnection,
    company_id: Uuid,
    party_id: Option<Uuid>,
    to: &str,
    locale: Locale,
    mail: Mail<'_>,
    link: &str,
) -> Result<(), AppError> {
    let (subject, body) = mail.render(locale, link);
    sqlx::query!(
        r#"INSERT INTO email_outbox (company_id, party_id, kind, to_address, subject, body_text, link)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        company_id,
        party_id,
        mail.kind(),
        to,
        subject,
        body,
        link,
    )
    .execute(conn)
    .await?;
    Ok(())
}
