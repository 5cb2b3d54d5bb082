//! No N+1: a list page costs the same number of statements whatever its length, and a page
//! costs one statement per relation whatever the relation's size.

use std::sync::atomic::Ordering;

use crate::helpers::spawn_counting;

#[tokio::test]
async fn pages_cost_a_constant_number_of_statements() {
    let (app, count) = spawn_counting().await;
    let cost = |path: String| {
        let app = &app;
        let count = count.clone();
        async move {
            let before = count.load(Ordering::SeqCst);
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            count.load(Ordering::SeqCst) - before
        }
    };
    for list in [
        "/api/v1/events",
        "/api/v1/speakers",
        "/api/v1/sponsors",
        "/api/v1/posts",
        "/api/v1/events.ics",
    ] {
        let sep = if list.contains('?') { '&' } else { '?' };
        let one = cost(format!("{list}{sep}limit=1")).await;
        let many = cost(format!("{list}{sep}limit=100")).await;
        // Events read dated and undated events in two range scans, then the names of their
        // series: at most three statements.
        assert!(
            one <= 3 && many <= 3,
            "{list}: {one} statements for 1 item, {many} for many"
        );
    }
    // 16 talks with 1–5 speakers each, or 11 talks and 4 sponsors: the same handful of statements.
    let eu = cost("/api/v1/events/kubecon-cloudnativecon-europe-2023".into()).await;
    let mexico = cost("/api/v1/events/kcd-mexico-2024".into()).await;
    assert_eq!(eu, mexico);
    // The event, talks, speakers, sponsors, organizers, co-located events, posts, series,
    // sources, and the sources of its talks and of its organizers: one statement each.
    assert!(mexico <= 11, "{mexico} statements for an event page");
    let feed = cost("/api/v1/posts.atom".into()).await;
    assert!(feed <= 3, "{feed} statements for the feed");
    // The person, their talks, what they organize, where they take part, the posts, the
    // sources.
    let speaker = cost("/api/v1/speakers/max-korbacher".into()).await;
    assert!(speaker <= 6, "{speaker} statements for a speaker page");
    let search = cost("/api/v1/search?q=kcd".into()).await;
    // One a kind: events, people, organizations, posts, series.
    assert!(search <= 5, "{search} statements for a search");
}
