//! The words of times: tenses, durations, days relative to the post, weekdays, and the words
//! that make a bare year or a month a date.

use super::Relative;
use crate::import::mentions::lists::Words;

/// Words that put what a sentence names ahead of the post ("I'm going to KubeCon EU", "our
/// talk got accepted for KubeCon NA") or behind it ("KubeCon Europe was packed").
pub(super) const FUTURE: &[&[&str]] = &[
    &["will"],
    &["ll"],
    &["gonna"],
    &["going", "to"],
    &["see", "you"],
    &["looking", "forward"],
    &["can", "t", "wait"],
    &["booked"],
    &["registered"],
    &["submitting"],
    &["heading"],
    &["planning"],
    &["nos", "vemos"],
    &["vamos", "a"],
    &["iremos"],
    &["estaremos"],
    &["voy", "a"],
    &["vou"],
    &["irei"],
    &["estarei"],
    &["serai"],
    &["werde"],
    &["werden"],
];
pub(super) const PAST: &[&[&str]] = &[
    &["was"],
    &["were"],
    &["attended"],
    &["went"],
    &["spoke"],
    &["gave"],
    &["visited"],
    &["returned"],
    &["met"],
    &["enjoyed"],
    &["loved"],
    &["presented"],
    &["hosted"],
    &["came", "back"],
    &["back", "from"],
    &["took", "place"],
    &["happened"],
    &["fue"],
    &["fui"],
    &["fuimos"],
    &["estuve"],
    &["estuvimos"],
    &["asisti"],
    &["foi"],
    &["estive"],
    &["estivemos"],
    &["etait"],
    &["war"],
    &["waren"],
];

/// A call for proposals, or registration, is for an edition still ahead, whatever the tense
/// ("my talk was rejected from KubeCon NA", "registration for #KCDCostaRica is open").
pub(super) const PROPOSALS: &[&[&str]] = &[
    &["aceita"],
    &["aceito"],
    &["aceptada"],
    &["aceptado"],
    &["aprovada"],
    &["rechazada"],
    &["inscripciones"],
    &["inscricoes"],
    &["registration"],
    &["register"],
    &["tickets"],
    &["cfp"],
    &["proposal"],
    &["proposals"],
    &["rejected"],
    &["accepted"],
    &["submitted"],
    &["submit"],
    &["call", "for"],
];

/// Words that make a sentence about every edition, not one ("KubeCon Europe was always about
/// the people").
pub(super) const HABITUAL: &[&[&str]] = &[
    &["always"],
    &["usually"],
    &["never"],
    &["often"],
    &["ever"],
    &["every"],
    &["siempre"],
    &["nunca"],
    &["sempre"],
    &["toujours"],
    &["immer"],
];

/// Days before or after the post, as written.
pub(super) const DAYS: &[(&[&str], Relative)] = &[
    (&["last", "week"], Relative::Days(-7)),
    (&["last", "weekend"], Relative::Days(-7)),
    (&["this", "week"], Relative::Days(0)),
    (&["this", "weekend"], Relative::Days(0)),
    (&["next", "week"], Relative::Days(7)),
    (&["next", "weekend"], Relative::Days(7)),
    (&["last", "month"], Relative::Days(-30)),
    (&["this", "month"], Relative::Days(0)),
    (&["next", "month"], Relative::Days(30)),
    (&["a", "week", "ago"], Relative::Days(-7)),
    (&["a", "month", "ago"], Relative::Days(-30)),
    (&["today"], Relative::Days(0)),
    (&["yesterday"], Relative::Days(-1)),
    (&["tomorrow"], Relative::Days(1)),
    (&["el", "pasado", "fin", "de", "semana"], Relative::Days(-7)),
    (&["el", "fin", "de", "semana", "pasado"], Relative::Days(-7)),
    (&["este", "fin", "de", "semana"], Relative::Days(0)),
    (&["la", "semana", "pasada"], Relative::Days(-7)),
    (&["la", "proxima", "semana"], Relative::Days(7)),
    (&["el", "mes", "pasado"], Relative::Days(-30)),
    (&["hace", "una", "semana"], Relative::Days(-7)),
    (&["hace", "un", "mes"], Relative::Days(-30)),
    (&["hoy"], Relative::Days(0)),
    (&["ayer"], Relative::Days(-1)),
    (&["semana", "passada"], Relative::Days(-7)),
    (&["mes", "passado"], Relative::Days(-30)),
    (&["fim", "de", "semana", "passado"], Relative::Days(-7)),
    (&["la", "semaine", "derniere"], Relative::Days(-7)),
    (&["le", "mois", "dernier"], Relative::Days(-30)),
    (&["letzte", "woche"], Relative::Days(-7)),
    (&["letzten", "monat"], Relative::Days(-30)),
];

/// Words before a bare year that make it the time of what the sentence names.
pub(super) const YEAR_AFTER: &[&str] = &[
    "in", "en", "em", "during", "durante", "for", "para", "pour", "im", "au", "of", "del",
];

/// Words before a month that make it a date ("in March", "this November", "en marzo").
pub(super) const BEFORE_MONTH: &[&str] = &[
    "in", "on", "this", "next", "last", "past", "en", "em", "el", "de", "le", "au", "im", "am",
];

/// "Six months after", "two weeks until", "3 days before": the days from the post to what the
/// sentence names (negative: before the post), and the phrase's length.
pub(super) fn duration_at(w: &Words, k: usize) -> Option<(i32, usize)> {
    let count = match w.norm(k) {
        "a" | "an" | "one" => 1,
        "two" | "couple" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        digits if digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse().ok()?
        }
        _ => return None,
    };
    let unit = match w.norm(k + 1).trim_end_matches('s') {
        "day" => 1,
        "week" => 7,
        "month" => 30,
        "year" => 365,
        _ => return None,
    };
    let sign = match w.norm(k + 2) {
        "after" | "since" | "later" | "ago" => -1,
        "until" | "before" | "till" | "away" | "to" => 1,
        _ => return None,
    };
    Some((sign * count * unit, 3))
}

/// Days of the week in the languages posts are written in.
pub(super) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "segunda",
    "terca",
    "quarta",
    "quinta",
    "sexta",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];
