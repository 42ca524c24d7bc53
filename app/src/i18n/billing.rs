//! Messages of the billing pages added in round 2: draft invoices, account credit, documents.

messages! {
    /// Billing pages' messages.
    BillingMsg;
    NewInvoice { en: "New invoice", fr: "Nouvelle facture", de: "Neue Rechnung" }
    EditInvoice { en: "Edit draft invoice", fr: "Modifier le brouillon de facture", de: "Rechnungsentwurf bearbeiten" }
    DraftInvoice { en: "Draft invoice", fr: "Brouillon de facture", de: "Rechnungsentwurf" }
    DraftNoNumber { en: "A draft has no number yet: it gets one when it is issued.", fr: "Un brouillon n'a pas encore de numéro : il le reçoit à l'émission.", de: "Ein Entwurf hat noch keine Nummer: Er erhält sie bei der Ausstellung." }
    IssueAndSend { en: "Issue and send", fr: "Émettre et envoyer", de: "Ausstellen und senden" }
    DeleteDraft { en: "Delete draft", fr: "Supprimer le brouillon", de: "Entwurf löschen" }
    ConfirmDeleteDraft { en: "Delete this draft? This cannot be undone.", fr: "Supprimer ce brouillon ? Cette action est définitive.", de: "Diesen Entwurf löschen? Das kann nicht rückgängig gemacht werden." }
    DueDays { en: "Payment terms (days)", fr: "Délai de paiement (jours)", de: "Zahlungsfrist (Tage)" }
    DueDaysHint { en: "Empty: the company's terms.", fr: "Vide : le délai de la société.", de: "Leer: die Frist der Firma." }
    AccountCredit { en: "Credit on the client's account", fr: "Avoir sur le compte du client", de: "Guthaben auf dem Kundenkonto" }
    UseCredit { en: "Pay from the client's credit", fr: "Payer avec l'avoir du client", de: "Mit Kundenguthaben bezahlen" }
    OverpaymentKept { en: "More than the balance was paid: the difference is kept as a credit on the client's account.", fr: "Le paiement dépasse le solde : la différence est portée en avoir sur le compte du client.", de: "Es wurde mehr als der Saldo bezahlt: Die Differenz bleibt als Guthaben auf dem Kundenkonto." }
    RefundCredit { en: "Record a refund of the credit", fr: "Enregistrer un remboursement de l'avoir", de: "Rückerstattung des Guthabens erfassen" }
    Note { en: "Note", fr: "Remarque", de: "Bemerkung" }
    VatPerRate { en: "VAT per rate", fr: "TVA par taux", de: "MWST pro Satz" }
    Overdue { en: "Overdue", fr: "En retard", de: "Überfällig" }
    CorrectsInvoice { en: "Corrects invoice", fr: "Corrige la facture", de: "Korrigiert Rechnung" }
    NewSubscription { en: "New subscription", fr: "Nouvel abonnement", de: "Neues Abonnement" }
    InvoiceDueNow { en: "Invoice what is due now", fr: "Facturer ce qui est dû maintenant", de: "Fälliges jetzt verrechnen" }
    InvoicesIssued { en: "{n} invoice(s) issued.", fr: "{n} facture(s) émise(s).", de: "{n} Rechnung(en) ausgestellt." }
    SubscriptionsEmpty { en: "No subscriptions yet. A subscription invoices a client every month, quarter or year, by itself.", fr: "Aucun abonnement pour l'instant. Un abonnement facture un client chaque mois, trimestre ou année, tout seul.", de: "Noch keine Abonnemente. Ein Abonnement verrechnet einem Kunden jeden Monat, jedes Quartal oder Jahr, von selbst." }
    StartsOn { en: "First period starts on", fr: "Première période le", de: "Erste Periode ab" }
    EndsOn { en: "Ends on (empty: until ended)", fr: "Se termine le (vide : jusqu'à résiliation)", de: "Endet am (leer: bis gekündigt)" }
}
