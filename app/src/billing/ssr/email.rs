//! Business emails (FR/DE/EN), queued in the outbox inside the transaction of the change.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Locale;

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
    /// An invitation to the client portal.
    PortalInvitation {
        /// Sender.
        company: &'a str,
    },
}

impl Mail<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Mail::QuoteSent { .. } => "quote_sent",
            Mail::InvoiceSent { .. } => "invoice_sent",
            Mail::ProjectActivated { .. } => "project_activated",
            Mail::PortalInvitation { .. } => "portal_invitation",
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
            (Mail::PortalInvitation { company }, Locale::Fr) => (
                format!("Votre accès au portail client de {company}"),
                format!("Bonjour,\n\n{company} vous invite à son portail client (devis, factures, projets). Choisissez votre mot de passe ici (lien valable 7 jours) :\n{link}\n\nMeilleures salutations\n{company}\n"),
            ),
            (Mail::PortalInvitation { company }, Locale::De) => (
                format!("Ihr Zugang zum Kundenportal von {company}"),
                format!("Guten Tag\n\n{company} lädt Sie in sein Kundenportal ein (Offerten, Rechnungen, Projekte). Wählen Sie hier Ihr Passwort (Link 7 Tage gültig):\n{link}\n\nFreundliche Grüsse\n{company}\n"),
            ),
            (Mail::PortalInvitation { company }, Locale::En) => (
                format!("Your access to the {company} client portal"),
                format!("Hello,\n\n{company} invites you to its client portal (quotes, invoices, projects). Choose your password here (link valid for 7 days):\n{link}\n\nKind regards\n{company}\n"),
            ),
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
