//! Supporting documents sent with an application, checked before anything is stored: not
//! empty, at most [`MAX_ATTACHMENT_BYTES`], and of a type the file's own bytes show (a PDF, PNG
//! or JPEG), which must agree with its name's extension. The check never trusts the type a
//! browser declares. The SHA-256 checksum is taken here and checked again on every read.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::code::DocumentKind;
use crate::error::{Location, ScreeningError};

/// The largest attachment accepted: 10 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The longest file name kept.
const MAX_NAME_CHARS: usize = 200;

/// A type of document the platform accepts, known from the file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    /// A PDF document.
    Pdf,
    /// A PNG image (a scan).
    Png,
    /// A JPEG image (a scan or photo).
    Jpeg,
}

impl AttachmentType {
    /// The MIME type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "application/pdf",
            AttachmentType::Png => "image/png",
            AttachmentType::Jpeg => "image/jpeg",
        }
    }

    /// Reads a MIME type back from storage.
    pub fn from_mime(mime: &str) -> Option<AttachmentType> {
        [
            AttachmentType::Pdf,
            AttachmentType::Png,
            AttachmentType::Jpeg,
        ]
        .into_iter()
        .find(|kind| kind.mime() == mime)
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            AttachmentType::Pdf => &["pdf"],
            AttachmentType::Png => &["png"],
            AttachmentType::Jpeg => &["jpg", "jpeg"],
        }
    }
}

/// An attachment that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// What document it is.
    pub document: DocumentKind,
    /// The file name as sent, without any folder part.
    pub file_name: String,
    /// The type its content shows.
    pub content_type: AttachmentType,
    /// The lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Attachment {
    /// Checks an upload. Errors name the field: `document` (not a document kind), `file_name`
    /// (empty, too long, or an extension that is not accepted or does not match the content),
    /// `file` (empty, too large, or content that is not an accepted type).
    pub fn check(
        document: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Attachment, ScreeningError> {
        let document = DocumentKind::parse(document).map_err(|reason| {
            invalid(
                "document",
                format!("{document:?} is not a document kind: {reason}"),
            )
        })?;
        // Keep only the last path part: a name is a label, never a place to write.
        let base = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .trim();
        if base.is_empty() || base == "." || base == ".." {
            return Err(invalid("file_name", "must name the file".into()));
        }
        if base.chars().count() > MAX_NAME_CHARS || base.chars().any(char::is_control) {
            return Err(invalid(
                "file_name",
                format!("must be at most {MAX_NAME_CHARS} printable characters"),
            ));
        }
        if bytes.is_empty() {
            return Err(invalid("file", "is empty".into()));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(invalid(
                "file",
                format!(
                    "is {} bytes; the most accepted is {MAX_ATTACHMENT_BYTES} bytes (10 MiB)",
                    bytes.len()
                ),
            ));
        }
        let content_type = if infer::archive::is_pdf(&bytes) {
            AttachmentType::Pdf
        } else if infer::image::is_png(&bytes) {
            AttachmentType::Png
        } else if infer::image::is_jpeg(&bytes) {
            AttachmentType::Jpeg
        } else {
            let seen = infer::get(&bytes)
                .map(|kind| format!("its content is {}", kind.mime_type()))
                .unwrap_or_else(|| "its content is of no known type".to_owned());
            return Err(invalid(
                "file",
                format!("{seen}; accepted are PDF, PNG and JPEG"),
            ));
        };
        let extension = base
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default();
        if !content_type.extensions().contains(&extension.as_str()) {
            return Err(invalid(
                "file_name",
                format!(
                    "{base:?} does not match its content, which is {}; name it .{}",
                    content_type.mime(),
                    content_type.extensions()[0]
                ),
            ));
        }
        Ok(Attachment {
            document,
            file_name: base.to_owned(),
            content_type,
            sha256: sha256_hex(&bytes),
            bytes,
        })
    }
}

fn invalid(field: &str, reason: String) -> ScreeningError {
    ScreeningError::Invalid {
        at: Location::field(field),
        reason,
    }
}
