//! The fourth reading step: an OpenAI-compatible vision model (chat completions with the page as
//! an image), asked for the fields as one JSON object; only values in the forms asked for are kept.

use std::path::Path;

use serde::Deserialize;

use super::reading::{page_image, ReadError, TOOL_TIMEOUT};

/// A vision model to ask when the other steps leave gaps.
#[derive(Clone, Debug)]
pub struct Vision {
    /// Base URL of an OpenAI-compatible API (`…/v1`).
    pub url: String,
    /// Its key.
    pub key: secrecy::SecretString,
    /// The model.
    pub model: String,
}

#[derive(Deserialize)]
struct ChatAnswer {
    choices: Vec<ChatChoice>,
}
#[derive(Deserialize)]
struct ChatChoice {
    message: ChatMessage,
}
#[derive(Deserialize)]
struct ChatMessage {
    content: String,
}

/// Asks the vision model for the fields, as JSON; returns `(name, value)` pairs it gave.
pub(super) async fn ask_vision(
    v: &Vision,
    dir: &Path,
    file: &Path,
    kind: &str,
) -> Result<Vec<(String, String)>, ReadError> {
    use base64::Engine;
    use secrecy::ExposeSecret;
    let image = page_image(dir, file, kind).await?;
    let bytes = tokio::fs::read(&image)
        .await
        .map_err(|e| ReadError::Tool(e.to_string()))?;
    let mime = if kind == "jpeg" {
        "image/jpeg"
    } else {
        "image/png"
    };
    let data = base64::engine::general_purpose::STANDARD.encode(bytes);
    let body = serde_json::json!({
        "model": v.model,
        "temperature": 0,
        "response_format": { "type": "json_object" },
        "messages": [
            { "role": "system", "content": "You read supplier invoices. Answer with one JSON object with these keys (strings, empty when not on the invoice): supplier, number, issue_date (YYYY-MM-DD), due_date (YYYY-MM-DD), amount (total to pay, decimal with a dot), currency (ISO code), vat_number, iban, reference." },
            { "role": "user", "content": [
                { "type": "text", "text": "Read this invoice." },
                { "type": "image_url", "image_url": { "url": format!("data:{mime};base64,{data}") } }
            ] }
        ]
    });
    let response = reqwest::Client::new()
        .post(format!("{}/chat/completions", v.url.trim_end_matches('/')))
        .bearer_auth(v.key.expose_secret())
        .timeout(TOOL_TIMEOUT)
        .json(&body)
        .send()
        .await
        .map_err(|e| {
            ReadError::Tool(format!(
                "the vision model could not be reached: {}",
                e.without_url()
            ))
        })?;
    if !response.status().is_success() {
        return Err(ReadError::Tool(format!(
            "the vision model answered {}",
            response.status()
        )));
    }
    let answer: ChatAnswer = response
        .json()
        .await
        .map_err(|_| ReadError::Tool("the vision model's answer is not chat completions".into()))?;
    let content = answer
        .choices
        .first()
        .map(|c| c.message.content.clone())
        .unwrap_or_default();
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(content.trim())
            .map_err(|_| ReadError::Tool("the vision model did not answer JSON".into()))?;
    Ok(fields
        .into_iter()
        .filter_map(|(k, v)| {
            let value = v.as_str()?.trim().to_owned();
            let name = match k.as_str() {
                "supplier" | "number" | "issue_date" | "due_date" | "amount" | "currency"
                | "vat_number" | "iban" | "reference" => k.clone(),
                _ => return None,
            };
            // Dates and amounts in the forms asked for only.
            let ok = match name.as_str() {
                "issue_date" | "due_date" => {
                    crate::domain::calendar::parse_date("d", &value).is_ok()
                }
                "amount" => crate::domain::money::parse_minor(&value).is_ok(),
                _ => !value.is_empty() && value.chars().count() <= 140,
            };
            ok.then_some((name, value))
        })
        .collect())
}
