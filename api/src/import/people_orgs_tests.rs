//! Tests of `people_orgs.rs`.

use super::*;
use crate::import::mentions::tokenize;

fn found(text: &str) -> Vec<(NameKind, String)> {
    let tokens = tokenize(text);
    let taken = vec![false; tokens.len()];
    discover_people_and_organizations(text, &tokens, &taken)
        .into_iter()
        .map(|n| (n.kind, n.name))
        .collect()
}

fn person(name: &str) -> (NameKind, String) {
    (NameKind::Person, name.to_owned())
}

fn org(name: &str) -> (NameKind, String) {
    (NameKind::Organization, name.to_owned())
}

#[test]
fn speakers_and_organizers_are_people_in_their_context() {
    assert_eq!(
        found(
            "The keynote by Jane Doe was great. Thanks to Ana María López, Lionel and Raj Patel!"
        ),
        [
            person("Jane Doe"),
            person("Ana María López"),
            person("Raj Patel")
        ]
    );
    assert_eq!(
        found(
            "Among the speakers were, for example, Manuel Gil from Colombia and Kim Lee from Acme Labs."
        ),
        [person("Manuel Gil"), person("Kim Lee"), org("Acme Labs")]
    );
    // A first name alone, or capitalized words out of any context, are no one.
    assert!(found("Thank you to Antonio, Lionel, and all the presenters.").is_empty());
    assert!(found("Platform Engineering Day was packed. Cloud Native Rejekts too.").is_empty());
}

#[test]
fn sponsors_employers_and_venues_are_organizations() {
    assert_eq!(
        found("The event was sponsored by Acme, Globex Corporation and Initech."),
        [org("Acme"), org("Globex Corporation"), org("Initech")]
    );
    assert_eq!(
        found(
            "the participation of Bianca Lewis, leader of the Open Search Software Foundation, who led"
        ),
        [
            person("Bianca Lewis"),
            org("Open Search Software Foundation")
        ]
    );
    assert_eq!(
        found("gathered at the CUCEA of the University of Guadalajara, the capital"),
        [org("CUCEA"), org("University of Guadalajara")]
    );
}
