//! People and organizations a post names in a context that says what they are: speakers and
//! organizers ("a talk by Jane Doe", "thanks to A, B and C"), sponsors ("sponsored by Acme"),
//! employers ("Jane Doe, CTO of Acme", "Jane Doe from Acme") and venues ("held at the
//! University of Guadalajara"). A first name alone is no person, a country no employer.

use std::collections::HashSet;

use super::mentions::Token;
use crate::services::text::normalize;

#[path = "people_orgs_words.rs"]
mod words;
use words::*;

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Person,
    Organization,
}

/// A person or organization named in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedEntity {
    pub kind: NameKind,
    /// As written.
    pub name: String,
    /// The words around it that say what it is.
    pub matched: String,
}

/// Finds the people and organizations named in `text` among the words not already taken.
pub fn discover_people_and_organizations(
    text: &str,
    tokens: &[Token],
    taken: &[bool],
) -> Vec<NamedEntity> {
    let w = Text {
        text,
        tokens,
        taken,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(n) = w.phrase(i, PEOPLE_AFTER) {
            i = w.list(i, i + n, NameKind::Person, &mut out);
        } else if let Some(n) = w.phrase(i, ORGANIZATIONS_AFTER) {
            i = w.list(i, i + n, NameKind::Organization, &mut out);
        } else if let Some(n) = w.phrase(i, VENUE_AFTER) {
            i = w.venue(i, i + n, &mut out);
        } else if let Some(end) = w.person_with_role(i, &mut out) {
            i = end;
        } else {
            i += 1;
        }
    }
    let mut seen = HashSet::new();
    out.retain(|n| seen.insert((n.kind, normalize(&n.name))));
    out
}

struct Text<'a> {
    text: &'a str,
    tokens: &'a [Token],
    taken: &'a [bool],
}

impl Text<'_> {
    fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    fn raw(&self, i: usize) -> &str {
        &self.text[self.tokens[i].start..self.tokens[i].end]
    }

    fn gap(&self, a: usize) -> &str {
        &self.text[self.tokens[a].end..self.tokens.get(a + 1).map_or(self.text.len(), |t| t.start)]
    }

    fn span(&self, a: usize, b: usize) -> String {
        self.text[self.tokens[a].start..self.tokens[b - 1].end].to_owned()
    }

    /// Whether only spaces separate words `a` and `a + 1`.
    fn close(&self, a: usize) -> bool {
        a + 1 < self.tokens.len() && self.gap(a).chars().all(|c| c == ' ' || c == '\u{A0}')
    }

    /// The length of a phrase of `table` at `i`.
    fn phrase(&self, i: usize, table: &[&[&str]]) -> Option<usize> {
        table.iter().find_map(|words| {
            let fits = words
                .iter()
                .enumerate()
                .all(|(k, word)| self.norm(i + k) == *word && (k == 0 || self.close(i + k - 1)));
            fits.then_some(words.len())
        })
    }

    /// A run of capitalized words from `at` (joined by a lowercase joiner where the next word is
    /// capitalized), at most `max` words: its end.
    fn capitalized_run(&self, at: usize, max: usize) -> Option<usize> {
        let capital = |k: usize| {
            self.tokens.get(k).is_some_and(|t| {
                t.capitalized && !self.taken[k] && t.norm.chars().all(|c| c.is_ascii_alphanumeric())
            })
        };
        if !capital(at) {
            return None;
        }
        let mut end = at + 1;
        while end - at < max && self.close(end - 1) {
            if capital(end) {
                end += 1;
            } else if JOINERS.contains(&self.norm(end)) && self.close(end) && capital(end + 1) {
                end += 2;
            } else {
                break;
            }
        }
        Some(end)
    }

    /// A person's full name at `at`: two to four words, none a place, month or common word.
    fn person_at(&self, at: usize) -> Option<usize> {
        let end = self.capitalized_run(at, 4)?;
        let words: Vec<&str> = (at..end).map(|k| self.norm(k)).collect();
        let real = words.iter().filter(|w| !JOINERS.contains(w)).count();
        let ok = real >= 2
            && !NOT_FIRST_NAMES.contains(&words[0])
            && (at..end).all(|k| {
                // "CNCF", "KCD": acronyms are no names.
                let acronym = self.raw(k).len() > 1 && self.raw(k).chars().all(char::is_uppercase);
                let word = self.norm(k);
                !acronym
                    && !ORGANIZATION_WORDS.contains(&word)
                    && super::mentions::month_number(word).is_none()
            })
            && !is_country(&self.span(at, end));
        ok.then_some(end)
    }

    /// An organization's name at `at` (up to six words); none when it is a country.
    fn organization_at(&self, at: usize) -> Option<usize> {
        let mut end = self.capitalized_run(at, 6)?;
        // "University of Guadalajara": "of" joins an organization's words.
        while matches!(self.norm(end), "of" | "for") && self.close(end - 1) && self.close(end) {
            match self.capitalized_run(end + 1, 4) {
                Some(next) => end = next,
                None => break,
            }
        }
        let name = self.span(at, end);
        (!is_country(&name) && !NOT_FIRST_NAMES.contains(&self.norm(at))
            || self.has_org_word(at, end))
        .then_some(end)
    }

    fn has_org_word(&self, at: usize, end: usize) -> bool {
        (at..end).any(|k| ORGANIZATION_WORDS.contains(&self.norm(k)))
    }

    /// The list of names after a phrase (`from` its first word, `at` the list's): each a
    /// person or organization as `kind` says, an organization when its words say so, with
    /// the employer a person is "from". Returns where reading goes on.
    fn list(
        &self,
        from: usize,
        mut at: usize,
        kind: NameKind,
        out: &mut Vec<NamedEntity>,
    ) -> usize {
        // "thanks to our sponsors", "speakers were, for example,".
        while matches!(
            self.norm(at),
            "were"
                | "included"
                | "include"
                | "like"
                | "for"
                | "example"
                | "our"
                | "the"
                | "as"
                | "such"
        ) {
            at += 1;
        }
        let start = at;
        loop {
            at = match self.name_of(at, kind, out) {
                Some(end) => end,
                // "Lionel": a first name alone is no one, but the list goes on.
                None if self.capitalized_run(at, 1).is_some() => at + 1,
                None => break,
            };
            // "Bianca Lewis, leader of the Open Search Software Foundation".
            if kind == NameKind::Person
                && let Some((org_at, org_end)) = self.employer_after(at)
            {
                out.push(NamedEntity {
                    kind: NameKind::Organization,
                    name: self.span(org_at, org_end),
                    matched: self.span(start, org_end),
                });
                at = org_end;
            }
            // "Jane Doe from Acme", "Jane Doe (Acme)".
            if kind == NameKind::Person
                && (self.norm(at) == "from" && self.close(at - 1) || self.gap(at - 1).trim() == "(")
            {
                let org_at = if self.norm(at) == "from" { at + 1 } else { at };
                if let Some(org_end) = self.organization_at(org_at) {
                    let name = self.span(org_at, org_end);
                    out.push(NamedEntity {
                        kind: NameKind::Organization,
                        matched: self.span(start.min(from), org_end),
                        name,
                    });
                    at = org_end;
                } else if let Some(place_end) = self.capitalized_run(org_at, 4) {
                    at = place_end;
                }
            }
            // The next name: after a comma, "and", or both.
            let gap = self.gap(at - 1).trim();
            let and = matches!(self.norm(at), "and" | "y" | "e");
            if matches!(gap, "," | ";" | "&" | "),") {
                at += usize::from(and);
            } else if and && matches!(gap, "" | ")") {
                at += 1;
            } else {
                break;
            }
        }
        at.max(from + 1)
    }

    /// One name of a list at `at`: records it, and returns its end.
    fn name_of(&self, at: usize, kind: NameKind, out: &mut Vec<NamedEntity>) -> Option<usize> {
        let (kind, end) = match kind {
            NameKind::Person => match self.person_at(at) {
                Some(end) if !self.has_org_word(at, end) => (NameKind::Person, end),
                _ => (
                    NameKind::Organization,
                    self.organization_at(at)
                        .filter(|e| self.has_org_word(at, *e))?,
                ),
            },
            NameKind::Organization => (NameKind::Organization, self.organization_at(at)?),
        };
        out.push(NamedEntity {
            kind,
            name: self.span(at, end),
            matched: self.span(at, end),
        });
        Some(end)
    }

    /// A venue after a phrase: "held at the CUCEA of the University of Guadalajara" names the
    /// CUCEA and the University.
    fn venue(&self, from: usize, mut at: usize, out: &mut Vec<NamedEntity>) -> usize {
        let mut found = false;
        while let Some(end) = self.capitalized_run(at, 6) {
            let end = self.organization_at(at).unwrap_or(end).max(end);
            let acronym = self.raw(at).len() > 2 && self.raw(at).chars().all(|c| c.is_uppercase());
            if !(self.has_org_word(at, end) || acronym) || is_country(&self.span(at, end)) {
                break;
            }
            out.push(NamedEntity {
                kind: NameKind::Organization,
                name: self.span(at, end),
                matched: self.span(from, end),
            });
            found = true;
            at = end;
            // "… of the University of …".
            if self.norm(at) == "of" && self.norm(at + 1) == "the" {
                at += 2;
            } else {
                break;
            }
        }
        if found { at } else { from + 1 }
    }

    /// After a name ending at `end`: ", <role> of|at [the] <organization>"; where the
    /// organization's name starts and ends.
    fn employer_after(&self, end: usize) -> Option<(usize, usize)> {
        if end == 0 || end >= self.tokens.len() || self.gap(end - 1).trim() != "," {
            return None;
        }
        let mut k = end;
        while ROLES.contains(&self.norm(k)) && k < end + 4 {
            k += 1;
        }
        if k == end || !matches!(self.norm(k), "of" | "at") {
            return None;
        }
        k += 1;
        if self.norm(k) == "the" {
            k += 1;
        }
        Some((k, self.organization_at(k)?))
    }

    /// "Jane Doe, CTO of Acme", "Bianca Lewis, leader of the Open Search Software Foundation":
    /// a person and where they work. Returns where reading goes on, when it matched.
    fn person_with_role(&self, i: usize, out: &mut Vec<NamedEntity>) -> Option<usize> {
        let person_end = self.person_at(i);
        // A person the catalog knows (already taken) may name an employer too.
        let end = person_end.or_else(|| {
            let mut k = i;
            while self.taken.get(k).copied().unwrap_or(false) {
                k += 1;
            }
            (k > i && (i == 0 || !self.taken[i - 1])).then_some(k)
        })?;
        let (k, org_end) = self.employer_after(end)?;
        if let Some(person_end) = person_end {
            out.push(NamedEntity {
                kind: NameKind::Person,
                name: self.span(i, person_end),
                matched: self.span(i, org_end),
            });
        }
        out.push(NamedEntity {
            kind: NameKind::Organization,
            name: self.span(k, org_end),
            matched: self.span(i, org_end),
        });
        Some(org_end)
    }
}

#[cfg(test)]
#[path = "people_orgs_tests.rs"]
mod tests;
