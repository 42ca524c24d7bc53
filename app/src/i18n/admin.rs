//! Messages of the administration pages: people and access, company settings.

messages! {
    /// Administration pages' messages.
    AdminMsg;
    Invite { en: "Invite someone", fr: "Inviter quelqu'un", de: "Jemanden einladen" }
    SendInvitation { en: "Send the invitation", fr: "Envoyer l'invitation", de: "Einladung senden" }
    Invited { en: "Invitation sent. Only the person invited receives the link.", fr: "Invitation envoyée. Seule la personne invitée reçoit le lien.", de: "Einladung gesendet. Nur die eingeladene Person erhält den Link." }
    AccessGranted { en: "This address already has an account: it now has this access, and was told so. Its password did not change.", fr: "Cette adresse a déjà un compte : il a maintenant cet accès et en a été informé. Son mot de passe n'a pas changé.", de: "Diese Adresse hat bereits ein Konto: Es hat jetzt diesen Zugang und wurde informiert. Sein Passwort hat sich nicht geändert." }
    Role { en: "Role", fr: "Rôle", de: "Rolle" }
    RoleCeo { en: "CEO", fr: "Direction", de: "Geschäftsleitung" }
    RoleStaff { en: "Staff", fr: "Collaborateur", de: "Mitarbeitende" }
    RoleClient { en: "Client", fr: "Client (portail)", de: "Kunde (Portal)" }
    RoleProvider { en: "Provider", fr: "Prestataire", de: "Dienstleister" }
    RoleReseller { en: "Reseller", fr: "Revendeur", de: "Wiederverkäufer" }
    Party { en: "Acting for", fr: "Agit pour", de: "Handelt für" }
    Permissions { en: "Permissions", fr: "Autorisations", de: "Berechtigungen" }
    Companies { en: "Companies", fr: "Sociétés", de: "Firmen" }
    Active { en: "Active", fr: "Actif", de: "Aktiv" }
    Inactive { en: "Deactivated", fr: "Désactivé", de: "Deaktiviert" }
    Pending { en: "Invitation pending", fr: "Invitation en attente", de: "Einladung ausstehend" }
    TwoFactor { en: "Second factor", fr: "Second facteur", de: "Zweiter Faktor" }
    LastSignIn { en: "Last sign-in", fr: "Dernière connexion", de: "Letzte Anmeldung" }
    Never { en: "never", fr: "jamais", de: "nie" }
    Deactivate { en: "Deactivate (signs out everywhere)", fr: "Désactiver (déconnecte partout)", de: "Deaktivieren (überall abmelden)" }
    Reactivate { en: "Reactivate", fr: "Réactiver", de: "Reaktivieren" }
    ConfirmDeactivate { en: "Deactivate this account? Its sessions and API tokens stop working at once.", fr: "Désactiver ce compte ? Ses sessions et jetons d'API cessent de fonctionner immédiatement.", de: "Dieses Konto deaktivieren? Seine Sitzungen und API-Tokens funktionieren sofort nicht mehr." }
    ResetTwoFactor { en: "Remove the second factor", fr: "Retirer le second facteur", de: "Zweiten Faktor entfernen" }
    ConfirmResetTwoFactor { en: "Remove this person's second factor (lost phone)? They enrol again at their next sign-in. This is recorded in the audit log.", fr: "Retirer le second facteur de cette personne (téléphone perdu) ? Elle le réenregistre à sa prochaine connexion. L'action est consignée dans le journal d'audit.", de: "Den zweiten Faktor dieser Person entfernen (Telefon verloren)? Sie richtet ihn bei der nächsten Anmeldung neu ein. Dies wird im Audit-Protokoll vermerkt." }
    Done { en: "Done.", fr: "C'est fait.", de: "Erledigt." }
    SaveAccess { en: "Save the access", fr: "Enregistrer les accès", de: "Zugänge speichern" }
    AddCompany { en: "Add a company", fr: "Ajouter une société", de: "Firma hinzufügen" }
    RemoveAccess { en: "Remove", fr: "Retirer", de: "Entfernen" }
    OpenSessions { en: "Open sessions", fr: "Sessions ouvertes", de: "Offene Sitzungen" }
    LiveTokens { en: "API tokens", fr: "Jetons d'API", de: "API-Tokens" }
    UsersEmpty { en: "No one but you yet. Invite your staff, providers and resellers: each gets a personal link to choose a password.", fr: "Personne d'autre que vous pour l'instant. Invitez vos collaborateurs, prestataires et revendeurs : chacun reçoit un lien personnel pour choisir son mot de passe.", de: "Ausser Ihnen noch niemand. Laden Sie Mitarbeitende, Dienstleister und Wiederverkäufer ein: Alle erhalten einen persönlichen Link zur Wahl ihres Passworts." }
    Identity { en: "Identity (on every document)", fr: "Identité (sur chaque document)", de: "Identität (auf jedem Dokument)" }
    LegalName { en: "Legal name", fr: "Raison sociale", de: "Firmenname laut Handelsregister" }
    Uid { en: "UID (CHE-123.456.789)", fr: "IDE (CHE-123.456.789)", de: "UID (CHE-123.456.789)" }
    Colour { en: "Brand colour", fr: "Couleur de la marque", de: "Markenfarbe" }
    Logo { en: "Logo (PNG or JPEG, up to 512 KB)", fr: "Logo (PNG ou JPEG, 512 Ko au plus)", de: "Logo (PNG oder JPEG, höchstens 512 KB)" }
    UploadLogo { en: "Upload the logo", fr: "Téléverser le logo", de: "Logo hochladen" }
    RemoveLogo { en: "Remove the logo", fr: "Retirer le logo", de: "Logo entfernen" }
    LogoRefused { en: "This file is not a PNG or JPEG image of at most 512 KB.", fr: "Ce fichier n'est pas une image PNG ou JPEG de 512 Ko au plus.", de: "Diese Datei ist kein PNG- oder JPEG-Bild von höchstens 512 KB." }
    Documents { en: "Documents", fr: "Documents", de: "Dokumente" }
    PaymentTerms { en: "Payment terms (days)", fr: "Délai de paiement (jours)", de: "Zahlungsfrist (Tage)" }
    RoundTo5 { en: "Round CHF totals to 5 centimes", fr: "Arrondir les totaux en CHF aux 5 centimes", de: "CHF-Totale auf 5 Rappen runden" }
    VatRounding { en: "VAT rounding", fr: "Arrondi de la TVA", de: "MWST-Rundung" }
    QuoteFormat { en: "Quote numbers", fr: "Numéros de devis", de: "Offertnummern" }
    InvoiceFormat { en: "Invoice numbers", fr: "Numéros de facture", de: "Rechnungsnummern" }
    CreditNoteFormat { en: "Credit note numbers", fr: "Numéros de note de crédit", de: "Gutschriftsnummern" }
    FormatHint { en: "{YYYY} or {YY} for the year, {NNNN} for the counter (as many N as digits), {CODE} for the company code.", fr: "{YYYY} ou {YY} pour l'année, {NNNN} pour le compteur (autant de N que de chiffres), {CODE} pour le code de la société.", de: "{YYYY} oder {YY} für das Jahr, {NNNN} für den Zähler (so viele N wie Ziffern), {CODE} für den Firmencode." }
    DocumentLanguage { en: "Language of new clients' documents", fr: "Langue des documents des nouveaux clients", de: "Dokumentsprache neuer Kunden" }
    Mail { en: "Email", fr: "E-mail", de: "E-Mail" }
    SenderName { en: "Sender name", fr: "Nom de l'expéditeur", de: "Absendername" }
    ReplyTo { en: "Replies go to", fr: "Les réponses vont à", de: "Antworten gehen an" }
    BankAccounts { en: "Bank accounts", fr: "Comptes bancaires", de: "Bankkonten" }
    QrIban { en: "QR-IBAN (if the bank issued one)", fr: "QR-IBAN (si la banque en a émis un)", de: "QR-IBAN (falls von der Bank ausgestellt)" }
    ReceivesInvoices { en: "Invoices in this currency are paid to it", fr: "Les factures dans cette monnaie y sont payées", de: "Rechnungen in dieser Währung werden darauf bezahlt" }
    AddAccount { en: "Add an account", fr: "Ajouter un compte", de: "Konto hinzufügen" }
    DepositRules { en: "Deposit rules", fr: "Règles d'acompte", de: "Anzahlungsregeln" }
    DepositRulesIntro { en: "The deposit asked when a client signs, per project type ('default' for every other type).", fr: "L'acompte demandé à la signature, par type de projet (« default » pour tous les autres types).", de: "Die bei Unterzeichnung verlangte Anzahlung, pro Projektart («default» für alle anderen Arten)." }
    DepositDueDays { en: "Days to pay", fr: "Jours pour payer", de: "Zahlungsfrist in Tagen" }
    AddRule { en: "Save the rule", fr: "Enregistrer la règle", de: "Regel speichern" }
    RemoveRule { en: "Remove the rule", fr: "Supprimer la règle", de: "Regel löschen" }
    LinkWithheld { en: "personal link sent: only the recipient can open it", fr: "lien personnel envoyé : seul le destinataire peut l'ouvrir", de: "persönlicher Link gesendet: nur der Empfänger kann ihn öffnen" }
    AccountName { en: "Account name", fr: "Nom du compte", de: "Kontoname" }
    ResCompanies { en: "Companies", fr: "Sociétés", de: "Firmen" }
    ResContacts { en: "Contacts", fr: "Contacts", de: "Kontakte" }
    ResLeads { en: "Leads", fr: "Prospects", de: "Leads" }
    ResProducts { en: "Catalogue", fr: "Catalogue", de: "Katalog" }
    ResQuotes { en: "Quotes", fr: "Devis", de: "Offerten" }
    ResTerms { en: "Terms of sale", fr: "Conditions générales", de: "AGB" }
    ResInvoices { en: "Invoices", fr: "Factures", de: "Rechnungen" }
    ResPayments { en: "Payments", fr: "Paiements", de: "Zahlungen" }
    ResCreditNotes { en: "Credit notes", fr: "Notes de crédit", de: "Gutschriften" }
    ResBank { en: "Bank", fr: "Banque", de: "Bank" }
    ResSupplierInvoices { en: "Supplier bills", fr: "Factures fournisseurs", de: "Lieferantenrechnungen" }
    ResExpenses { en: "Expenses", fr: "Dépenses", de: "Spesen" }
    ResDunning { en: "Dunning", fr: "Relances", de: "Mahnwesen" }
    ResSubscriptions { en: "Subscriptions", fr: "Abonnements", de: "Abonnemente" }
    ResReports { en: "Reports", fr: "Rapports", de: "Berichte" }
    ResProjects { en: "Projects", fr: "Projets", de: "Projekte" }
    ResTime { en: "Timesheets", fr: "Feuilles de temps", de: "Zeiterfassung" }
    ResTickets { en: "Support tickets", fr: "Tickets de support", de: "Support-Tickets" }
    ResMessages { en: "Messages", fr: "Messages", de: "Nachrichten" }
    ResDocuments { en: "Documents", fr: "Documents", de: "Dokumente" }
    ResKnowledge { en: "Knowledge base", fr: "Base de connaissances", de: "Wissensdatenbank" }
    ResProposals { en: "Provider proposals", fr: "Offres de prestataires", de: "Dienstleister-Angebote" }
    ResOrders { en: "Purchase orders", fr: "Bons de commande", de: "Bestellungen" }
    ResCommissions { en: "Commissions", fr: "Commissions", de: "Provisionen" }
    ResAudit { en: "Audit log", fr: "Journal d'audit", de: "Audit-Protokoll" }
    ResUsers { en: "People", fr: "Personnes", de: "Personen" }
    ResSettings { en: "Settings", fr: "Paramètres", de: "Einstellungen" }
    ResIntegrations { en: "Integrations", fr: "Intégrations", de: "Integrationen" }
    ActRead { en: "read", fr: "consulter", de: "lesen" }
    ActWrite { en: "change", fr: "modifier", de: "ändern" }
    ActSend { en: "send", fr: "envoyer", de: "senden" }
    ActSign { en: "sign", fr: "signer", de: "unterzeichnen" }
    ActApprove { en: "approve", fr: "approuver", de: "freigeben" }
    ActValidate { en: "validate", fr: "valider", de: "validieren" }
    ActConfirm { en: "confirm", fr: "confirmer", de: "bestätigen" }
    BillCeoAbove { en: "The CEO approves bills above (CHF)", fr: "Le CEO approuve les factures au-dessus de (CHF)", de: "Der CEO gibt Rechnungen frei über (CHF)" }
    BillCodeAbove { en: "With a fresh second-factor code above (CHF)", fr: "Avec un nouveau code de second facteur au-dessus de (CHF)", de: "Mit neuem Code des zweiten Faktors über (CHF)" }
}

/// A permission in words: its resource and its action (`invoices.write` → "Invoices: change").
pub fn permission_label(p: crate::auth::Permission, locale: crate::i18n::Locale) -> String {
    let (resource, action) = p.as_str().split_once('.').unwrap_or((p.as_str(), ""));
    let resource = match resource {
        "companies" => AdminMsg::ResCompanies,
        "contacts" => AdminMsg::ResContacts,
        "leads" => AdminMsg::ResLeads,
        "products" => AdminMsg::ResProducts,
        "quotes" => AdminMsg::ResQuotes,
        "terms" => AdminMsg::ResTerms,
        "invoices" => AdminMsg::ResInvoices,
        "payments" => AdminMsg::ResPayments,
        "credit_notes" => AdminMsg::ResCreditNotes,
        "bank" => AdminMsg::ResBank,
        "supplier_invoices" => AdminMsg::ResSupplierInvoices,
        "expenses" => AdminMsg::ResExpenses,
        "dunning" => AdminMsg::ResDunning,
        "subscriptions" => AdminMsg::ResSubscriptions,
        "reports" => AdminMsg::ResReports,
        "projects" => AdminMsg::ResProjects,
        "time" => AdminMsg::ResTime,
        "tickets" => AdminMsg::ResTickets,
        "messages" => AdminMsg::ResMessages,
        "documents" => AdminMsg::ResDocuments,
        "knowledge" => AdminMsg::ResKnowledge,
        "proposals" => AdminMsg::ResProposals,
        "orders" => AdminMsg::ResOrders,
        "commissions" => AdminMsg::ResCommissions,
        "audit" => AdminMsg::ResAudit,
        "users" => AdminMsg::ResUsers,
        "settings" => AdminMsg::ResSettings,
        _ => AdminMsg::ResIntegrations,
    };
    let action = match action {
        "read" => AdminMsg::ActRead,
        "send" => AdminMsg::ActSend,
        "sign" => AdminMsg::ActSign,
        "approve" => AdminMsg::ActApprove,
        "validate" => AdminMsg::ActValidate,
        "confirm" => AdminMsg::ActConfirm,
        _ => AdminMsg::ActWrite,
    };
    format!("{}: {}", resource.text(locale), action.text(locale))
}

/// A role in words.
pub fn role_label(role: crate::auth::Role) -> AdminMsg {
    match role {
        crate::auth::Role::Ceo => AdminMsg::RoleCeo,
        crate::auth::Role::Staff => AdminMsg::RoleStaff,
        crate::auth::Role::Client => AdminMsg::RoleClient,
        crate::auth::Role::Provider => AdminMsg::RoleProvider,
        crate::auth::Role::Reseller => AdminMsg::RoleReseller,
    }
}
