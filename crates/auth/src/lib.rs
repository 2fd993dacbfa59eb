//! Credentials: password hashing, password policy and random tokens.
//!
//! Passwords are hashed with argon2id (the PHC string goes to the store); session, CSRF and
//! API tokens are 256-bit random values, of which the store keeps only a SHA-256 digest.
//! Nothing here does I/O: the web layer and the command line call these functions and hand
//! the results to `store`.
//!
//! ```
//! let password = auth::NewPassword::parse("correct horse battery staple".into()).unwrap();
//! let hash = auth::hash_password(&password).unwrap();
//! assert!(auth::verify_password("correct horse battery staple", &hash));
//! assert!(!auth::verify_password("wrong", &hash));
//! ```

#![deny(missing_docs)]

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What can go wrong with credentials.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A new password does not meet the policy; the message says why.
    #[error("{0}")]
    WeakPassword(String),
    /// Hashing failed (should not happen with valid parameters).
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

/// Minimum length of a new password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A password that meets the policy, not yet hashed. Its `Debug` does not print it.
pub struct NewPassword(String);

impl NewPassword {
    /// Accepts a password of 12 to 256 characters that is not all one character.
    pub fn parse(text: String) -> Result<NewPassword, AuthError> {
        let n_chars = text.chars().count();
        if n_chars < MIN_PASSWORD_CHARS {
            return Err(AuthError::WeakPassword(format!(
                "password must have at least {MIN_PASSWORD_CHARS} characters, this one has {n_chars}"
            )));
        }
        if n_chars > 256 {
            return Err(AuthError::WeakPassword(
                "password must have at most 256 characters".into(),
            ));
        }
        let first = text.chars().next();
        if text.chars().all(|c| Some(c) == first) {
            return Err(AuthError::WeakPassword(
                "password must not repeat one character".into(),
            ));
        }
        Ok(NewPassword(text))
    }

    /// A random one-time password (24 characters, about 143 bits).
    pub fn generate() -> NewPassword {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let mut rng = rand::thread_rng();
        let text: String = (0..24)
            .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
            .collect();
        NewPassword(text)
    }

    /// The clear text, for showing a generated password once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

/// Hashes a password with argon2id and a random salt; returns the PHC string.
pub fn hash_password(password: &NewPassword) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.0.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hashing(e.to_string()))
}

/// Checks a typed password against a stored PHC string; false for a malformed hash.
pub fn verify_password(typed: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(typed.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so that an unknown email takes as
/// long to refuse as a wrong password (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_password(&NewPassword::generate()).expect("hashing a generated password works")
    })
}

/// A fresh random token: 32 bytes, URL-safe base64 without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A code people can read aloud and type: `HK-` then three groups of four characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L), about 58 bits, e.g. `HK-7F3K-Q9XZ-M2PA`.
pub fn verification_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let mut code = String::from("HK");
    for _ in 0..3 {
        code.push('-');
        for _ in 0..4 {
            code.push(ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char);
        }
    }
    code
}

/// The SHA-256 hex digest under which a token is stored.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time independent of where they differ (for CSRF tokens).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_a_short_password_saying_how_long_it_was() {
        let err = NewPassword::parse("short".into()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "password must have at least 12 characters, this one has 5"
        );
    }

    #[test]
    fn generated_passwords_differ_and_pass_the_policy() {
        let a = NewPassword::generate();
        let b = NewPassword::generate();
        assert_ne!(a.expose(), b.expose());
        assert!(NewPassword::parse(a.expose().to_owned()).is_ok());
        assert_eq!(format!("{a:?}"), "NewPassword([redacted])");
    }

    #[test]
    fn token_digest_is_stable_hex_and_tokens_are_unique() {
        assert_eq!(token_digest("abc").len(), 64);
        assert_eq!(token_digest("abc"), token_digest("abc"));
        assert_ne!(random_token(), random_token());
        assert!(constant_time_eq("same", "same"));
        assert!(!constant_time_eq("same", "sane"));
    }

    #[test]
    fn verification_codes_have_the_documented_shape_and_differ() {
        let code = verification_code();
        assert_eq!(code.len(), 17);
        assert!(code.starts_with("HK-"));
        assert!(code
            .chars()
            .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert!(!code[3..].contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(verification_code(), code);
    }
}
