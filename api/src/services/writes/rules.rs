//! The rules fields share across resources, for `#[validate(custom(function = …))]` (reached
//! as `input::slug`, `input::http_url`, …).

use validator::ValidationError;

fn invalid(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// Lowercase letters, digits and single hyphens between them.
pub fn slug(value: &str) -> Result<(), ValidationError> {
    let ok = !value.is_empty()
        && value.len() <= 200
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--")
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "slug",
            "must be 1 to 200 lowercase letters, digits and single hyphens (`kcd-mexico-2025`)",
        ))
    }
}

/// An absolute `http` or `https` URL, without spaces or control characters (which a URL parser
/// would drop or encode, leaving the stored text different from the URL it checked).
pub fn http_url(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(invalid(
            "url",
            "must not contain spaces, line breaks or other control characters",
        ));
    }
    let ok = value.len() <= 2000
        && url::Url::parse(value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "url",
            "must be an absolute http(s) URL of at most 2000 characters",
        ))
    }
}

/// An ISO 3166-1 alpha-2 code, upper case (`MX`).
pub fn country(value: &str) -> Result<(), ValidationError> {
    let ok = value.len() == 2
        && value.bytes().all(|b| b.is_ascii_uppercase())
        && isocountry::CountryCode::for_alpha2(value).is_ok();
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "country",
            "must be an ISO 3166-1 alpha-2 country code in upper case (`MX`)",
        ))
    }
}

/// An IANA time zone name (`America/Mexico_City`).
pub fn timezone(value: &str) -> Result<(), ValidationError> {
    if value.parse::<chrono_tz::Tz>().is_ok() {
        Ok(())
    } else {
        Err(invalid(
            "timezone",
            "must be an IANA time zone name (`America/Mexico_City`)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(slug("kcd-mexico-2025").is_ok());
        for bad in ["", "KCD", "a--b", "-a", "a b", "é"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
        assert!(http_url("https://example.org/x").is_ok());
        assert!(http_url("ftp://example.org").is_err());
        assert!(http_url("javascript:alert(1)").is_err());
        assert!(country("MX").is_ok());
        assert!(country("XX").is_err());
        assert!(country("mx").is_err());
        assert!(timezone("America/Mexico_City").is_ok());
        assert!(timezone("Mars/Olympus").is_err());
    }
}
