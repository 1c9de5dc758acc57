//! Who published a report, as a key that survives the ways the same name gets printed.
//!
//! The agency comes from the report itself (the title, via the reader's `meta.agency`, or
//! the signature line when the title names none); the year from the title. Two printings
//! of one agency's name get the same key by four rules, applied in order — nothing else,
//! so two different agencies never merge by accident:
//!
//! 1. **Width folding.** Full-width ASCII (`Ａ`, `１`, `（`) becomes ASCII (`A`, `1`, `(`).
//! 2. **Spacing.** All white space (including U+3000 and no-break space) and invisible
//!    characters (zero-width space/joiners, BOM) are removed: `红旗区 洪门镇` = `红旗区洪门镇`.
//! 3. **Wrapping punctuation.** Quotes, book-title marks and colons around the name are
//!    dropped: `“某某局”：` = `某某局`.
//! 4. **The government of a place.** A bare place name is that place's people's government
//!    — a report titled `百泉镇2023年政府信息公开工作年度报告` is the town government's:
//!    a name ending in a division (`省 市 县 区 旗 州 盟 镇 乡`) gets `人民政府`; one ending
//!    in `街道` gets `办事处`; the short form `X镇政府` becomes `X镇人民政府`.
//!
//! Not folded: traditional vs simplified characters, abbreviations (`县委办` vs
//! `县委办公室`), a missing parent place (`洪门镇人民政府` vs `红旗区洪门镇人民政府`). Such
//! names are listed in a jurisdiction file as several `agencies` of one node.

/// Division characters after which a bare place name means that place's government.
const DIVISIONS: [char; 9] = ['省', '市', '县', '区', '旗', '州', '盟', '镇', '乡'];

/// The normalised key of an agency name; `None` when nothing is left.
pub fn agency_key(raw: &str) -> Option<String> {
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = fold_width(c);
        if c.is_whitespace() || is_invisible(c) {
            continue;
        }
        s.push(c);
    }
    let trimmed = s.trim_matches(is_wrapping_punct);
    if trimmed.is_empty() {
        return None;
    }
    let mut key = trimmed.to_string();
    if let Some(place) = key.strip_suffix("政府")
        && !place.ends_with("人民")
        && place.ends_with(DIVISIONS)
    {
        key = format!("{place}人民政府");
    } else if key.ends_with(DIVISIONS) {
        key.push_str("人民政府");
    } else if key.ends_with("街道") {
        key.push_str("办事处");
    }
    Some(key)
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII, the ideographic space to a space.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn is_wrapping_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '「'
            | '」'
            | '『'
            | '』'
            | ':'
            | '：'
            | ','
            | '，'
            | '、'
            | '.'
            | '。'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_space() {
        assert_eq!(
            agency_key("红旗区 洪门镇").as_deref(),
            Some("红旗区洪门镇人民政府")
        );
        assert_eq!(
            agency_key("北京市统计局").as_deref(),
            agency_key("北京市\u{3000}统计局").as_deref()
        );
        assert_eq!(agency_key("ＸＸ市第１中学").as_deref(), Some("XX市第1中学"));
        assert_eq!(
            agency_key("\u{200B}某某局\u{FEFF}").as_deref(),
            Some("某某局")
        );
        assert_eq!(agency_key("“某某局”：").as_deref(), Some("某某局"));
    }

    #[test]
    fn a_place_is_its_government() {
        let gov = agency_key("百泉镇人民政府");
        assert_eq!(agency_key("百泉镇").as_deref(), gov.as_deref());
        assert_eq!(agency_key("百泉镇政府").as_deref(), gov.as_deref());
        assert_eq!(agency_key("东城街道").as_deref(), Some("东城街道办事处"));
        // Departments and offices keep their names.
        assert_eq!(
            agency_key("延津县人民政府办公室").as_deref(),
            Some("延津县人民政府办公室")
        );
        assert_eq!(agency_key("某市财政局").as_deref(), Some("某市财政局"));
    }

    #[test]
    fn empty_names_have_no_key() {
        assert_eq!(agency_key(""), None);
        assert_eq!(agency_key(" \u{3000}“”"), None);
    }
}
