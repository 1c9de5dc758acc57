//! Passwords (argon2id, PHC strings) and session tokens (random, stored hashed).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::error::StoreError;
use crate::model::SessionToken;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// An argon2id PHC string (`$argon2id$v=19$…`) with a random salt.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::WeakPassword {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Password(e.to_string()))
}

/// Whether `password` matches the PHC string `hash` (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to compare against when the user does not exist, so that a login for an unknown
/// name takes as long as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash_password("gongkai-no-such-user").unwrap_or_else(|_| String::from("$invalid"))
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, hex (the digest a reply review binds).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A new random token (32 bytes from the OS, hex).
pub fn new_token() -> Result<SessionToken, StoreError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Password(e.to_string()))?;
    Ok(SessionToken(hex(&buf)))
}

/// What the `sessions` table stores for a token: SHA-256, hex.
pub fn token_id(token: &SessionToken) -> String {
    hex(&Sha256::digest(token.0.as_bytes()))
}

/// A random password of 16 letters and digits (for `init` without a password).
pub fn random_password() -> Result<String, StoreError> {
    // No 0/O, 1/l/I: the password may be read out or copied by hand.
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Bytes at or above the largest multiple of the alphabet's size are skipped, so every
    // character is equally likely.
    let limit = 256 - 256 % ALPHABET.len();
    let mut out = String::with_capacity(16);
    while out.len() < 16 {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf).map_err(|e| StoreError::Password(e.to_string()))?;
        for b in buf {
            if usize::from(b) < limit && out.len() < 16 {
                out.push(ALPHABET[usize::from(b) % ALPHABET.len()] as char);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_eq!(hash_password("short").unwrap_err().code(), "weak_password");
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 64);
        assert_eq!(token_id(&a).len(), 64);
        assert_ne!(token_id(&a), a.0);
        assert_eq!(random_password().unwrap().len(), 16);
    }
}
