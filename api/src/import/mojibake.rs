//! Repair of UTF-8 text that was once decoded as Mac OS Roman and re-encoded
//! (`Bogot√°` for `Bogotá`, U+F8FF `üò∫` for `😺`).
//!
//! A UTF-8 multi-byte sequence consists only of bytes ≥ 0x80, so its Mac OS Roman reading is a
//! run of 2–4 non-ASCII characters. Each such run is mapped back to bytes; it is replaced only
//! when those bytes are one valid UTF-8 character in a range that real text uses (Latin letters,
//! typographic punctuation and symbols, variation selectors, emoji). Correct text — where such
//! runs do not occur — is never changed.

/// Mac OS Roman, bytes 0x80–0xFF.
const MAC_ROMAN_HIGH: [char; 128] = [
    'Ä', 'Å', 'Ç', 'É', 'Ñ', 'Ö', 'Ü', 'á', 'à', 'â', 'ä', 'ã', 'å', 'ç', 'é', 'è', //
    'ê', 'ë', 'í', 'ì', 'î', 'ï', 'ñ', 'ó', 'ò', 'ô', 'ö', 'õ', 'ú', 'ù', 'û', 'ü', //
    '†', '°', '¢', '£', '§', '•', '¶', 'ß', '®', '©', '™', '´', '¨', '≠', 'Æ', 'Ø', //
    '∞', '±', '≤', '≥', '¥', 'µ', '∂', '∑', '∏', 'π', '∫', 'ª', 'º', 'Ω', 'æ', 'ø', //
    '¿', '¡', '¬', '√', 'ƒ', '≈', '∆', '«', '»', '…', '\u{A0}', 'À', 'Ã', 'Õ', 'Œ', 'œ', //
    '–', '—', '“', '”', '‘', '’', '÷', '◊', 'ÿ', 'Ÿ', '⁄', '€', '‹', '›', 'ﬁ', 'ﬂ', //
    '‡', '·', '‚', '„', '‰', 'Â', 'Ê', 'Á', 'Ë', 'È', 'Í', 'Î', 'Ï', 'Ì', 'Ó', 'Ô', //
    '\u{F8FF}', 'Ò', 'Ú', 'Û', 'Ù', 'ı', 'ˆ', '˜', '¯', '˘', '˙', '˚', '¸', '˝', '˛', 'ˇ',
];

/// Mac OS Roman byte by Basic Multilingual Plane code point (0: none). Every character of
/// Mac OS Roman's upper half is in the BMP.
static REVERSE: std::sync::LazyLock<Box<[u8]>> = std::sync::LazyLock::new(|| {
    let mut table = vec![0u8; 0x1_0000].into_boxed_slice();
    for (i, &c) in MAC_ROMAN_HIGH.iter().enumerate() {
        table[c as usize] = 0x80 + i as u8;
    }
    table
});

/// The Mac OS Roman byte for a non-ASCII character, if it has one.
fn mac_roman_byte(c: char) -> Option<u8> {
    match REVERSE.get(c as usize) {
        Some(&b) if b != 0 => Some(b),
        _ => None,
    }
}

/// Mac OS Roman reading of a byte (for tests and the benchmark corpus generator).
pub fn mac_roman_char(b: u8) -> char {
    if b < 0x80 {
        b as char
    } else {
        MAC_ROMAN_HIGH[(b - 0x80) as usize]
    }
}

/// Turns text into its mojibake: UTF-8 bytes read as Mac OS Roman.
pub fn garble(text: &str) -> String {
    text.bytes().map(mac_roman_char).collect()
}

/// Whether a decoded character is one real text plausibly contains.
fn plausible(c: char) -> bool {
    matches!(u32::from(c),
        0x00A0..=0x017F       // Latin-1 Supplement, Latin Extended-A
        | 0x2000..=0x2BFF     // punctuation, currency, letterlike, arrows, symbols, dingbats
        | 0xFE00..=0xFE0F     // variation selectors
        | 0x1F000..=0x1FAFF   // emoji
    )
}

/// The repaired text and the number of characters repaired.
pub fn repair(text: &str) -> (String, usize) {
    if text.is_ascii() {
        return (text.to_owned(), 0);
    }
    // Only a character of Mac OS Roman's upper half can start a repair.
    if !text
        .chars()
        .any(|c| !c.is_ascii() && mac_roman_byte(c).is_some())
    {
        return (text.to_owned(), 0);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut repairs = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some((decoded, used)) = decode_at(&chars[i..]) {
            out.push(decoded);
            repairs += 1;
            i += used;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (out, repairs)
}

/// Decodes one garbled UTF-8 character at the start of `chars`.
fn decode_at(chars: &[char]) -> Option<(char, usize)> {
    let lead = mac_roman_byte(*chars.first()?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    if chars.len() < len {
        return None;
    }
    let mut bytes = [0u8; 4];
    bytes[0] = lead;
    for (slot, &c) in bytes[1..len].iter_mut().zip(&chars[1..len]) {
        *slot = mac_roman_byte(c)?;
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    plausible(decoded).then_some((decoded, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn repairs_the_corpus_examples() {
        assert_eq!(repair("Bogot√°").0, "Bogotá");
        assert_eq!(repair("Medell√≠n").0, "Medellín");
        assert_eq!(repair("community\u{F8FF}üò∫").0, "community😺");
        assert_eq!(repair("Str√•lfors").0, "Strålfors");
        assert_eq!(repair("Argo CD‚Äôs").0, "Argo CD’s");
        assert_eq!(
            repair("\u{F8FF}üéüÔ∏è Registration"),
            ("🎟\u{FE0F} Registration".to_owned(), 2)
        );
    }

    #[test]
    fn leaves_correct_text_alone() {
        for text in [
            "Bogotá",
            "Medellín",
            "Max Körbächer",
            "l’été",
            "“Éxito”",
            "😺",
            "Ωμέγα",
            "naïve café",
        ] {
            assert_eq!(repair(text), (text.to_owned(), 0), "{text}");
        }
    }

    /// Letters, digits, punctuation and emoji as people write them.
    fn natural_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => proptest::char::range(' ', '~'),
            2 => proptest::char::range('À', 'ÿ').prop_filter("letters", |c| c.is_alphabetic()),
            1 => proptest::char::range('Ā', 'ſ'),
            1 => prop::sample::select(vec!['–', '—', '“', '”', '‘', '’', '…', '«', '»', '·', '€', '°', '¿', '¡', '©', '®', '™', '•', '\u{FE0F}', '\u{A0}']),
            1 => proptest::char::range('\u{1F300}', '\u{1F64F}'),
            1 => proptest::char::range('α', 'ω'),
            1 => proptest::char::range('一', '龥'),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn correct_text_never_changes(text in proptest::collection::vec(natural_char(), 0..80)) {
            let text: String = text.into_iter().collect();
            prop_assert_eq!(repair(&text), (text.clone(), 0));
        }

        #[test]
        fn garbled_text_is_restored(text in proptest::collection::vec(natural_char(), 0..80)) {
            let text: String = text.into_iter().filter(|c| c.is_ascii() || plausible(*c)).collect();
            let expected_repairs = text.chars().filter(|c| !c.is_ascii()).count();
            prop_assert_eq!(repair(&garble(&text)), (text, expected_repairs));
        }

        #[test]
        fn arbitrary_text_never_panics(text in any::<String>()) {
            let (repaired, _) = repair(&text);
            prop_assert!(repaired.len() <= text.len() + 4);
        }
    }
}
