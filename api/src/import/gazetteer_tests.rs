//! Tests of `gazetteer.rs`: a mention's city, region and time resolve to one edition or none.

use chrono::NaiveDate;

use super::*;
use crate::import::mentions::{Form, discover, tokenize};

fn gazetteer() -> Gazetteer {
    let catalog = crate::import::load_catalog(None).expect("the embedded catalog loads");
    Gazetteer::from_catalog(&catalog)
}

/// What `text`, in a post of `day`, names.
fn resolved(text: &str, day: &str) -> Vec<Resolved> {
    let g = gazetteer();
    let day: NaiveDate = day.parse().unwrap();
    let tokens = tokenize(text);
    let used = vec![false; tokens.len()];
    discover(text, &tokens, &used, &g)
        .iter()
        .filter_map(|d| g.resolve(d, day))
        .collect()
}

fn edition(series: &str, year: i32) -> Resolved {
    Resolved::Edition {
        series: series.to_owned(),
        year,
    }
}

const EU: &str = "KubeCon + CloudNativeCon Europe";
const NA: &str = "KubeCon + CloudNativeCon North America";

#[test]
fn a_host_city_names_the_edition_held_there() {
    let paris = [edition(EU, 2024)];
    assert_eq!(resolved("The Paris KubeCon was huge.", "2024-04-01"), paris);
    assert_eq!(resolved("I was at KubeCon in Paris.", "2025-06-01"), paris);
    assert_eq!(
        resolved("Volví de la KubeCon de París.", "2024-04-01"),
        paris
    );
    // Amsterdam hosted two: only a time pins one.
    assert_eq!(
        resolved("KubeCon Amsterdam '23 was fun.", "2024-01-01"),
        [edition(EU, 2023)]
    );
    assert_eq!(
        resolved("KubeCon Amsterdam was fun.", "2024-10-01"),
        [Resolved::Series(EU.to_owned())]
    );
    // A city that hosted no KubeCon is no KubeCon.
    assert!(resolved("KubeCon in Lima was great.", "2024-10-01").is_empty());
}

#[test]
fn abbreviations_short_years_and_hashtags_resolve() {
    assert_eq!(
        resolved("KubeCon EU '24 is close.", "2024-02-01"),
        [edition(EU, 2024)]
    );
    assert_eq!(
        resolved("Booth duty at #KubeConNA2022", "2022-10-30"),
        [edition(NA, 2022)]
    );
    assert_eq!(
        resolved("KubeCon EU24 talks", "2024-05-01"),
        [edition(EU, 2024)]
    );
    assert_eq!(
        resolved("Photos from #KCDLima2024 are up", "2024-06-20"),
        [edition("KCD Lima", 2024)]
    );
}

#[test]
fn years_relative_to_the_post_resolve_against_its_day() {
    assert_eq!(
        resolved("last year's KubeCon in Paris", "2025-03-01"),
        [edition(EU, 2024)]
    );
    assert_eq!(
        resolved("KubeCon EU next spring", "2024-10-12"),
        [edition(EU, 2025)]
    );
    assert_eq!(
        resolved("At the upcoming KubeCon North America we", "2025-09-01"),
        [edition(NA, 2025)]
    );
    assert_eq!(
        resolved("At the last KubeCon North America we", "2024-01-15"),
        [edition(NA, 2023)]
    );
    assert_eq!(
        resolved("Since last fall's KubeCon NA in Detroit", "2023-03-15"),
        [edition(NA, 2022)]
    );
}

#[test]
fn a_sentence_gives_its_time_to_the_names_in_it() {
    assert_eq!(
        resolved(
            "In 2023 I attended KubeCon Europe in Amsterdam in April and KubeCon North America.",
            "2023-12-20"
        ),
        [edition(EU, 2023), edition(NA, 2023)]
    );
    assert_eq!(
        resolved(
            "El pasado fin de semana estuvimos en el KCD de Medellín.",
            "2023-10-01"
        ),
        [edition("KCD Medellín", 2023)]
    );
    // "since 2019" is no edition's year, and "every" names none.
    assert_eq!(
        resolved("I spoke at every KubeCon Europe since 2019.", "2024-02-02"),
        [Resolved::Series(EU.to_owned())]
    );
}

#[test]
fn a_series_without_a_year_is_the_series_unless_the_post_is_at_an_edition() {
    // Far from any edition of it: the series.
    assert_eq!(
        resolved("I keep going back to KCD Guatemala.", "2025-05-20"),
        [Resolved::Series("KCD Guatemala".to_owned())]
    );
    // Written during the edition: that edition.
    assert_eq!(
        resolved("Notes from KubeCon Europe, day two.", "2024-03-21"),
        [edition(EU, 2024)]
    );
    // KubeCon alone, with nothing to pin it, names nothing.
    assert!(resolved("Why I go to KubeCon every year.", "2024-03-21").is_empty());
}

#[test]
fn forms_are_told_apart() {
    let g = gazetteer();
    let forms = |text: &str| -> Vec<Form> {
        let tokens = tokenize(text);
        let used = vec![false; tokens.len()];
        discover(text, &tokens, &used, &g)
            .into_iter()
            .map(|d| d.form)
            .collect()
    };
    assert_eq!(forms("KubeCon + CloudNativeCon Europe 2024"), [Form::Name]);
    assert_eq!(forms("KubeCon NA 2023"), [Form::Abbreviation]);
    assert_eq!(forms("the Paris KubeCon"), [Form::City]);
    assert_eq!(forms("#KubeConEU"), [Form::Hashtag]);
    assert_eq!(
        forms("Kubernetes Community Days de Guatemala 2024"),
        [Form::Language]
    );
    assert_eq!(forms("the 2023 edition of KCD Guatemala"), [Form::Edition]);
    assert_eq!(forms("this year's KubeCon NA"), [Form::Relative]);
    assert_eq!(forms("KCD Texas and Miami."), [Form::Name, Form::List]);
}

#[test]
fn the_tense_tells_the_next_edition_from_the_last_unless_the_words_speak_of_every_one() {
    assert_eq!(
        resolved("I'm going to KubeCon EU for the first time.", "2024-01-15"),
        [edition(EU, 2024)]
    );
    assert_eq!(
        resolved("KubeCon Europe was packed and loud.", "2024-07-15"),
        [edition(EU, 2024)]
    );
    // A call for proposals is for the edition ahead, whatever the tense.
    assert_eq!(
        resolved("My talk was rejected from KubeCon NA.", "2022-04-01"),
        [edition(NA, 2022)]
    );
    // Habits and comparisons name the series, or nothing.
    assert_eq!(
        resolved("KubeCon Europe was always about the people.", "2024-06-10"),
        [Resolved::Series(EU.to_owned())]
    );
    assert!(resolved("It was the largest KCD in India so far.", "2023-05-30").is_empty());
    // KCDs the catalog has no dates for stay series: nothing pins an edition.
    assert_eq!(
        resolved("I'm going to KCD Porto.", "2025-01-20"),
        [Resolved::Series("KCD Porto".to_owned())]
    );
}

#[test]
fn a_year_without_a_region_is_the_edition_nearest_the_post() {
    // KubeCon North America ended five days before; KubeCon India starts three weeks after.
    assert_eq!(
        resolved("My KubeCon 2024 recap", "2024-11-20"),
        [edition(NA, 2024)]
    );
    assert_eq!(
        resolved("Notes from KubeCon 2019", "2019-05-30"),
        [edition(EU, 2019)]
    );
    // Far from every edition of the year: none.
    assert!(resolved("KubeCon 2024 was a big year", "2024-07-01").is_empty());
}

#[test]
fn registration_points_ahead_and_a_region_is_no_kcd_place() {
    assert_eq!(
        resolved("Registration for #KCDCostaRica is open!", "2024-01-05"),
        [edition("KCD Costa Rica", 2024)]
    );
    assert!(resolved("the first KCD in Central America", "2024-01-05").is_empty());
}

#[test]
fn a_month_with_a_city_and_an_aside_keep_their_sentences_time() {
    // Written in December: March is this year's, not next year's.
    assert_eq!(
        resolved(
            "Looking back at 2024: the KubeCon in Paris in March.",
            "2024-12-02"
        ),
        [edition(EU, 2024)]
    );
    // "(my first KubeCon!)" ends no sentence: 2022 is KCD Berlin's year too.
    assert_eq!(
        resolved(
            "Highlights of 2022: KubeCon EU in Valencia (my first KubeCon!) and KCD Berlin in June.",
            "2023-01-15"
        ),
        [edition(EU, 2022), edition("KCD Berlin", 2022)]
    );
    // Accepted, in Portuguese: the edition ahead.
    assert_eq!(
        resolved(
            "Nossa palestra foi aceita na KubeCon América do Norte!",
            "2024-05-20"
        ),
        [edition(NA, 2024)]
    );
}

#[test]
fn durations_and_cities_listed_after_one_kubecon_resolve() {
    assert_eq!(
        resolved(
            "Six months after KubeCon Amsterdam, I still use my notes.",
            "2023-10-10"
        ),
        [edition(EU, 2023)]
    );
    assert_eq!(
        resolved(
            "Este año fui a dos KubeCon: la de Valencia en mayo y la de Detroit en octubre.",
            "2022-11-01"
        ),
        [edition(EU, 2022), edition(NA, 2022)]
    );
}

#[test]
fn names_listed_together_share_a_time_and_a_title_places_a_kubecon() {
    assert_eq!(
        resolved(
            "I'm submitting a talk to KCD Austria, KCD Czech and KCD Guatemala this year.",
            "2023-03-01"
        ),
        [
            edition("KCD Austria", 2023),
            edition("KCD Czech", 2023),
            edition("KCD Guatemala", 2023)
        ]
    );
    assert_eq!(
        resolved("Merci Paris\n\nWhat a KubeCon.", "2024-03-24"),
        [edition(EU, 2024)]
    );
    // A city in the text, not the title, places no KubeCon of another sentence.
    assert!(
        resolved(
            "Reading list\n\nThe KubeCon talk on etcd. A ticket to Chicago.",
            "2023-08-01"
        )
        .is_empty()
    );
}

#[test]
fn several_kubecons_by_their_cities_and_a_dated_weekday() {
    assert_eq!(
        resolved(
            "2024 in numbers: 3 KubeCons (Paris, Hong Kong, Salt Lake City), 5 KCDs.",
            "2024-12-30"
        ),
        [
            edition(EU, 2024),
            edition("KubeCon + CloudNativeCon China", 2024),
            edition(NA, 2024)
        ]
    );
    assert_eq!(
        resolved(
            "El sábado 22 de junio se realizó el Kubernetes Community Day Perú.",
            "2024-06-25"
        ),
        [edition("KCD Perú", 2024)]
    );
}

#[test]
fn the_next_sentence_can_open_with_the_time() {
    assert_eq!(
        resolved(
            "Otra vez en el KCD Colombia. Este año en Medellín y con el doble.",
            "2023-09-10"
        ),
        [edition("KCD Colombia", 2023)]
    );
    // Not when the next sentence names something else, or another paragraph begins.
    assert_eq!(
        resolved(
            "Back at KCD Colombia.\n\nThis year I also went to KCD Lima.",
            "2023-09-10"
        ),
        [
            Resolved::Series("KCD Colombia".to_owned()),
            edition("KCD Lima", 2023)
        ]
    );
}

#[test]
fn years_listed_after_a_name_are_an_edition_each() {
    assert_eq!(
        resolved(
            "Lessons from organizing KCD Porto twice (2023 and 2024): start early.",
            "2025-03-12"
        ),
        [edition("KCD Porto", 2023), edition("KCD Porto", 2024)]
    );
}
