//! Bytes → text: BOM, then UTF-8, then GBK (GB18030). Binary input is refused.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::ReadError;

/// Decodes a text file. Government text exports are UTF-8 or GBK; UTF-16 appears when a
/// Word document is saved as "Unicode text".
pub fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    for (bom, enc) in [(&b"\xFF\xFE"[..], UTF_16LE), (&b"\xFE\xFF"[..], UTF_16BE)] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
            if had_errors {
                return Err(ReadError::Encoding { offset: 2 });
            }
            return Ok(text.into_owned());
        }
    }
    if let Some(offset) = binary_at(bytes) {
        return Err(ReadError::Binary { offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(utf8_err) => {
            let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err(ReadError::Encoding {
                    offset: utf8_err.valid_up_to(),
                })
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some(offset) = binary_at(bytes) {
        return Err(ReadError::Binary { offset });
    }
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| ReadError::Encoding {
            offset: e.valid_up_to() + 3,
        })
}

/// The offset of the first byte that no text file has: NUL, or a C0 control other than
/// tab, newline, carriage return and form feed.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gbk_and_bom() {
        assert_eq!(decode("报告".as_bytes()).unwrap(), "报告");
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let (gbk, _, _) = GB18030.encode("年度报告");
        assert_eq!(decode(&gbk).unwrap(), "年度报告");
    }

    #[test]
    fn refuses_empty_binary_and_garbage() {
        assert!(matches!(decode(b""), Err(ReadError::Empty)));
        assert!(matches!(decode(b"  \n"), Err(ReadError::Empty)));
        assert!(matches!(
            decode(b"ab\x00cd"),
            Err(ReadError::Binary { offset: 2 })
        ));
        assert!(matches!(
            decode(b"ok \xFF\xFF\xFF"),
            Err(ReadError::Encoding { .. })
        ));
    }
}
