//! Text matching over the folded `search_text` of events, people, organizations and posts.
//!
//! A query is folded like the stored text (lowercase ASCII words) and every word must match
//! the start of a word of the record: `kube` finds "Kubernetes", `netes` does not. Each backend
//! answers from its full-text index (migration 16), so the cost follows the number of matches,
//! not the size of the table, and all three return the same records:
//!
//! - SQLite: an FTS5 query of quoted prefix terms (`"kube"* AND "lima"*`);
//! - PostgreSQL: `search_vector @@ to_tsquery('simple', 'kube:* & lima:*')`;
//! - MySQL/MariaDB: `MATCH … AGAINST ('+kube* +lima*' IN BOOLEAN MODE)`. InnoDB does not index
//!   words shorter than `innodb_ft_min_token_size` (3), so query words that short are matched
//!   with `LIKE` on the word boundaries instead.

use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait};
use sea_orm::{DbBackend, EntityName};

use crate::services::text::normalize;

/// InnoDB's default `innodb_ft_min_token_size`.
const MYSQL_MIN_TOKEN: usize = 3;

/// The folded words of a query, without repeats, in order.
pub fn words(q: &str) -> Vec<String> {
    distinct_words(&normalize(q))
}

/// The words of an already folded text, without repeats, in order.
pub fn distinct_words(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        if !out.iter().any(|seen| seen == w) {
            out.push(w.to_owned());
        }
    }
    out
}

/// Each word written as the backend's query language wants it, joined by `sep`.
fn joined<W: AsRef<str>>(words: &[W], term: impl Fn(&str) -> String, sep: &str) -> String {
    words
        .iter()
        .map(|w| term(w.as_ref()))
        .collect::<Vec<_>>()
        .join(sep)
}

/// `search_text` (a folded text: words separated by one space) has a word starting with `w`.
fn starts_a_word(table: &'static str, w: &str) -> Condition {
    let col = || Expr::col((Alias::new(table), Alias::new("search_text")));
    Condition::any()
        .add(col().like(format!("{w}%")))
        .add(col().like(format!("% {w}%")))
}

/// The condition "every word of `q` starts a word of the record's `search_text`" for `E`'s
/// table, or `None` when `q` has no word (punctuation alone filters nothing).
pub fn matching<E: EntityName + Default>(backend: DbBackend, q: &str) -> Option<Condition> {
    matching_words::<E>(backend, &words(q))
}

/// [`matching`] for query words already folded (see [`words`]).
pub fn matching_words<E: EntityName + Default>(
    backend: DbBackend,
    words: &[String],
) -> Option<Condition> {
    if words.is_empty() {
        return None;
    }
    let table = E::default().table_name();
    // Folded words are [a-z0-9] only: nothing in them can be an operator or need escaping.
    let expr = match backend {
        DbBackend::Sqlite => {
            let query = joined(words, |w| format!("\"{w}\"*"), " AND ");
            Expr::cust_with_values(
                format!(
                    "\"{table}\".\"id\" IN \
                     (SELECT rowid FROM \"{table}_fts\" WHERE \"{table}_fts\" MATCH ?)"
                ),
                [query],
            )
        }
        DbBackend::Postgres => {
            let query = joined(words, |w| format!("{w}:*"), " & ");
            Expr::cust_with_values(
                format!("\"{table}\".\"search_vector\" @@ to_tsquery('simple', $1)"),
                [query],
            )
        }
        DbBackend::MySql => {
            let (indexed, short): (Vec<&String>, Vec<&String>) =
                words.iter().partition(|w| w.len() >= MYSQL_MIN_TOKEN);
            let mut all = Condition::all();
            if !indexed.is_empty() {
                let query = joined(&indexed, |w| format!("+{w}*"), " ");
                all = all.add(Expr::cust_with_values(
                    format!("MATCH(`{table}`.`search_text`) AGAINST (? IN BOOLEAN MODE)"),
                    [query],
                ));
            }
            for w in short {
                all = all.add(starts_a_word(table, w));
            }
            return Some(all);
        }
        // A backend without a full-text index here: the same rule, by scanning.
        _ => {
            return Some(
                words
                    .iter()
                    .fold(Condition::all(), |all, w| all.add(starts_a_word(table, w))),
            );
        }
    };
    Some(Condition::all().add(expr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_unique() {
        assert_eq!(words("KCD  México, kcd!"), ["kcd", "mexico"]);
        assert!(words("%_ '--").is_empty());
    }
}
