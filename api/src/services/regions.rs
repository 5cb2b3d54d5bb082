//! The region of a country, from the United Nations' M49 standard ("Standard country or area
//! codes for statistical use", https://unstats.un.org/unsd/methodology/m49/): Northern America
//! is `north_america`; Latin America and the Caribbean `latam`; Europe `europe`; Africa
//! `africa`; Western Asia `middle_east`; the rest of Asia and Oceania `asia_pacific`.

use entity::sea_orm_active_enums::Region;

/// ISO 3166-1 alpha-2 codes by region, each list from the M49 groups named above.
const REGIONS: &[(Region, &str)] = &[
    // Northern America (021).
    (Region::NorthAmerica, "BM CA GL PM US"),
    // Latin America and the Caribbean (419): the Caribbean, Central and South America.
    (
        Region::Latam,
        "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI \
         BZ CR GT HN MX NI PA SV \
         AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    ),
    // Europe (150).
    (
        Region::Europe,
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE \
         LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    ),
    // Africa (002): Northern and Sub-Saharan Africa.
    (
        Region::Africa,
        "DZ EG EH LY MA SD TN \
         AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW IO KE KM LR LS MG ML MR \
         MU MW MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TF TG TZ UG YT ZA ZM ZW",
    ),
    // Western Asia (145).
    (
        Region::MiddleEast,
        "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    ),
    // Central, Eastern, South-eastern and Southern Asia (143, 030, 035, 034) and Oceania (009).
    (
        Region::AsiaPacific,
        "KG KZ TJ TM UZ \
         CN HK JP KP KR MN MO TW \
         BN ID KH LA MM MY PH SG TH TL VN \
         AF BD BT IN IR LK MV NP PK \
         AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF \
         WS",
    ),
];

/// The region of an ISO 3166-1 alpha-2 country code (any case); `None` for codes M49 does not
/// place (Antarctica, say).
pub fn of_country(code: &str) -> Option<Region> {
    let code = code.to_ascii_uppercase();
    REGIONS
        .iter()
        .find(|(_, codes)| codes.split_ascii_whitespace().any(|c| c == code))
        .map(|(region, _)| *region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_assigned_code_has_one_region() {
        let mut seen = std::collections::HashSet::new();
        for (_, codes) in REGIONS {
            for code in codes.split_ascii_whitespace() {
                assert!(seen.insert(code), "{code} is listed twice");
                assert!(
                    isocountry::CountryCode::for_alpha2(code).is_ok(),
                    "{code} is not an ISO 3166-1 code"
                );
            }
        }
        // Every ISO code but Antarctica is placed.
        for c in isocountry::CountryCode::iter() {
            let code = c.alpha2();
            assert!(code == "AQ" || seen.contains(code), "{code} has no region");
        }
    }

    #[test]
    fn countries_of_the_corpus() {
        assert_eq!(of_country("pe"), Some(Region::Latam));
        assert_eq!(of_country("MX"), Some(Region::Latam));
        assert_eq!(of_country("US"), Some(Region::NorthAmerica));
        assert_eq!(of_country("NO"), Some(Region::Europe));
        assert_eq!(of_country("AQ"), None);
    }
}
