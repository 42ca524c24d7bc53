//! Messages of the supplier bill pages: intake, validation, approval, payment runs, and the
//! provider portal's bills.

messages! {
    /// Supplier bill pages' messages.
    PayMsg;
    Bill { en: "Bill", fr: "Facture", de: "Rechnung" }
    BillsEmpty { en: "No supplier bill matches. Drop PDF or photo files above: each is read (QR-bill first, then its text, then OCR) and waits for you to validate it.", fr: "Aucune facture fournisseur ne correspond. Déposez des PDF ou des photos ci-dessus : chacun est lu (QR-facture d'abord, puis son texte, puis l'OCR) et attend votre validation.", de: "Keine Lieferantenrechnung entspricht. Legen Sie oben PDF-Dateien oder Fotos ab: Jede wird gelesen (zuerst die QR-Rechnung, dann der Text, dann OCR) und wartet auf Ihre Prüfung." }
    ProviderBillsEmpty { en: "You have not sent an invoice yet. Drop your invoice (PDF, or a photo) above: we read it and tell you by email when it is approved and paid.", fr: "Vous n'avez pas encore envoyé de facture. Déposez votre facture (PDF ou photo) ci-dessus : nous la lisons et vous informons par e-mail de son approbation et de son paiement.", de: "Sie haben noch keine Rechnung gesendet. Legen Sie Ihre Rechnung (PDF oder Foto) oben ab: Wir lesen sie und informieren Sie per E-Mail über Freigabe und Zahlung." }
    UploadTitle { en: "Add bills", fr: "Ajouter des factures", de: "Rechnungen hinzufügen" }
    ProviderUploadTitle { en: "Send an invoice", fr: "Envoyer une facture", de: "Rechnung senden" }
    DropHint { en: "Drop PDF, PNG or JPEG files here (several at once, up to 10 MB each), or choose them.", fr: "Déposez ici des fichiers PDF, PNG ou JPEG (plusieurs à la fois, 10 Mo chacun au plus), ou choisissez-les.", de: "Legen Sie PDF-, PNG- oder JPEG-Dateien hier ab (mehrere auf einmal, je höchstens 10 MB) oder wählen Sie sie aus." }
    ChooseFiles { en: "Choose files", fr: "Choisir des fichiers", de: "Dateien auswählen" }
    Reading { en: "reading…", fr: "lecture…", de: "wird gelesen…" }
    SameFileUploaded { en: "this file was already received", fr: "ce fichier a déjà été reçu", de: "diese Datei wurde bereits empfangen" }
    Network { en: "the file could not be sent (network)", fr: "le fichier n'a pas pu être envoyé (réseau)", de: "die Datei konnte nicht gesendet werden (Netzwerk)" }
    Document { en: "The bill's file", fr: "Le fichier de la facture", de: "Die Datei der Rechnung" }
    Fields { en: "What the bill says", fr: "Ce que dit la facture", de: "Was die Rechnung sagt" }
    ReadFrom { en: "Read from the file", fr: "Lu dans le fichier", de: "Aus der Datei gelesen" }
    PossibleDuplicate { en: "This may be a duplicate of:", fr: "Ceci est peut-être un doublon de :", de: "Dies ist möglicherweise ein Duplikat von:" }
    SameFile { en: "same file", fr: "même fichier", de: "gleiche Datei" }
    DeviationsFound { en: "The deviation check found (the CEO must approve):", fr: "Le contrôle des écarts a trouvé (le CEO doit approuver) :", de: "Die Abweichungsprüfung hat gefunden (der CEO muss freigeben):" }
    NewSupplier { en: "— a new supplier —", fr: "— un nouveau fournisseur —", de: "— ein neuer Lieferant —" }
    NewSupplierName { en: "New supplier's name", fr: "Nom du nouveau fournisseur", de: "Name des neuen Lieferanten" }
    VatIncluded { en: "VAT included", fr: "TVA incluse", de: "Enthaltene MWST" }
    VatStandard { en: "At the standard rate", fr: "Au taux normal", de: "Zum Normalsatz" }
    VatReduced { en: "At the reduced rate", fr: "Au taux réduit", de: "Zum reduzierten Satz" }
    VatAccommodation { en: "At the accommodation rate", fr: "Au taux spécial (hébergement)", de: "Zum Sondersatz (Beherbergung)" }
    PayTo { en: "Pay to (IBAN or QR-IBAN)", fr: "Payer sur (IBAN ou QR-IBAN)", de: "Zahlen an (IBAN oder QR-IBAN)" }
    ReferenceType { en: "Reference type", fr: "Type de référence", de: "Referenztyp" }
    CostAccount { en: "Cost account", fr: "Compte de charges", de: "Aufwandkonto" }
    Project { en: "Project", fr: "Projet", de: "Projekt" }
    NoProject { en: "— none —", fr: "— aucun —", de: "— keines —" }
    OrderAmount { en: "Amount of the order or accepted proposal", fr: "Montant de la commande ou de l'offre acceptée", de: "Betrag der Bestellung oder angenommenen Offerte" }
    OrderAmountHint { en: "Empty when no order is linked; a different amount needs the CEO's approval.", fr: "Vide sans commande liée ; un montant différent exige l'approbation du CEO.", de: "Leer ohne verknüpfte Bestellung; ein anderer Betrag braucht die Freigabe des CEO." }
    SaveForApproval { en: "Save for approval", fr: "Enregistrer pour approbation", de: "Zur Freigabe speichern" }
    Saved { en: "Saved: the bill waits for approval.", fr: "Enregistré : la facture attend son approbation.", de: "Gespeichert: Die Rechnung wartet auf die Freigabe." }
    Approval { en: "Approval", fr: "Approbation", de: "Freigabe" }
    NeedsCeo { en: "The CEO must approve this bill.", fr: "Le CEO doit approuver cette facture.", de: "Der CEO muss diese Rechnung freigeben." }
    NeedsSecondFactor { en: "Above the company's threshold: confirm with a fresh code from your authenticator app.", fr: "Au-dessus du seuil de la société : confirmez avec un nouveau code de votre application d'authentification.", de: "Über dem Schwellenwert der Firma: Bestätigen Sie mit einem neuen Code Ihrer Authentifizierungs-App." }
    StaffMayApprove { en: "Below the company's threshold: an accountant may approve it.", fr: "Sous le seuil de la société : un comptable peut l'approuver.", de: "Unter dem Schwellenwert der Firma: Die Buchhaltung darf sie freigeben." }
    Approve { en: "Approve", fr: "Approuver", de: "Freigeben" }
    Reject { en: "Reject", fr: "Refuser", de: "Ablehnen" }
    RejectedBecause { en: "Rejected:", fr: "Refusée :", de: "Abgelehnt:" }
    Approvals { en: "Approved by", fr: "Approuvée par", de: "Freigegeben von" }
    PaidOn { en: "Paid on", fr: "Payée le", de: "Bezahlt am" }
    PaymentRuns { en: "Pay bills", fr: "Payer les factures", de: "Rechnungen bezahlen" }
    PaymentRun { en: "Payment run due by", fr: "Paiements dus au", de: "Zahlungslauf fällig bis" }
    DueUntil { en: "Bills due by", fr: "Factures dues au", de: "Rechnungen fällig bis" }
    Preview { en: "Show what would be paid", fr: "Voir ce qui serait payé", de: "Anzeigen, was bezahlt würde" }
    NothingToPay { en: "No approved bill is due by this date.", fr: "Aucune facture approuvée n'est due à cette date.", de: "Bis zu diesem Datum ist keine freigegebene Rechnung fällig." }
    ConfirmRun { en: "Confirm and pay", fr: "Confirmer et payer", de: "Bestätigen und bezahlen" }
    DownloadPain001 { en: "Download the payment file (pain.001)", fr: "Télécharger le fichier de paiement (pain.001)", de: "Zahlungsdatei herunterladen (pain.001)" }
    Unpayable { en: "No bank account in their currency, not in this run:", fr: "Pas de compte bancaire dans leur monnaie, hors de ce paiement :", de: "Kein Bankkonto in ihrer Währung, nicht in diesem Lauf:" }
    Retry { en: "Send again what got no answer", fr: "Renvoyer ce qui est resté sans réponse", de: "Erneut senden, was ohne Antwort blieb" }
    Thresholds { en: "Approval of supplier bills", fr: "Approbation des factures fournisseurs", de: "Freigabe von Lieferantenrechnungen" }
}
