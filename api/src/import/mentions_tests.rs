//! Tests of `mentions.rs`.

use super::*;

fn names(text: &str) -> Vec<(String, Option<i32>, String)> {
    let tokens = tokenize(text);
    let used = vec![false; tokens.len()];
    discover(text, &tokens, &used, &Default::default())
        .into_iter()
        .map(|d| (d.series, d.year, d.matched))
        .collect()
}

#[test]
fn kcd_names_are_discovered() {
    assert_eq!(
        names("We loved KCD Guatemala 2023 and KCD Costa Rica."),
        [
            (
                "KCD Guatemala".to_owned(),
                Some(2023),
                "KCD Guatemala 2023".to_owned()
            ),
            (
                "KCD Costa Rica".to_owned(),
                None,
                "KCD Costa Rica".to_owned()
            ),
        ]
    );
    assert_eq!(
        names("**Kubernetes Community Days (KCD) Colombia 2025** is")[0].0,
        "KCD Colombia"
    );
    assert!(
        names("the KCD kiosk, a KCD Organizer, Kubernetes Community Days Across Europe").is_empty()
    );
}

#[test]
fn kubecon_names_are_discovered() {
    let found = names(
        "At KubeCon + CloudNativeCon Japan 2025, then KubeCon+CloudNativeCon EU and Kube Con NA.",
    );
    assert_eq!(
        found
            .iter()
            .map(|f| (f.0.as_str(), f.1))
            .collect::<Vec<_>>(),
        [
            ("KubeCon + CloudNativeCon Japan", Some(2025)),
            ("KubeCon + CloudNativeCon Europe", None),
            ("KubeCon + CloudNativeCon North America", None),
        ]
    );
    // No region: the year alone, which the gazetteer pins by the post's day, or not at all.
    assert_eq!(
        names("Kubecon 2023: Architecting Futures")[0].0,
        "KubeCon + CloudNativeCon"
    );
    assert!(names("Why I go to KubeCon").is_empty());
}

#[test]
fn names_match_whole_words_ignoring_case_accents_and_punctuation() {
    let mut m = Matcher::default();
    m.add("KubeCon + CloudNativeCon Europe 2023", Target::Event(1));
    m.add("Medellín", Target::Event(2));
    m.add("Max Körbächer", Target::Person(3));
    m.add("Lunar", Target::Organization(4));
    let text = "At KubeCon+CloudNativeCon europe 2023 in MEDELLIN, max korbacher spoke; lunarians did not.";
    let tokens = tokenize(text);
    let mut used = vec![false; tokens.len()];
    let found = m.find(text, &tokens, &mut used);
    assert_eq!(
        found
            .iter()
            .map(|f| (f.target, f.matched.as_str()))
            .collect::<Vec<_>>(),
        [
            (Target::Event(1), "KubeCon+CloudNativeCon europe 2023"),
            (Target::Event(2), "MEDELLIN"),
            (Target::Person(3), "max korbacher"),
        ]
    );
}

#[test]
fn a_shared_prefix_carries_to_each_member_of_a_list() {
    let series = |text: &str| -> Vec<String> { names(text).into_iter().map(|n| n.0).collect() };
    assert_eq!(
        series("The day we presented Latam, together with KCD Texas and Miami, the kiosk"),
        ["KCD Texas", "KCD Miami"]
    );
    assert_eq!(
        series("I met the KCDs in Medellín, Guatemala and San Salvador."),
        ["KCD Medellín", "KCD Guatemala", "KCD San Salvador"]
    );
    assert_eq!(
        series("KCD Guatemala 2023, Costa Rica 2024, and Panama 2025 were great"),
        ["KCD Guatemala", "KCD Costa Rica", "KCD Panama"]
    );
    // Not lists of places: what follows is no place, or the list runs on into a sentence.
    assert_eq!(
        series("KCD Texas and Microsoft sponsored it."),
        ["KCD Texas"]
    );
    assert_eq!(series("KCD Texas, Miami is next"), ["KCD Texas"]);
    assert!(series("a sequence of KCDs in different regions of Mexico").is_empty());
}

#[test]
fn a_known_name_opens_a_list_too() {
    let text = "together with KCD Texas and Miami, the kiosk";
    let tokens = tokenize(text);
    // "KCD Texas" taken by a catalog name.
    let used: Vec<bool> = tokens
        .iter()
        .map(|t| t.norm == "kcd" || t.norm == "texas")
        .collect();
    let found: Vec<String> = discover(text, &tokens, &used, &Default::default())
        .into_iter()
        .map(|d| d.series)
        .collect();
    assert_eq!(found, ["KCD Miami"]);
}
