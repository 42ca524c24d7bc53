//! The document store: files addressed by their SHA-256, behind one interface (`object_store`) —
//! the local filesystem under the project's data folder by default, any S3-compatible store by
//! configuration (`APP_STORAGE__URL=s3://bucket/prefix` and the usual `AWS_*` variables). The
//! same content is stored once, whoever uploads it.

use std::sync::Arc;

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The store.
#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
}

/// The store could not be opened from its URL.
#[derive(Debug, thiserror::Error)]
#[error("document store {url}: {reason}")]
pub struct StoreError {
    url: String,
    reason: String,
}

/// The hex SHA-256 of `bytes` (the address of a file).
pub fn address(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl FileStore {
    /// Opens the store at `url`: `file:///absolute/folder` (created when missing) or
    /// `s3://bucket[/prefix]` (credentials and endpoint from the environment), `memory://` for
    /// tests.
    pub fn open(url: &str) -> Result<FileStore, StoreError> {
        let err = |reason: String| StoreError {
            url: url.to_owned(),
            reason,
        };
        if let Some(folder) = url.strip_prefix("file://") {
            std::fs::create_dir_all(folder).map_err(|e| err(e.to_string()))?;
            let store = object_store::local::LocalFileSystem::new_with_prefix(folder)
                .map_err(|e| err(e.to_string()))?;
            return Ok(FileStore {
                store: Arc::new(store),
                prefix: Path::default(),
            });
        }
        if url == "memory://" {
            return Ok(FileStore {
                store: Arc::new(object_store::memory::InMemory::new()),
                prefix: Path::default(),
            });
        }
        let parsed = url::Url::parse(url).map_err(|e| err(e.to_string()))?;
        let options: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("AWS_"))
            .map(|(k, v)| (k.to_lowercase(), v))
            .collect();
        let (store, prefix) =
            object_store::parse_url_opts(&parsed, options).map_err(|e| err(e.to_string()))?;
        Ok(FileStore {
            store: Arc::from(store),
            prefix,
        })
    }

    fn path(&self, sha256: &str) -> Path {
        let base = self.prefix.as_ref();
        let key = format!("sha256/{}/{sha256}", &sha256[..2.min(sha256.len())]);
        if base.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{base}/{key}"))
        }
    }

    /// Stores `bytes` (once: already stored content is not written again); its address.
    pub async fn put(&self, bytes: &[u8]) -> Result<String, AppError> {
        let sha = address(bytes);
        let path = self.path(&sha);
        if self.store.head(&path).await.is_ok() {
            return Ok(sha);
        }
        self.store
            .put(&path, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|error| {
                tracing::error!(%error, "storing a file failed");
                AppError::Unavailable
            })?;
        Ok(sha)
    }

    /// The content at `sha256`.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, AppError> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let found = self
            .store
            .get(&self.path(sha256))
            .await
            .map_err(|error| match error {
                object_store::Error::NotFound { .. } => AppError::NotFound,
                error => {
                    tracing::error!(%error, "reading a file failed");
                    AppError::Unavailable
                }
            })?;
        let bytes = found.bytes().await.map_err(|_| AppError::Unavailable)?;
        Ok(bytes.to_vec())
    }
}
