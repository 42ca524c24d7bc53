//! Matching a bank transaction to open invoices: the pure rules of reconciliation.
//!
//! 1. A QR reference (QRR) or creditor reference (SCOR) equal to an open invoice's reference is a
//!    certain match.
//! 2. Otherwise each candidate gets a score out of 100 from the amount (exact, or short by bank
//!    fees), the counterparty (an IBAN known for the client; the name), invoice numbers written in
//!    the free text, and how close the booking date is to the invoice's dates. From
//!    [`AUTOMATIC`] it is applied, from [`PROPOSED`] it is proposed for review, below it is left.
//! 3. Several invoice numbers in the text whose open amounts add up to the transaction are one
//!    payment of all of them.
//!
//! A transaction in another currency than the invoice is never matched automatically.

use time::Date;

use super::money::Currency;

/// From this score a match is applied without asking.
pub const AUTOMATIC: u8 = 85;
/// From this score (and below [`AUTOMATIC`]) a match is proposed for review.
pub const PROPOSED: u8 = 50;

/// What reconciliation knows of an incoming transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// Amount received, minor units (positive).
    pub amount_minor: i64,
    /// Its currency.
    pub currency: Currency,
    /// Booking date.
    pub booked_on: Option<Date>,
    /// QR or creditor reference (compact), when the payment carried one.
    pub structured_reference: Option<String>,
    /// Free text: unstructured remittance, additional information.
    pub text: String,
    /// Payer's name.
    pub counterparty_name: Option<String>,
    /// Payer's account (IBAN, compact).
    pub counterparty_account: Option<String>,
}

/// An open invoice as reconciliation sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Invoice id.
    pub id: uuid::Uuid,
    /// Invoice number.
    pub number: String,
    /// Its payment reference (QRR or SCOR, compact; empty when none).
    pub reference: String,
    /// What is still open, minor units.
    pub open_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Issue date.
    pub issued_on: Date,
    /// Due date.
    pub due_on: Date,
    /// The client's name.
    pub party_name: String,
    /// IBANs known for the client (from its record and its earlier payments), compact.
    pub party_accounts: Vec<String>,
}

/// Why a score is what it is (stored with proposals, shown to the person who reviews them).
pub use super::status::MatchReason as Reason;

/// One scored candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scored {
    /// The invoice.
    pub invoice_id: uuid::Uuid,
    /// 0–100.
    pub score: u8,
    /// What contributed.
    pub reasons: Vec<Reason>,
}

/// What to do with a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Apply these allocations now: `(invoice, amount)`; anything left over is an overpayment of
    /// the last one.
    Apply {
        /// Allocations in order.
        allocations: Vec<(uuid::Uuid, i64)>,
        /// The certainty (100 for a reference).
        score: u8,
        /// Why.
        reasons: Vec<Reason>,
    },
    /// Ask a person: the candidates worth showing, best first.
    Review(Vec<Scored>),
    /// Nothing plausible.
    Unmatched,
}

/// Letters and digits only, lower-case, as words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect()
}

/// Words every company name carries, which say nothing about who it is.
const NOISE: [&str; 12] = [
    "sa", "ag", "gmbh", "sàrl", "sarl", "ltd", "inc", "llc", "co", "und", "et", "the",
];

/// How much of the client's name appears in the payer's name (0–100).
pub fn name_similarity(payer: &str, party: &str) -> u8 {
    let party_words: Vec<String> = words(party)
        .into_iter()
        .filter(|w| !NOISE.contains(&w.as_str()))
        .collect();
    if party_words.is_empty() {
        return 0;
    }
    let payer_words = words(payer);
    let found = party_words
        .iter()
        .filter(|w| payer_words.iter().any(|p| p == *w))
        .count();
    (found * 100 / party_words.len()) as u8
}

/// Whether `number` appears in `text` as a whole token (ignoring case and separators inside it:
/// "INV-2026-0042", "inv 2026 0042" and "INV20260042" all name the same invoice).
pub fn mentions(text: &str, number: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(number);
    if wanted.len() < 4 {
        return false;
    }
    let haystack = squash(text);
    let mut from = 0;
    while let Some(at) = haystack[from..].find(&wanted) {
        let start = from + at;
        let end = start + wanted.len();
        // Not the middle of a longer number: "…00421" does not name "…0042".
        let digit_after = haystack[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        if !digit_after || !wanted.ends_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        from = end;
    }
    false
}

/// The score of one candidate.
pub fn score(tx: &Incoming, c: &Candidate) -> Scored {
    let mut points: u32 = 0;
    let mut reasons = Vec::new();
    if tx.currency != c.currency {
        reasons.push(Reason::OtherCurrency);
    }
    if tx.amount_minor == c.open_minor {
        points += 40;
        reasons.push(Reason::ExactAmount);
    } else if tx.amount_minor < c.open_minor
        && c.open_minor - tx.amount_minor <= (c.open_minor / 100).clamp(100, 2_500)
    {
        points += 25;
        reasons.push(Reason::AmountLessFees);
    }
    if tx
        .counterparty_account
        .as_ref()
        .is_some_and(|a| c.party_accounts.iter().any(|k| k == a))
    {
        points += 35;
        reasons.push(Reason::KnownAccount);
    } else if let Some(name) = &tx.counterparty_name {
        let similarity = name_similarity(name, &c.party_name);
        if similarity >= 50 {
            points += 20 * similarity as u32 / 100;
            reasons.push(Reason::SimilarName);
        }
    }
    if mentions(&tx.text, &c.number) {
        points += 40;
        reasons.push(Reason::NumberInText);
    }
    if let Some(booked) = tx.booked_on {
        if booked >= c.issued_on && booked <= c.due_on + time::Duration::days(60) {
            points += 10;
            reasons.push(Reason::DateFits);
        }
    }
    let mut score = points.min(100) as u8;
    if tx.currency != c.currency {
        score = score.min(AUTOMATIC - 1);
    }
    Scored {
        invoice_id: c.id,
        score,
        reasons,
    }
}

/// Decides what to do with an incoming transaction, given the open invoices of its company.
pub fn decide(tx: &Incoming, candidates: &[Candidate]) -> Decision {
    if tx.amount_minor <= 0 {
        return Decision::Unmatched;
    }
    // 1. A structured reference names its invoice.
    if let Some(reference) = tx.structured_reference.as_deref().filter(|r| !r.is_empty()) {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.reference == reference && c.currency == tx.currency)
        {
            return Decision::Apply {
                allocations: vec![(c.id, tx.amount_minor)],
                score: 100,
                reasons: vec![Reason::Reference],
            };
        }
    }
    // 3. Several invoices named in the text, paid together.
    let named: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.currency == tx.currency && mentions(&tx.text, &c.number))
        .collect();
    if named.len() > 1 && named.iter().map(|c| c.open_minor).sum::<i64>() == tx.amount_minor {
        return Decision::Apply {
            allocations: named.iter().map(|c| (c.id, c.open_minor)).collect(),
            score: 95,
            reasons: vec![Reason::NumberInText, Reason::ExactAmount],
        };
    }
    // 2. Scores.
    let mut scored: Vec<Scored> = candidates.iter().map(|c| score(tx, c)).collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.score));
    scored.retain(|s| s.score >= PROPOSED);
    match scored.as_slice() {
        [] => Decision::Unmatched,
        // Applied only when the best is sure and no other candidate is as good.
        [best, rest @ ..]
            if best.score >= AUTOMATIC && rest.first().is_none_or(|r| r.score < best.score) =>
        {
            Decision::Apply {
                allocations: vec![(best.invoice_id, tx.amount_minor)],
                score: best.score,
                reasons: best.reasons.clone(),
            }
        }
        _ => {
            scored.truncate(5);
            Decision::Review(scored)
        }
    }
}
