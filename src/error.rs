//! User-facing failures and the exit code each one maps to. Everything else is an
//! `anyhow` error with context (exit 1).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum UserError {
    /// Bad flags or values (exit 2).
    #[error("{0}")]
    Usage(String),
    /// No data directory, or a configured one that does not exist (exit 1).
    #[error("{0}")]
    NoData(String),
}

impl UserError {
    pub fn exit_code(&self) -> u8 {
        match self {
            UserError::Usage(_) => 2,
            UserError::NoData(_) => 1,
        }
    }
}
