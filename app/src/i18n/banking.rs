//! Messages of the banking pages: accounts, statement import, reconciliation, Revolut.

messages! {
    /// Banking pages' messages.
    BankMsg;
    AccountsTitle { en: "Bank accounts", fr: "Comptes bancaires", de: "Bankkonten" }
    AccountsEmpty { en: "No bank account yet: add one in the company settings.", fr: "Aucun compte bancaire : ajoutez-en un dans les paramètres de la société.", de: "Noch kein Bankkonto: Fügen Sie eines in den Firmeneinstellungen hinzu." }
    BalanceOn { en: "Balance on", fr: "Solde au", de: "Saldo per" }
    Waiting { en: "Waiting", fr: "En attente", de: "Offen" }
    ImportTitle { en: "Import a statement", fr: "Importer un relevé", de: "Kontoauszug importieren" }
    ImportIntro { en: "camt.053 statements or camt.054 notifications (ISO 20022), or a zip of them. Importing the same file twice changes nothing.", fr: "Relevés camt.053 ou avis camt.054 (ISO 20022), ou un zip de ceux-ci. Importer deux fois le même fichier ne change rien.", de: "camt.053-Kontoauszüge oder camt.054-Avisierungen (ISO 20022) oder ein Zip davon. Dieselbe Datei zweimal zu importieren ändert nichts." }
    StatementFile { en: "Statement file", fr: "Fichier du relevé", de: "Auszugsdatei" }
    DryRun { en: "Trial run: read and compare, write nothing", fr: "Essai : lire et comparer, sans rien enregistrer", de: "Probelauf: lesen und vergleichen, nichts speichern" }
    Import { en: "Import", fr: "Importer", de: "Importieren" }
    Uploading { en: "Sending the file… {n} %", fr: "Envoi du fichier… {n} %", de: "Datei wird gesendet… {n} %" }
    Reading { en: "Reading and reconciling…", fr: "Lecture et rapprochement…", de: "Lesen und Abgleichen…" }
    ImportDone { en: "{entries} entries read: {new} new, {known} already known, {matched} matched to invoices, {review} to review.", fr: "{entries} écritures lues : {new} nouvelles, {known} déjà connues, {matched} rapprochées de factures, {review} à vérifier.", de: "{entries} Buchungen gelesen: {new} neu, {known} bereits bekannt, {matched} Rechnungen zugeordnet, {review} zu prüfen." }
    DryRunDone { en: "{entries} entries read: {new} would be new, {known} already known. Nothing was written.", fr: "{entries} écritures lues : {new} seraient nouvelles, {known} déjà connues. Rien n'a été enregistré.", de: "{entries} Buchungen gelesen: {new} wären neu, {known} bereits bekannt. Nichts wurde gespeichert." }
    ReconcileNow { en: "Reconcile now", fr: "Rapprocher maintenant", de: "Jetzt abgleichen" }
    ReconcileDone { en: "{n} movements matched.", fr: "{n} mouvements rapprochés.", de: "{n} Bewegungen zugeordnet." }
    Transactions { en: "Movements", fr: "Mouvements", de: "Bewegungen" }
    TransactionsEmpty { en: "No movement matches.", fr: "Aucun mouvement ne correspond.", de: "Keine Bewegung entspricht." }
    Transaction { en: "Movement", fr: "Mouvement", de: "Bewegung" }
    Candidates { en: "Invoices it may pay", fr: "Factures qu'il peut payer", de: "Rechnungen, die sie bezahlen könnte" }
    NoCandidates { en: "No open invoice fits. Mark it as not an invoice payment, or wait for the invoice.", fr: "Aucune facture ouverte ne correspond. Marquez-le hors factures, ou attendez la facture.", de: "Keine offene Rechnung passt. Markieren Sie sie als keine Rechnung oder warten Sie auf die Rechnung." }
    Allocate { en: "Allocate", fr: "Affecter", de: "Zuordnen" }
    Reject { en: "Reject", fr: "Rejeter", de: "Ablehnen" }
    KeyboardHint { en: "Keys: A allocates to the first candidate, R rejects it, I marks the movement as not an invoice payment.", fr: "Touches : A affecte au premier candidat, R le rejette, I marque le mouvement hors factures.", de: "Tasten: A ordnet dem ersten Kandidaten zu, R lehnt ihn ab, I markiert die Bewegung als keine Rechnung." }
    Split { en: "Split across invoices", fr: "Répartir sur plusieurs factures", de: "Auf mehrere Rechnungen aufteilen" }
    AmountFor { en: "Amount for {number}", fr: "Montant pour {number}", de: "Betrag für {number}" }
    AllocateAmounts { en: "Allocate these amounts", fr: "Affecter ces montants", de: "Diese Beträge zuordnen" }
    Ignore { en: "Not an invoice payment", fr: "Hors factures", de: "Keine Rechnung" }
    IgnoreReason { en: "What it is", fr: "De quoi il s'agit", de: "Worum es sich handelt" }
    Unignore { en: "Back to unmatched", fr: "Remettre en non rapproché", de: "Zurück zu nicht zugeordnet" }
    Allocations { en: "Allocations", fr: "Affectations", de: "Zuordnungen" }
    Undo { en: "Undo", fr: "Annuler", de: "Rückgängig" }
    ConfirmUndo { en: "Undo this allocation? The invoice is open again for that amount.", fr: "Annuler cette affectation ? La facture redevient ouverte pour ce montant.", de: "Diese Zuordnung rückgängig machen? Die Rechnung ist für diesen Betrag wieder offen." }
    Undone { en: "undone", fr: "annulée", de: "rückgängig gemacht" }
    Applied { en: "Paid on the invoice", fr: "Payé sur la facture", de: "Auf die Rechnung bezahlt" }
    CreditLeft { en: "Left as the client's credit", fr: "Laissé en avoir au client", de: "Als Guthaben des Kunden" }
    Remaining { en: "Not allocated yet", fr: "Pas encore affecté", de: "Noch nicht zugeordnet" }
    RevolutTitle { en: "Revolut Business", fr: "Revolut Business", de: "Revolut Business" }
    RevolutConnected { en: "Connected", fr: "Connecté", de: "Verbunden" }
    RevolutNotConnected { en: "Not connected", fr: "Non connecté", de: "Nicht verbunden" }
    ApiUrl { en: "API address", fr: "Adresse de l'API", de: "API-Adresse" }
    ClientId { en: "Client id", fr: "Identifiant client", de: "Client-ID" }
    Issuer { en: "Domain of the redirect address", fr: "Domaine de l'adresse de redirection", de: "Domain der Weiterleitungsadresse" }
    PrivateKey { en: "Private key (PEM)", fr: "Clé privée (PEM)", de: "Privater Schlüssel (PEM)" }
    AuthorizationCode { en: "Authorization code (from the consent page)", fr: "Code d'autorisation (de la page de consentement)", de: "Autorisierungscode (von der Zustimmungsseite)" }
    WebhookSecret { en: "Webhook signing secret", fr: "Secret de signature des webhooks", de: "Signaturgeheimnis der Webhooks" }
    KeepSecretHint { en: "Leave empty to keep what is stored.", fr: "Laissez vide pour garder la valeur enregistrée.", de: "Leer lassen, um den gespeicherten Wert zu behalten." }
    Connect { en: "Save the connection", fr: "Enregistrer la connexion", de: "Verbindung speichern" }
    SyncNow { en: "Synchronise now", fr: "Synchroniser maintenant", de: "Jetzt synchronisieren" }
    SyncDone { en: "{n} new movements.", fr: "{n} nouveaux mouvements.", de: "{n} neue Bewegungen." }
    LastSynced { en: "Last synchronised", fr: "Dernière synchronisation", de: "Zuletzt synchronisiert" }
    WebhookUrl { en: "Webhook address (give it to Revolut)", fr: "Adresse des webhooks (à donner à Revolut)", de: "Webhook-Adresse (an Revolut geben)" }
    Never { en: "never", fr: "jamais", de: "nie" }
}
