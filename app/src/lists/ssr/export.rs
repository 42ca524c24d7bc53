//! CSV exports of the lists: every row the filters select, streamed as it is read.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::StreamExt;
use uuid::Uuid;

use super::{build, check, scope_for, spec, Window};
use crate::auth::ssr::{begin, Caller};
use crate::error::{AppError, FieldProblem};
use crate::i18n::Locale;
use crate::lists::{ListKind, ListQuery};
use crate::state::{AppState, PlainRoutes};

/// CSV headers of a list, in the caller's language.
fn csv_header(kind: ListKind, locale: Locale) -> Vec<String> {
    kind.def()
        .columns
        .iter()
        .map(|c| c.label)
        .chain(spec(kind).csv_extra.iter().copied())
        .map(|m| m.text(locale).to_owned())
        .collect()
}

/// One CSV field: quoted when it holds a separator, quote or line break; text that a spreadsheet
/// would run as a formula (`=`, `+`, `@`, `-` not followed by a digit) is prefixed with `'`.
pub fn csv_field(value: &str) -> String {
    let mut chars = value.chars();
    let risky = match chars.next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => !matches!(chars.next(), Some('0'..='9')),
        _ => false,
    };
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One CSV record, with its CRLF.
pub fn csv_record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// `GET /exports/{list}.csv?filters&id=...`: every row matching the filters (or only the
/// selected ids), streamed as it is read — no row limit, constant memory.
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let kind = file
        .strip_suffix(".csv")
        .and_then(ListKind::parse)
        .ok_or(AppError::NotFound)?;
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = url_pairs(&raw);
    let query = ListQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let ids: Vec<Uuid> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| Uuid::parse_str(v))
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::field("id", FieldProblem::Invalid))?;
    let spec = spec(kind);
    let scope = scope_for(&caller, spec, &query)?;
    let checked = check(kind, spec, &query, ids)?;
    let mut tx = begin(&state.pool, &scope).await?;
    let locale = crate::i18n::ssr::locale_from_headers(&headers);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Bytes>(16);
    let header = format!("\u{feff}{}", csv_record(&csv_header(kind, locale)));
    tokio::spawn(async move {
        if sender.send(Bytes::from(header)).await.is_err() {
            return;
        }
        let mut builder = build(spec, &checked, &scope, Window::All);
        let mut rows = builder.build().fetch(&mut *tx);
        // Rows are batched into chunks of about 64 KiB to keep the number of writes low.
        let mut chunk = String::with_capacity(70_000);
        while let Some(row) = rows.next().await {
            match row {
                Ok(row) => {
                    chunk.push_str(&csv_record(&(spec.csv)(&row)));
                    if chunk.len() >= 64_000
                        && sender
                            .send(Bytes::from(std::mem::take(&mut chunk)))
                            .await
                            .is_err()
                    {
                        return;
                    }
                }
                Err(error) => {
                    // The status line is gone already: end the body early so the file is
                    // visibly incomplete rather than silently short.
                    tracing::error!(%error, "CSV export failed");
                    return;
                }
            }
        }
        drop(rows);
        if !chunk.is_empty() {
            let _ = sender.send(Bytes::from(chunk)).await;
        }
        let _ = tx.commit().await;
    });
    let stream = futures::stream::poll_fn(move |cx| {
        receiver
            .poll_recv(cx)
            .map(|chunk| chunk.map(Ok::<Bytes, Infallible>))
    });
    let name = format!("{}-{}.csv", kind.slug(), crate::domain::calendar::today());
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Decodes `a=1&b=x%20y` (repeated keys kept, for the selected ids).
fn url_pairs(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The export routes, to merge into the server's router.
pub fn routes() -> PlainRoutes {
    vec![("/exports/{file}", get(export))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-12.50"), "-12.50");
        assert_eq!(csv_field("-x"), "'-x");
        assert_eq!(csv_record(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn url_pairs_decode_percent_and_plus() {
        assert_eq!(
            url_pairs("q=M%C3%BCller+AG&id=1&id=2&bad=%zz"),
            vec![
                ("q".into(), "Müller AG".into()),
                ("id".into(), "1".into()),
                ("id".into(), "2".into()),
                ("bad".into(), "%zz".into()),
            ]
        );
    }
}
