//! The shared message table: navigation, forms, statuses, and the sales cycle of round 1.

messages! {
    /// A user-facing message of the shared table; [`Msg::text`] gives it in a locale.
    Msg;
    AppName { en: "Unified Platform", fr: "Unified Platform", de: "Unified Platform" }
    SkipToContent { en: "Skip to main content", fr: "Aller au contenu principal", de: "Zum Hauptinhalt springen" }
    Language { en: "Language", fr: "Langue", de: "Sprache" }
    MainNavigation { en: "Main navigation", fr: "Navigation principale", de: "Hauptnavigation" }
    UserMenu { en: "User menu", fr: "Menu utilisateur", de: "Benutzermenü" }
    SignIn { en: "Sign in", fr: "Se connecter", de: "Anmelden" }
    SignOut { en: "Sign out", fr: "Se déconnecter", de: "Abmelden" }
    Home { en: "Home", fr: "Accueil", de: "Startseite" }
    Overview { en: "Overview", fr: "Vue d'ensemble", de: "Übersicht" }

    LandingTitle { en: "Run your five companies from one place", fr: "Pilotez vos cinq sociétés depuis un seul endroit", de: "Führen Sie Ihre fünf Unternehmen von einem Ort aus" }
    LandingDescription { en: "CRM, quotes, Swiss QR-bill invoices, supplier bills, bank reconciliation, projects, dunning and commissions for the HMF holding.", fr: "CRM, devis, factures avec QR-facture suisse, factures fournisseurs, rapprochement bancaire, projets, relances et commissions pour la holding HMF.", de: "CRM, Offerten, Rechnungen mit Schweizer QR-Rechnung, Lieferantenrechnungen, Bankabgleich, Projekte, Mahnwesen und Provisionen für die HMF-Holding." }
    LandingPortals { en: "Portals", fr: "Portails", de: "Portale" }
    LandingOpenPortal { en: "Open portal", fr: "Ouvrir le portail", de: "Portal öffnen" }

    PortalCeo { en: "CEO portal", fr: "Portail direction", de: "Geschäftsleitungsportal" }
    PortalCeoDescription { en: "All five companies at a glance: finance, projects, CRM, automation.", fr: "Les cinq sociétés d'un coup d'œil : finances, projets, CRM, automatisation.", de: "Alle fünf Unternehmen auf einen Blick: Finanzen, Projekte, CRM, Automatisierung." }
    PortalClient { en: "Client portal", fr: "Portail client", de: "Kundenportal" }
    PortalClientDescription { en: "Quotes to sign, invoices to pay, projects and documents.", fr: "Devis à signer, factures à payer, projets et documents.", de: "Offerten zum Unterschreiben, Rechnungen zum Bezahlen, Projekte und Dokumente." }
    PortalProvider { en: "Provider portal", fr: "Portail prestataire", de: "Dienstleisterportal" }
    PortalProviderDescription { en: "Quote requests, missions, timesheets and your invoices.", fr: "Demandes de devis, missions, feuilles de temps et vos factures.", de: "Offertanfragen, Einsätze, Zeiterfassung und Ihre Rechnungen." }
    PortalReseller { en: "Reseller portal", fr: "Portail revendeur", de: "Wiederverkäuferportal" }
    PortalResellerDescription { en: "Your leads, pipeline, clients and commissions.", fr: "Vos prospects, pipeline, clients et commissions.", de: "Ihre Leads, Pipeline, Kunden und Provisionen." }
    PortalWelcome { en: "Welcome", fr: "Bienvenue", de: "Willkommen" }

    CompanySwitcher { en: "Company", fr: "Société", de: "Unternehmen" }
    AllCompanies { en: "All companies", fr: "Toutes les sociétés", de: "Alle Unternehmen" }

    LoginTitle { en: "Sign in to Unified Platform", fr: "Connexion à Unified Platform", de: "Bei Unified Platform anmelden" }
    LoginDescription { en: "Sign in with your email address and password.", fr: "Connectez-vous avec votre adresse e-mail et votre mot de passe.", de: "Melden Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort an." }
    Email { en: "Email address", fr: "Adresse e-mail", de: "E-Mail-Adresse" }
    Password { en: "Password", fr: "Mot de passe", de: "Passwort" }
    ShowPassword { en: "Show password", fr: "Afficher le mot de passe", de: "Passwort anzeigen" }
    HidePassword { en: "Hide password", fr: "Masquer le mot de passe", de: "Passwort verbergen" }

    NotFoundTitle { en: "Page not found", fr: "Page introuvable", de: "Seite nicht gefunden" }
    NotFoundBody { en: "The page you asked for does not exist or has moved.", fr: "La page demandée n'existe pas ou a été déplacée.", de: "Die angeforderte Seite existiert nicht oder wurde verschoben." }
    BackHome { en: "Back to the home page", fr: "Retour à l'accueil", de: "Zurück zur Startseite" }
    ErrorTitle { en: "Something went wrong", fr: "Une erreur s'est produite", de: "Etwas ist schiefgelaufen" }
    ErrorBody { en: "The page could not be shown. Please try again; if it keeps happening, contact support.", fr: "La page n'a pas pu être affichée. Veuillez réessayer ; si le problème persiste, contactez le support.", de: "Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es erneut; falls das Problem weiterbesteht, kontaktieren Sie den Support." }
    TryAgain { en: "Try again", fr: "Réessayer", de: "Erneut versuchen" }
    FieldRequired { en: "This field is required.", fr: "Ce champ est obligatoire.", de: "Dieses Feld ist erforderlich." }
    FieldInvalidEmail { en: "Enter a valid email address.", fr: "Saisissez une adresse e-mail valide.", de: "Geben Sie eine gültige E-Mail-Adresse ein." }
    FieldTooShort { en: "Use at least {n} characters.", fr: "Utilisez au moins {n} caractères.", de: "Verwenden Sie mindestens {n} Zeichen." }
    FieldTooLong { en: "Use at most {n} characters.", fr: "Utilisez au plus {n} caractères.", de: "Verwenden Sie höchstens {n} Zeichen." }
    FieldInvalid { en: "This value is not accepted.", fr: "Cette valeur n'est pas acceptée.", de: "Dieser Wert wird nicht akzeptiert." }
    FieldMismatch { en: "The two entries do not match.", fr: "Les deux saisies ne correspondent pas.", de: "Die beiden Eingaben stimmen nicht überein." }
    ErrUnauthenticated { en: "Please sign in to continue.", fr: "Veuillez vous connecter pour continuer.", de: "Bitte melden Sie sich an, um fortzufahren." }
    ErrInvalidCredentials { en: "The email address or password is incorrect.", fr: "L'adresse e-mail ou le mot de passe est incorrect.", de: "E-Mail-Adresse oder Passwort ist falsch." }
    ErrForbidden { en: "You are not allowed to do this.", fr: "Vous n'êtes pas autorisé à effectuer cette action.", de: "Sie sind dazu nicht berechtigt." }
    ErrValidation { en: "Please correct the highlighted fields.", fr: "Veuillez corriger les champs signalés.", de: "Bitte korrigieren Sie die markierten Felder." }
    ErrConflict { en: "This action no longer applies: the data changed in the meantime.", fr: "Cette action ne s'applique plus : les données ont changé entre-temps.", de: "Diese Aktion ist nicht mehr möglich: Die Daten haben sich inzwischen geändert." }
    ErrRateLimited { en: "Too many attempts. Please wait a moment and try again.", fr: "Trop de tentatives. Patientez un instant puis réessayez.", de: "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut." }
    ErrUnavailable { en: "The service is temporarily unavailable. Please try again shortly.", fr: "Le service est momentanément indisponible. Réessayez dans un instant.", de: "Der Dienst ist vorübergehend nicht verfügbar. Bitte versuchen Sie es gleich erneut." }
    ErrBadRequest { en: "The request could not be understood.", fr: "La requête n'a pas pu être comprise.", de: "Die Anfrage konnte nicht verstanden werden." }
    ErrNetwork { en: "The server could not be reached. Check your connection.", fr: "Le serveur est injoignable. Vérifiez votre connexion.", de: "Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung." }
    Loading { en: "Loading…", fr: "Chargement…", de: "Wird geladen…" }
    SsoFailed { en: "Single sign-on did not succeed. Sign in with your password or try again.", fr: "La connexion unique a échoué. Connectez-vous avec votre mot de passe ou réessayez.", de: "Die Einmalanmeldung ist fehlgeschlagen. Melden Sie sich mit Ihrem Passwort an oder versuchen Sie es erneut." }
    SignInWith { en: "Sign in with", fr: "Se connecter avec", de: "Anmelden mit" }
    ForgotPassword { en: "Forgot your password?", fr: "Mot de passe oublié ?", de: "Passwort vergessen?" }
    ForgotIntro { en: "Enter your email address and we will send you a link to choose a new password.", fr: "Saisissez votre adresse e-mail : nous vous enverrons un lien pour choisir un nouveau mot de passe.", de: "Geben Sie Ihre E-Mail-Adresse ein; wir senden Ihnen einen Link, um ein neues Passwort zu wählen." }
    ForgotSent { en: "If an account exists for this address, a link is on its way. It is valid for 30 minutes.", fr: "Si un compte existe pour cette adresse, un lien vient d'être envoyé. Il est valable 30 minutes.", de: "Falls für diese Adresse ein Konto besteht, ist ein Link unterwegs. Er ist 30 Minuten gültig." }
    UnlockTitle { en: "Unlock your account", fr: "Débloquer votre compte", de: "Konto entsperren" }
    UnlockIntro { en: "After several failed attempts, sign-in from your network is paused. Enter your email address and we will send a link that unlocks it now.", fr: "Après plusieurs essais manqués, la connexion depuis votre réseau est suspendue. Saisissez votre adresse e-mail : nous vous enverrons un lien qui la débloque tout de suite.", de: "Nach mehreren Fehlversuchen ist die Anmeldung aus Ihrem Netzwerk pausiert. Geben Sie Ihre E-Mail-Adresse ein; wir senden Ihnen einen Link, der sie sofort entsperrt." }
    UnlockSent { en: "If an account exists for this address, an unlock link is on its way.", fr: "Si un compte existe pour cette adresse, un lien de déblocage vient d'être envoyé.", de: "Falls für diese Adresse ein Konto besteht, ist ein Entsperr-Link unterwegs." }
    UnlockConfirm { en: "Unlock sign-in", fr: "Débloquer la connexion", de: "Anmeldung entsperren" }
    UnlockDone { en: "Sign-in is unlocked. You can sign in again.", fr: "La connexion est débloquée. Vous pouvez vous connecter.", de: "Die Anmeldung ist entsperrt. Sie können sich wieder anmelden." }
    LockedOut { en: "Locked out? Get an unlock link by email", fr: "Bloqué ? Recevez un lien de déblocage par e-mail", de: "Gesperrt? Entsperr-Link per E-Mail erhalten" }
    SendResetLink { en: "Send the link", fr: "Envoyer le lien", de: "Link senden" }
    BackToSignIn { en: "Back to sign-in", fr: "Retour à la connexion", de: "Zurück zur Anmeldung" }
    ResetPassword { en: "Choose a new password", fr: "Choisir un nouveau mot de passe", de: "Neues Passwort wählen" }
    ResetDone { en: "Your password has been changed. Every session was signed out; sign in again.", fr: "Votre mot de passe a été changé. Toutes les sessions ont été fermées ; reconnectez-vous.", de: "Ihr Passwort wurde geändert. Alle Sitzungen wurden beendet; melden Sie sich erneut an." }
    ResetLinkInvalid { en: "This link is invalid, already used or expired. Ask for a new one.", fr: "Ce lien est invalide, déjà utilisé ou expiré. Demandez-en un nouveau.", de: "Dieser Link ist ungültig, bereits verwendet oder abgelaufen. Fordern Sie einen neuen an." }
    NewPassword { en: "New password", fr: "Nouveau mot de passe", de: "Neues Passwort" }
    CurrentPassword { en: "Current password", fr: "Mot de passe actuel", de: "Aktuelles Passwort" }
    ConfirmPassword { en: "Repeat the new password", fr: "Répétez le nouveau mot de passe", de: "Neues Passwort wiederholen" }
    PasswordRules { en: "At least 12 characters. A sentence is easy to remember.", fr: "Au moins 12 caractères. Une phrase se retient facilement.", de: "Mindestens 12 Zeichen. Ein Satz ist leicht zu merken." }
    TwoFactorTitle { en: "Two-step verification", fr: "Validation en deux étapes", de: "Zweistufige Bestätigung" }
    TwoFactorPrompt { en: "Enter the 6-digit code from your authenticator app.", fr: "Saisissez le code à 6 chiffres de votre application d'authentification.", de: "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein." }
    TwoFactorCode { en: "Verification code", fr: "Code de vérification", de: "Bestätigungscode" }
    TwoFactorCodeHint { en: "No phone at hand? Use one of your recovery codes.", fr: "Pas de téléphone sous la main ? Utilisez un de vos codes de secours.", de: "Kein Telefon zur Hand? Verwenden Sie einen Ihrer Wiederherstellungscodes." }
    Verify { en: "Verify", fr: "Vérifier", de: "Bestätigen" }
    Cancel { en: "Cancel", fr: "Annuler", de: "Abbrechen" }
    Continue { en: "Continue", fr: "Continuer", de: "Weiter" }
    EnrolTitle { en: "Set up two-step verification", fr: "Configurer la validation en deux étapes", de: "Zweistufige Bestätigung einrichten" }
    EnrolRequired { en: "Your role requires a second step at sign-in. Set up an authenticator app to continue.", fr: "Votre rôle exige une deuxième étape à la connexion. Configurez une application d'authentification pour continuer.", de: "Ihre Rolle erfordert einen zweiten Schritt bei der Anmeldung. Richten Sie eine Authenticator-App ein, um fortzufahren." }
    EnrolStart { en: "Set up an authenticator app", fr: "Configurer une application d'authentification", de: "Authenticator-App einrichten" }
    EnrolScan { en: "Scan this code with your authenticator app, then enter the code it shows.", fr: "Scannez ce code avec votre application d'authentification, puis saisissez le code affiché.", de: "Scannen Sie diesen Code mit Ihrer Authenticator-App und geben Sie dann den angezeigten Code ein." }
    EnrolQrLabel { en: "QR code for your authenticator app", fr: "Code QR pour votre application d'authentification", de: "QR-Code für Ihre Authenticator-App" }
    EnrolManual { en: "Cannot scan? Enter this key:", fr: "Impossible de scanner ? Saisissez cette clé :", de: "Scannen nicht möglich? Geben Sie diesen Schlüssel ein:" }
    RecoveryCodesIntro { en: "Keep these recovery codes somewhere safe. Each works once if you lose your phone. They will not be shown again.", fr: "Conservez ces codes de secours en lieu sûr. Chacun fonctionne une fois si vous perdez votre téléphone. Ils ne seront plus affichés.", de: "Bewahren Sie diese Wiederherstellungscodes sicher auf. Jeder funktioniert einmal, falls Sie Ihr Telefon verlieren. Sie werden nicht erneut angezeigt." }
    NewRecoveryCodes { en: "Generate new recovery codes", fr: "Générer de nouveaux codes de secours", de: "Neue Wiederherstellungscodes erzeugen" }
    TwoFactorOn { en: "Two-step verification is on.", fr: "La validation en deux étapes est activée.", de: "Die zweistufige Bestätigung ist aktiviert." }
    TwoFactorOff { en: "Two-step verification is off.", fr: "La validation en deux étapes est désactivée.", de: "Die zweistufige Bestätigung ist deaktiviert." }
    TwoFactorOffIntro { en: "Protect your account with a code from your phone at each sign-in.", fr: "Protégez votre compte avec un code de votre téléphone à chaque connexion.", de: "Schützen Sie Ihr Konto bei jeder Anmeldung mit einem Code von Ihrem Telefon." }
    TwoFactorDisable { en: "Turn off two-step verification", fr: "Désactiver la validation en deux étapes", de: "Zweistufige Bestätigung deaktivieren" }
    Account { en: "Account", fr: "Compte", de: "Konto" }
    Name { en: "Name", fr: "Nom", de: "Name" }
    ChangePassword { en: "Change password", fr: "Changer le mot de passe", de: "Passwort ändern" }
    PasswordChanged { en: "Password changed. Your other sessions were signed out.", fr: "Mot de passe changé. Vos autres sessions ont été fermées.", de: "Passwort geändert. Ihre anderen Sitzungen wurden beendet." }
    Sessions { en: "Active sessions", fr: "Sessions actives", de: "Aktive Sitzungen" }
    Device { en: "Device", fr: "Appareil", de: "Gerät" }
    IpAddress { en: "IP address", fr: "Adresse IP", de: "IP-Adresse" }
    LastSeen { en: "Last active", fr: "Dernière activité", de: "Zuletzt aktiv" }
    Actions { en: "Actions", fr: "Actions", de: "Aktionen" }
    ThisDevice { en: "This device", fr: "Cet appareil", de: "Dieses Gerät" }
    SignOutEverywhere { en: "Sign out everywhere", fr: "Se déconnecter partout", de: "Überall abmelden" }
    SignOutEverywhereHint { en: "Ends every session, this one included, and revokes your API tokens.", fr: "Termine toutes les sessions, y compris celle-ci, et révoque vos jetons d'API.", de: "Beendet alle Sitzungen, auch diese, und widerruft Ihre API-Token." }
    ApiTokens { en: "API tokens", fr: "Jetons d'API", de: "API-Token" }
    ApiTokenShownOnce { en: "Copy this token now: it will not be shown again.", fr: "Copiez ce jeton maintenant : il ne sera plus affiché.", de: "Kopieren Sie dieses Token jetzt: Es wird nicht erneut angezeigt." }
    CreateApiToken { en: "Create token", fr: "Créer un jeton", de: "Token erstellen" }
    Revoke { en: "Revoke", fr: "Révoquer", de: "Widerrufen" }
    ValidForDays { en: "Valid for (days)", fr: "Validité (jours)", de: "Gültigkeit (Tage)" }
    Permissions { en: "Permissions", fr: "Autorisations", de: "Berechtigungen" }
    ForbiddenTitle { en: "Not your portal", fr: "Ce portail ne vous est pas destiné", de: "Nicht Ihr Portal" }
    ForbiddenBody { en: "Your account does not have access to this portal.", fr: "Votre compte n'a pas accès à ce portail.", de: "Ihr Konto hat keinen Zugang zu diesem Portal." }
    GoToMyPortal { en: "Go to my portal", fr: "Aller à mon portail", de: "Zu meinem Portal" }
    FieldTooLarge { en: "This value is too large.", fr: "Cette valeur est trop élevée.", de: "Dieser Wert ist zu gross." }
    StatusDraft { en: "Draft", fr: "Brouillon", de: "Entwurf" }
    StatusSent { en: "Sent", fr: "Envoyé", de: "Versendet" }
    StatusViewed { en: "Viewed", fr: "Consulté", de: "Angesehen" }
    StatusSigned { en: "Signed", fr: "Signé", de: "Unterschrieben" }
    StatusAwaitingDeposit { en: "Awaiting deposit", fr: "Acompte attendu", de: "Anzahlung ausstehend" }
    StatusCompleted { en: "Completed", fr: "Terminé", de: "Abgeschlossen" }
    StatusRejected { en: "Declined", fr: "Refusé", de: "Abgelehnt" }
    StatusExpired { en: "Expired", fr: "Expiré", de: "Abgelaufen" }
    StatusPartial { en: "Partly paid", fr: "Payé partiellement", de: "Teilweise bezahlt" }
    StatusPaid { en: "Paid", fr: "Payé", de: "Bezahlt" }
    StatusOverdue { en: "Overdue", fr: "En retard", de: "Überfällig" }
    StatusCancelled { en: "Cancelled", fr: "Annulé", de: "Storniert" }
    StatusDisputed { en: "Disputed", fr: "Contesté", de: "Bestritten" }
    KindDeposit { en: "Deposit", fr: "Acompte", de: "Anzahlung" }
    KindMilestone { en: "Milestone", fr: "Jalon", de: "Meilenstein" }
    KindRecurring { en: "Recurring", fr: "Récurrente", de: "Wiederkehrend" }
    KindSupport { en: "Support", fr: "Assistance", de: "Support-Leistung" }
    KindStandard { en: "Invoice", fr: "Facture", de: "Rechnung" }
    KindFinal { en: "Final invoice", fr: "Facture finale", de: "Schlussrechnung" }
    AcceptAndSign { en: "Accept the terms and sign", fr: "Accepter les conditions et signer", de: "AGB akzeptieren und unterschreiben" }
    AcceptTerms { en: "I have read and accept the terms of sale above.", fr: "J'ai lu et j'accepte les conditions générales de vente ci-dessus.", de: "Ich habe die obigen AGB gelesen und akzeptiere sie." }
    Activities { en: "Activities", fr: "Activités", de: "Aktivitäten" }
    ActivityCall { en: "Call", fr: "Appel", de: "Anruf" }
    ActivityEmail { en: "Email", fr: "Courriel", de: "E-Mail-Nachricht" }
    ActivityMeeting { en: "Meeting", fr: "Rendez-vous", de: "Besprechung" }
    ActivityNote { en: "Note", fr: "Remarque", de: "Notiz" }
    AddActivity { en: "Log activity", fr: "Enregistrer l'activité", de: "Aktivität erfassen" }
    AddContact { en: "Add contact", fr: "Ajouter le contact", de: "Kontakt hinzufügen" }
    AddLine { en: "Add a line", fr: "Ajouter une ligne", de: "Zeile hinzufügen" }
    All { en: "All", fr: "Tous", de: "Alle" }
    Amount { en: "Amount", fr: "Montant", de: "Betrag" }
    AmountEmptyForAll { en: "Amount (empty: all that is due)", fr: "Montant (vide : tout le solde)", de: "Betrag (leer: gesamter Saldo)" }
    Balance { en: "Balance due", fr: "Solde dû", de: "Offener Betrag" }
    BankTransfer { en: "Bank transfer", fr: "Virement", de: "Überweisung" }
    BuildingNumber { en: "Building number", fr: "Numéro", de: "Hausnummer" }
    Card { en: "Card", fr: "Carte", de: "Karte" }
    Cash { en: "Cash", fr: "Espèces", de: "Bar" }
    Clear { en: "Clear", fr: "Effacer", de: "Löschen" }
    Client { en: "Client", fr: "Client", de: "Kunde" }
    Contact { en: "Contact person", fr: "Personne de contact", de: "Kontaktperson" }
    Contacts { en: "Contacts", fr: "Contacts", de: "Kontakte" }
    Content { en: "Text", fr: "Texte", de: "Text" }
    ConvertLead { en: "Convert into client and quote", fr: "Convertir en client et devis", de: "In Kunde und Offerte umwandeln" }
    ConvertLeadIntro { en: "Creates the client company, its contact and a draft quote from this lead.", fr: "Crée la société cliente, son contact et un projet de devis à partir de ce prospect.", de: "Erstellt aus diesem Lead die Kundenfirma, den Kontakt und einen Offertentwurf." }
    Country { en: "Country", fr: "Pays", de: "Land" }
    CreditNotes { en: "Credit notes", fr: "Notes de crédit", de: "Gutschriften" }
    Currency { en: "Currency", fr: "Monnaie", de: "Währung" }
    DeclineQuote { en: "Decline this quote", fr: "Refuser ce devis", de: "Diese Offerte ablehnen" }
    DepositPercent { en: "Deposit (%)", fr: "Acompte (%)", de: "Anzahlung (%)" }
    Description { en: "Description", fr: "Désignation", de: "Beschreibung" }
    DiscountPercent { en: "Discount (%)", fr: "Rabais (%)", de: "Rabatt (%)" }
    DocumentLanguage { en: "Document language", fr: "Langue des documents", de: "Dokumentsprache" }
    DownloadCsv { en: "Download CSV", fr: "Télécharger en CSV", de: "Als CSV herunterladen" }
    DownloadPdf { en: "Download PDF", fr: "Télécharger en PDF", de: "Als PDF herunterladen" }
    DrawHere { en: "Draw your signature here", fr: "Dessinez votre signature ici", de: "Unterschreiben Sie hier" }
    DrawnSignature { en: "Draw it", fr: "La dessiner", de: "Zeichnen" }
    DueDate { en: "Due date", fr: "Échéance", de: "Fälligkeit" }
    Duplicate { en: "Duplicate", fr: "Dupliquer", de: "Duplizieren" }
    Edit { en: "Edit", fr: "Modifier", de: "Bearbeiten" }
    EditQuote { en: "Edit quote", fr: "Modifier le devis", de: "Offerte bearbeiten" }
    EstimatedValue { en: "Estimated value", fr: "Valeur estimée", de: "Geschätzter Wert" }
    Filter { en: "Apply", fr: "Appliquer", de: "Anwenden" }
    FinalInvoice { en: "Raise the final invoice", fr: "Établir la facture finale", de: "Schlussrechnung erstellen" }
    FirstName { en: "First name", fr: "Prénom", de: "Vorname" }
    FreeLine { en: "Free line", fr: "Ligne libre", de: "Freie Zeile" }
    From { en: "From", fr: "Du", de: "Von" }
    HasPortalAccess { en: "Portal access", fr: "Accès au portail", de: "Portalzugang" }
    HowToPay { en: "How to pay", fr: "Comment payer", de: "So bezahlen Sie" }
    InvitationSent { en: "Invitation sent.", fr: "Invitation envoyée.", de: "Einladung gesendet." }
    InviteToPortal { en: "Invite to the portal", fr: "Inviter au portail", de: "Ins Portal einladen" }
    Invoice { en: "Invoice", fr: "Facture", de: "Rechnung" }
    InvoicesToPay { en: "Invoices to pay", fr: "Factures à payer", de: "Zu bezahlende Rechnungen" }
    IssueCreditNote { en: "Issue a credit note", fr: "Établir une note de crédit", de: "Gutschrift erstellen" }
    IssueDate { en: "Issued on", fr: "Date d'émission", de: "Ausgestellt am" }
    JobTitle { en: "Job title", fr: "Fonction", de: "Funktion" }
    Kind { en: "Type", fr: "Genre", de: "Art" }
    KindClient { en: "Client", fr: "Client", de: "Kunde" }
    KindPartner { en: "Partner", fr: "Partenaire", de: "Partner" }
    KindProvider { en: "Provider", fr: "Prestataire", de: "Dienstleister" }
    KindReseller { en: "Reseller", fr: "Revendeur", de: "Wiederverkäufer" }
    KindSupplier { en: "Supplier", fr: "Fournisseur", de: "Lieferant" }
    LanguageDe { en: "German", fr: "Allemand", de: "Deutsch" }
    LanguageEn { en: "English", fr: "Anglais", de: "Englisch" }
    LanguageFr { en: "French", fr: "Français", de: "Französisch" }
    LastName { en: "Last name", fr: "Nom de famille", de: "Nachname" }
    LeadContacted { en: "Contacted", fr: "Contacté", de: "Kontaktiert" }
    LeadLost { en: "Lost", fr: "Perdu", de: "Verloren" }
    LeadNegotiation { en: "Negotiation", fr: "Négociation", de: "Verhandlung" }
    LeadNew { en: "New", fr: "Nouveau", de: "Neu" }
    LeadProposal { en: "Proposal", fr: "Proposition", de: "Angebot" }
    LeadQualified { en: "Qualified", fr: "Qualifié", de: "Qualifiziert" }
    LeadWon { en: "Won", fr: "Gagné", de: "Gewonnen" }
    Lines { en: "Lines", fr: "Lignes", de: "Positionen" }
    Method { en: "Method", fr: "Moyen", de: "Zahlungsart" }
    NavCatalog { en: "Catalogue", fr: "Catalogue", de: "Katalog" }
    NavCrm { en: "Companies", fr: "Sociétés", de: "Firmen" }
    NavEmails { en: "Emails", fr: "Courriels", de: "E-Mails" }
    NavInvoices { en: "Invoices", fr: "Factures", de: "Rechnungen" }
    NavLeads { en: "Leads", fr: "Prospects", de: "Leads" }
    NavProjects { en: "Projects", fr: "Projets", de: "Projekte" }
    NavQuotes { en: "Quotes", fr: "Devis", de: "Offerten" }
    NavStatement { en: "Statement", fr: "Relevé de compte", de: "Kontoauszug" }
    NavTerms { en: "Terms of sale", fr: "Conditions générales", de: "AGB" }
    NetTotal { en: "Total excl. VAT", fr: "Total hors TVA", de: "Total exkl. MWST" }
    NewCompany { en: "New company", fr: "Nouvelle société", de: "Neue Firma" }
    NewContact { en: "New contact", fr: "Nouveau contact", de: "Neuer Kontakt" }
    NewLead { en: "New lead", fr: "Nouveau prospect", de: "Neuer Lead" }
    NewProduct { en: "New product", fr: "Nouveau produit", de: "Neues Produkt" }
    NewQuote { en: "New quote", fr: "Nouveau devis", de: "Neue Offerte" }
    NewTermsVersion { en: "New version (draft)", fr: "Nouvelle version (brouillon)", de: "Neue Version (Entwurf)" }
    Newest { en: "Newest", fr: "Plus récents", de: "Neueste" }
    Next { en: "Next page", fr: "Page suivante", de: "Nächste Seite" }
    Note { en: "What happened", fr: "Ce qui s'est passé", de: "Was geschah" }
    Notes { en: "Notes", fr: "Remarques", de: "Bemerkungen" }
    NothingToDo { en: "Nothing to do.", fr: "Rien à faire.", de: "Nichts zu tun." }
    NothingYet { en: "Nothing here yet.", fr: "Rien pour l'instant.", de: "Noch nichts vorhanden." }
    Number { en: "Number", fr: "Numéro", de: "Nummer" }
    OpenClient { en: "Open the client", fr: "Ouvrir le client", de: "Kunde öffnen" }
    Organisation { en: "Organisation", fr: "Organisation", de: "Organisation" }
    Other { en: "Other", fr: "Autre", de: "Andere" }
    Pages { en: "Pages", fr: "Pages", de: "Seiten" }
    PaidOn { en: "Paid on", fr: "Payé le", de: "Bezahlt am" }
    PayableTo { en: "Payable to", fr: "Payable à", de: "Zahlbar an" }
    PaymentRecorded { en: "Payment recorded.", fr: "Paiement enregistré.", de: "Zahlung erfasst." }
    Payments { en: "Payments", fr: "Paiements", de: "Zahlungen" }
    Phone { en: "Phone", fr: "Téléphone", de: "Telefon" }
    PostalCode { en: "Postal code", fr: "NPA", de: "PLZ" }
    Previous { en: "Previous page", fr: "Page précédente", de: "Vorherige Seite" }
    Product { en: "Product", fr: "Produit", de: "Produkt" }
    ProjectActive { en: "Active", fr: "Actif", de: "Aktiv" }
    ProjectDepositPending { en: "Deposit pending", fr: "Acompte en attente", de: "Anzahlung ausstehend" }
    ProjectPlanning { en: "Planning", fr: "Planification", de: "Planung" }
    ProjectType { en: "Project type", fr: "Type de projet", de: "Projektart" }
    PutInForce { en: "Put in force", fr: "Mettre en vigueur", de: "In Kraft setzen" }
    Quantity { en: "Quantity", fr: "Quantité", de: "Menge" }
    Queued { en: "Queued", fr: "En file d'attente", de: "In Warteschlange" }
    Quote { en: "Quote", fr: "Devis", de: "Offerte" }
    QuotesToSign { en: "Quotes to review", fr: "Devis à examiner", de: "Zu prüfende Offerten" }
    Reason { en: "Reason", fr: "Motif", de: "Grund" }
    RecordPayment { en: "Record a payment", fr: "Enregistrer un paiement", de: "Zahlung erfassen" }
    Reference { en: "Reference", fr: "Référence", de: "Referenz" }
    RemoveLine { en: "Remove line", fr: "Supprimer la ligne", de: "Zeile entfernen" }
    Rounding { en: "Rounding", fr: "Arrondi", de: "Rundung" }
    Save { en: "Save", fr: "Enregistrer", de: "Speichern" }
    Saved { en: "Saved.", fr: "Enregistré.", de: "Gespeichert." }
    Score { en: "Score", fr: "Score", de: "Bewertung" }
    Search { en: "Search", fr: "Rechercher", de: "Suchen" }
    Send { en: "Send to the client", fr: "Envoyer au client", de: "An den Kunden senden" }
    ServiceDate { en: "Service date", fr: "Date de prestation", de: "Leistungsdatum" }
    SignQuote { en: "Sign the quote", fr: "Signer le devis", de: "Offerte unterschreiben" }
    Signature { en: "Signature", fr: "Signature", de: "Unterschrift" }
    SignedBy { en: "Signed by", fr: "Signé par", de: "Unterschrieben von" }
    SignerName { en: "Your full name", fr: "Vos prénom et nom", de: "Ihr vollständiger Name" }
    SortBy { en: "Sort by", fr: "Trier par", de: "Sortieren nach" }
    Source { en: "Source", fr: "Source", de: "Quelle" }
    SourceApi { en: "API", fr: "Interface API", de: "Schnittstelle" }
    SourceEvent { en: "Event", fr: "Événement", de: "Anlass" }
    SourceForm { en: "Web form", fr: "Formulaire web", de: "Webformular" }
    SourceManual { en: "Entered by hand", fr: "Saisi à la main", de: "Manuell erfasst" }
    SourceReferral { en: "Referral", fr: "Recommandation", de: "Empfehlung" }
    Status { en: "Status", fr: "Statut", de: "Status" }
    Street { en: "Street", fr: "Rue", de: "Strasse" }
    TermsVersion { en: "Terms version", fr: "Version des conditions", de: "AGB-Version" }
    Title { en: "Title", fr: "Titre", de: "Titel" }
    To { en: "To", fr: "Au", de: "Bis" }
    Total { en: "Total incl. VAT", fr: "Total TTC", de: "Total inkl. MWST" }
    Town { en: "Town", fr: "Localité", de: "Ort" }
    TypedSignature { en: "Type my name", fr: "Saisir mon nom", de: "Namen eintippen" }
    Unit { en: "Unit", fr: "Unité", de: "Einheit" }
    UnitPrice { en: "Unit price", fr: "Prix unitaire", de: "Einzelpreis" }
    ValidFrom { en: "Valid from", fr: "Valable dès", de: "Gültig ab" }
    ValidTo { en: "Valid until", fr: "Valable jusqu'à", de: "Gültig bis" }
    ValidUntil { en: "Valid until", fr: "Valable jusqu'au", de: "Gültig bis" }
    VatAccommodation { en: "Accommodation", fr: "Hébergement", de: "Beherbergung" }
    VatExempt { en: "Exempt", fr: "Exonéré", de: "Befreit" }
    VatNumber { en: "VAT number", fr: "Numéro TVA", de: "MWST-Nummer" }
    VatRate { en: "VAT", fr: "TVA", de: "MWST" }
    VatRates { en: "VAT rates", fr: "Taux de TVA", de: "MWST-Sätze" }
    VatReduced { en: "Reduced", fr: "Réduit", de: "Reduziert" }
    VatStandard { en: "Standard", fr: "Normal", de: "Normal" }
    LevelOk { en: "Fine", fr: "En ordre", de: "In Ordnung" }
    LevelWarning { en: "Warning", fr: "Attention", de: "Warnung" }
    LevelCritical { en: "critical", fr: "critique", de: "kritisch" }
    AlertOverdue { en: "Overdue invoices", fr: "Factures en retard", de: "Überfällige Rechnungen" }
    AlertQuoteExpiring { en: "Quotes expiring soon", fr: "Devis bientôt échus", de: "Bald ablaufende Offerten" }
    AlertDepositPending { en: "Deposits pending", fr: "Acomptes en attente", de: "Ausstehende Anzahlungen" }
    AlertProjectIdle { en: "Idle projects", fr: "Projets inactifs", de: "Inaktive Projekte" }
    AlertLeadUntouched { en: "New leads not contacted", fr: "Nouveaux prospects non contactés", de: "Neue Leads ohne Kontakt" }
    ChartRevenueTitle { en: "Revenue paid per month and company (CHF, excl. VAT)", fr: "Chiffre d'affaires encaissé par mois et société (CHF, HT)", de: "Bezahlter Umsatz pro Monat und Unternehmen (CHF, exkl. MWST)" }
    ChartAgingTitle { en: "Receivables by days past due", fr: "Créances par jours de retard", de: "Forderungen nach Tagen überfällig" }
    ChartFunnelTitle { en: "Pipeline funnel", fr: "Entonnoir commercial", de: "Verkaufstrichter" }
    Month { en: "Month", fr: "Mois", de: "Monat" }
    Dashboard { en: "Dashboard", fr: "Tableau de bord", de: "Übersicht" }
    Thresholds { en: "Alert thresholds", fr: "Seuils d'alerte", de: "Warnschwellen" }
    MissingRates { en: "No exchange rate stored, left out of CHF totals:", fr: "Aucun taux de change enregistré, exclu des totaux en CHF :", de: "Kein Wechselkurs erfasst, nicht in CHF-Summen enthalten:" }
    Days { en: "days", fr: "jours", de: "Tage" }
    AsOf { en: "as of", fr: "au", de: "Stand" }
    PeriodNote { en: "last 30 days compared with the 30 days before; amounts in CHF excl. VAT", fr: "30 derniers jours comparés aux 30 jours précédents ; montants en CHF HT", de: "letzte 30 Tage im Vergleich zu den 30 Tagen davor; Beträge in CHF exkl. MWST" }
    ExchangeRates { en: "Exchange rates", fr: "Taux de change", de: "Wechselkurse" }
    Alerts { en: "Alerts", fr: "Alertes", de: "Warnungen" }
    KeyFigures { en: "Key figures", fr: "Chiffres clés", de: "Kennzahlen" }
    KpiRevenue { en: "Revenue (paid)", fr: "Chiffre d'affaires (encaissé)", de: "Umsatz (bezahlt)" }
    KpiInvoiced { en: "Invoiced", fr: "Facturé", de: "Fakturiert" }
    KpiReceivables { en: "Receivables", fr: "Créances", de: "Forderungen" }
    KpiConversion { en: "Quote conversion", fr: "Taux de conversion des devis", de: "Offerten-Abschlussquote" }
    PreviousPeriod { en: "previous period", fr: "période précédente", de: "Vorperiode" }
    KpiActiveProjects { en: "Active projects", fr: "Projets actifs", de: "Aktive Projekte" }
    KpiMrr { en: "Monthly recurring revenue", fr: "Revenu récurrent mensuel", de: "Monatlich wiederkehrender Umsatz" }
    KpiArr { en: "Annual recurring revenue", fr: "Revenu récurrent annuel", de: "Jährlich wiederkehrender Umsatz" }
    Charts { en: "Charts", fr: "Graphiques", de: "Diagramme" }
    PipelineByStage { en: "Pipeline by stage", fr: "Pipeline par étape", de: "Pipeline nach Phase" }
    SeeAll { en: "See all", fr: "Tout voir", de: "Alle anzeigen" }
    Treasury { en: "Treasury", fr: "Trésorerie", de: "Liquidität" }
    BankBalance { en: "Bank balances", fr: "Soldes bancaires", de: "Bankguthaben" }
    MonthlyBurn { en: "Average monthly burn", fr: "Dépenses mensuelles moyennes", de: "Durchschnittliche Monatsausgaben" }
    Runway { en: "Runway", fr: "Autonomie financière", de: "Finanzielle Reichweite" }
    Months { en: "months", fr: "mois", de: "Monate" }
    BankAccounts { en: "Bank accounts", fr: "Comptes bancaires", de: "Bankkonten" }
    Date { en: "Date", fr: "Date", de: "Datum" }
    Forecast { en: "Cash forecast", fr: "Prévision de trésorerie", de: "Liquiditätsprognose" }
    Horizon { en: "Horizon", fr: "Horizon", de: "Horizont" }
    ReceivablesDue { en: "Receivables due", fr: "Créances échues", de: "Fällige Forderungen" }
    PayablesDue { en: "Supplier bills due", fr: "Factures fournisseurs échues", de: "Fällige Lieferantenrechnungen" }
    ExpectedBalance { en: "Expected balance", fr: "Solde prévu", de: "Erwarteter Saldo" }
    OverdueWarningDays { en: "Overdue invoice: warning after (days)", fr: "Facture en retard : attention après (jours)", de: "Überfällige Rechnung: Warnung nach (Tagen)" }
    OverdueCriticalDays { en: "Overdue invoice: critical after (days)", fr: "Facture en retard : critique après (jours)", de: "Überfällige Rechnung: kritisch nach (Tagen)" }
    QuoteExpiryDays { en: "Quotes expiring within (days)", fr: "Devis échéant dans (jours)", de: "Offerten, die ablaufen in (Tagen)" }
    ProjectIdleDays { en: "Project idle after (days)", fr: "Projet inactif après (jours)", de: "Projekt inaktiv nach (Tagen)" }
    LeadUntouchedDays { en: "New lead untouched after (days)", fr: "Prospect non contacté après (jours)", de: "Lead ohne Kontakt nach (Tagen)" }
    RunwayWarningMonths { en: "Runway: warning below (months)", fr: "Autonomie : attention sous (mois)", de: "Reichweite: Warnung unter (Monaten)" }
    RunwayCriticalMonths { en: "Runway: critical below (months)", fr: "Autonomie : critique sous (mois)", de: "Reichweite: kritisch unter (Monaten)" }
    Company { en: "Company", fr: "Société", de: "Firma" }
    UpdatedAt { en: "Updated", fr: "Modifié le", de: "Geändert" }
    CreatedAt { en: "Created", fr: "Créé le", de: "Erstellt" }
    ExportCsv { en: "Export all to CSV", fr: "Tout exporter en CSV", de: "Alles als CSV exportieren" }
    ExportSelected { en: "Export selected to CSV", fr: "Exporter la sélection en CSV", de: "Auswahl als CSV exportieren" }
    SelectRow { en: "Select", fr: "Sélectionner", de: "Auswählen" }
    SelectPage { en: "Select all on this page", fr: "Tout sélectionner sur cette page", de: "Alle auf dieser Seite auswählen" }
    Descending { en: "Descending", fr: "Décroissant", de: "Absteigend" }
    Ascending { en: "Ascending", fr: "Croissant", de: "Aufsteigend" }
    MinAmount { en: "Amount from", fr: "Montant dès", de: "Betrag ab" }
    MaxAmount { en: "Amount up to", fr: "Montant jusqu'à", de: "Betrag bis" }
    DateFrom { en: "From date", fr: "Depuis le", de: "Ab Datum" }
    DateTo { en: "To date", fr: "Jusqu'au", de: "Bis Datum" }
    NavContacts { en: "Contacts", fr: "Personnes de contact", de: "Kontaktpersonen" }
    ClearFilters { en: "Clear filters", fr: "Effacer les filtres", de: "Filter zurücksetzen" }
    FilteredByClient { en: "Only this client", fr: "Uniquement ce client", de: "Nur dieser Kunde" }
    Direction { en: "Order", fr: "Ordre", de: "Reihenfolge" }
    MethodBankTransfer { en: "Bank transfer", fr: "Virement bancaire", de: "Banküberweisung" }
    MethodCash { en: "Cash", fr: "Espèces", de: "Bargeld" }
    MethodCard { en: "Card", fr: "Carte", de: "Karte" }
    MethodOther { en: "Other", fr: "Autre", de: "Andere" }
    ProjectCompleted { en: "Completed", fr: "Terminé", de: "Abgeschlossen" }
    ProjectCancelled { en: "Cancelled", fr: "Annulé", de: "Storniert" }
    SubscriptionActive { en: "Running", fr: "En cours", de: "Laufend" }
    SubscriptionPaused { en: "Paused", fr: "En pause", de: "Pausiert" }
    SubscriptionCancelled { en: "Ended", fr: "Résilié", de: "Gekündigt" }
    IntervalMonth { en: "Monthly", fr: "Mensuel", de: "Monatlich" }
    IntervalQuarter { en: "Quarterly", fr: "Trimestriel", de: "Vierteljährlich" }
    IntervalYear { en: "Yearly", fr: "Annuel", de: "Jährlich" }
    VatRoundingPerLine { en: "VAT rounded per line", fr: "TVA arrondie par ligne", de: "MWST pro Zeile gerundet" }
    VatRoundingPerRate { en: "VAT rounded per rate on the total", fr: "TVA arrondie par taux sur le total", de: "MWST pro Satz auf dem Total gerundet" }
    BankProviderCamt { en: "Statement files (camt)", fr: "Relevés (camt)", de: "Kontoauszüge (camt)" }
    BankProviderRevolut { en: "Revolut Business", fr: "Revolut Business", de: "Revolut Business" }
    BankStatePending { en: "Pending", fr: "En attente", de: "Ausstehend" }
    BankStateCompleted { en: "Booked", fr: "Comptabilisé", de: "Gebucht" }
    BankStateReverted { en: "Reverted", fr: "Annulé", de: "Storniert" }
    BankStateDeclined { en: "Declined", fr: "Refusé", de: "Abgelehnt" }
    BankStateFailed { en: "Failed", fr: "Échoué", de: "Fehlgeschlagen" }
    MatchUnmatched { en: "Unmatched", fr: "Non rapproché", de: "Nicht zugeordnet" }
    MatchProposed { en: "To review", fr: "À vérifier", de: "Zu prüfen" }
    MatchMatched { en: "Matched", fr: "Rapproché", de: "Zugeordnet" }
    MatchIgnored { en: "Not an invoice", fr: "Hors factures", de: "Keine Rechnung" }
    IgnoreFee { en: "Bank fee", fr: "Frais bancaires", de: "Bankgebühr" }
    IgnoreOwnTransfer { en: "Transfer between own accounts", fr: "Virement entre nos comptes", de: "Übertrag zwischen eigenen Konten" }
    IgnoreSalary { en: "Salary", fr: "Salaire", de: "Lohn" }
    IgnoreRefund { en: "Refund", fr: "Remboursement", de: "Rückerstattung" }
    IgnoreOther { en: "Other", fr: "Autre", de: "Andere" }
    AllocationReference { en: "By reference", fr: "Par référence", de: "Über Referenz" }
    AllocationScore { en: "Automatic (score)", fr: "Automatique (score)", de: "Automatisch (Bewertung)" }
    AllocationManual { en: "By hand", fr: "Manuel", de: "Manuell" }
    ReasonReference { en: "the reference is this invoice's", fr: "la référence est celle de la facture", de: "die Referenz ist die der Rechnung" }
    ReasonExactAmount { en: "exactly the amount open", fr: "exactement le montant ouvert", de: "genau der offene Betrag" }
    ReasonAmountLessFees { en: "the amount open less bank fees", fr: "le montant ouvert moins des frais bancaires", de: "der offene Betrag abzüglich Bankgebühren" }
    ReasonKnownAccount { en: "paid from an account known for this client", fr: "payé depuis un compte connu de ce client", de: "von einem bekannten Konto dieses Kunden bezahlt" }
    ReasonSimilarName { en: "the payer's name is the client's", fr: "le nom du payeur est celui du client", de: "der Name des Zahlers ist der des Kunden" }
    ReasonNumberInText { en: "the invoice number is in the payment's text", fr: "le numéro de facture figure dans le texte du paiement", de: "die Rechnungsnummer steht im Zahlungstext" }
    ReasonDateFits { en: "paid between issue and shortly after the due date", fr: "payé entre l'émission et peu après l'échéance", de: "zwischen Ausstellung und kurz nach Fälligkeit bezahlt" }
    ReasonOtherCurrency { en: "another currency: check the amount", fr: "autre monnaie : vérifiez le montant", de: "andere Währung: Betrag prüfen" }
    NavBanking { en: "Banking", fr: "Banque", de: "Bank" }
    Counterparty { en: "Payer or payee", fr: "Payeur ou bénéficiaire", de: "Zahler oder Empfänger" }
    BankAccount { en: "Bank account", fr: "Compte bancaire", de: "Bankkonto" }
    FieldUnreadableStatement { en: "This file is not a readable camt.053 or camt.054 bank statement (or a zip of them).", fr: "Ce fichier n'est pas un relevé bancaire camt.053 ou camt.054 lisible (ni un zip de ceux-ci).", de: "Diese Datei ist kein lesbarer camt.053- oder camt.054-Kontoauszug (und kein Zip davon)." }
    FieldOtherAccount { en: "This statement is for an account (or a currency) this company does not have. Nothing was imported.", fr: "Ce relevé concerne un compte (ou une monnaie) que cette société n'a pas. Rien n'a été importé.", de: "Dieser Auszug betrifft ein Konto (oder eine Währung), das diese Firma nicht hat. Nichts wurde importiert." }
    FieldNoBankAccount { en: "The company has no bank account in this currency: add one in the company settings.", fr: "La société n'a pas de compte bancaire dans cette monnaie : ajoutez-en un dans les paramètres de la société.", de: "Die Firma hat kein Bankkonto in dieser Währung: Fügen Sie eines in den Firmeneinstellungen hinzu." }
    FieldTaken { en: "Already in use.", fr: "Déjà utilisé.", de: "Bereits vergeben." }
    ReferenceQrr { en: "QR reference", fr: "Référence QR", de: "QR-Referenz" }
    ReferenceScor { en: "Creditor reference", fr: "Référence créancier", de: "Creditor-Referenz" }
    ReferenceNone { en: "No reference", fr: "Sans référence", de: "Ohne Referenz" }
    CreditOverpayment { en: "Overpayment", fr: "Paiement excédentaire", de: "Überzahlung" }
    CreditApplied { en: "Used on an invoice", fr: "Imputé sur une facture", de: "Mit Rechnung verrechnet" }
    CreditRefund { en: "Refunded", fr: "Remboursé", de: "Zurückerstattet" }
    CreditReversed { en: "Taken back (payment undone)", fr: "Repris (paiement annulé)", de: "Zurückgenommen (Zahlung rückgängig)" }
    MethodCredit { en: "Account credit", fr: "Avoir du client", de: "Kundenguthaben" }
    ClientQuotesEmpty { en: "No quotes yet. When a company sends you a quote, it appears here for you to read, accept and sign.", fr: "Aucun devis pour l'instant. Lorsqu'une société vous envoie un devis, il apparaît ici pour que vous le lisiez, l'acceptiez et le signiez.", de: "Noch keine Offerten. Sendet Ihnen eine Firma eine Offerte, erscheint sie hier zum Lesen, Annehmen und Unterzeichnen." }
    ClientInvoicesEmpty { en: "No invoices yet. Your invoices appear here with how to pay them by QR-bill.", fr: "Aucune facture pour l'instant. Vos factures apparaissent ici avec la manière de les payer par QR-facture.", de: "Noch keine Rechnungen. Ihre Rechnungen erscheinen hier, mit der Zahlung per QR-Rechnung." }
    NavUsers { en: "People and access", fr: "Personnes et accès", de: "Personen und Zugänge" }
    NavCompanySettings { en: "Company settings", fr: "Paramètres des sociétés", de: "Firmeneinstellungen" }
    Interval { en: "Interval", fr: "Périodicité", de: "Intervall" }
    NextInvoice { en: "Next invoice", fr: "Prochaine facture", de: "Nächste Rechnung" }
    NavSubscriptions { en: "Subscriptions", fr: "Abonnements", de: "Abonnemente" }
    NavBills { en: "Supplier bills", fr: "Factures fournisseurs", de: "Lieferantenrechnungen" }
    NavMyBills { en: "My invoices to you", fr: "Mes factures", de: "Meine Rechnungen" }
    Supplier { en: "Supplier", fr: "Fournisseur", de: "Lieferant" }
    BillDraft { en: "To validate", fr: "À valider", de: "Zu prüfen" }
    BillToApprove { en: "To approve", fr: "À approuver", de: "Zur Freigabe" }
    BillApproved { en: "Approved", fr: "Approuvée", de: "Freigegeben" }
    BillScheduled { en: "Payment ordered", fr: "Paiement ordonné", de: "Zahlung beauftragt" }
    BillPaid { en: "Paid", fr: "Payée", de: "Bezahlt" }
    BillRejected { en: "Rejected", fr: "Refusée", de: "Abgelehnt" }
    BillCancelled { en: "Cancelled", fr: "Annulée", de: "Storniert" }
    RunDraft { en: "Preview", fr: "Aperçu", de: "Vorschau" }
    RunConfirmed { en: "Sending", fr: "En cours d'envoi", de: "Wird gesendet" }
    RunDone { en: "Done", fr: "Terminé", de: "Erledigt" }
    RunFailed { en: "Failed", fr: "Échec", de: "Fehlgeschlagen" }
    TransferPending { en: "To send", fr: "À envoyer", de: "Zu senden" }
    TransferSent { en: "Sent", fr: "Envoyé", de: "Gesendet" }
    TransferFailed { en: "Refused", fr: "Refusé", de: "Abgelehnt" }
    PayRevolut { en: "Revolut transfers", fr: "Virements Revolut", de: "Revolut-Überweisungen" }
    PayPain001 { en: "Payment file (pain.001) for the bank", fr: "Fichier de paiement (pain.001) pour la banque", de: "Zahlungsdatei (pain.001) für die Bank" }
    DeviationIban { en: "The supplier's IBAN changed since the last payment", fr: "L'IBAN du fournisseur a changé depuis le dernier paiement", de: "Die IBAN des Lieferanten hat seit der letzten Zahlung geändert" }
    DeviationAmount { en: "The amount differs from the order", fr: "Le montant diffère de la commande", de: "Der Betrag weicht von der Bestellung ab" }
    DeviationCurrency { en: "The currency differs from the order", fr: "La monnaie diffère de la commande", de: "Die Währung weicht von der Bestellung ab" }
    SupplierByIban { en: "same IBAN", fr: "même IBAN", de: "gleiche IBAN" }
    SupplierByVat { en: "same VAT number", fr: "même numéro TVA", de: "gleiche MWST-Nummer" }
    SupplierByName { en: "same name", fr: "même nom", de: "gleicher Name" }
    FieldUnsupportedFile { en: "Only PDF, PNG and JPEG files can be read.", fr: "Seuls les fichiers PDF, PNG et JPEG peuvent être lus.", de: "Nur PDF-, PNG- und JPEG-Dateien können gelesen werden." }
    FieldFileTooLarge { en: "The file is larger than {n} MB.", fr: "Le fichier dépasse {n} Mo.", de: "Die Datei ist grösser als {n} MB." }
    FieldNeedsCeo { en: "Only the CEO may approve this bill (its amount, or what the deviation check found).", fr: "Seul le CEO peut approuver cette facture (son montant, ou ce que le contrôle des écarts a trouvé).", de: "Nur der CEO darf diese Rechnung freigeben (ihr Betrag oder der Befund der Abweichungsprüfung)." }
    FieldNothingToPay { en: "No approved bill is due by this date.", fr: "Aucune facture approuvée n'est due à cette date.", de: "Bis zu diesem Datum ist keine freigegebene Rechnung fällig." }
}
