//! Every entity round-trips through each backend with its relations, and unique keys
//! surface as typed errors.

use api::error::ApiError;
use chrono::FixedOffset;
use entity::prelude::*;
use entity::sea_orm_active_enums::*;
use entity::{
    api_token, audit_entry, event, mention, organizer, post, post_author, post_term, slug_alias,
    sponsorship, talk, talk_speaker, term,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, Set, SqlErr,
};
use serde_json::json;

use crate::fixtures::{self, date, now};
use crate::helpers::TestDb;

async fn migrated() -> (TestDb, DatabaseConnection) {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    Migrator::up(&db, None).await.expect("migrate");
    (test_db, db)
}

fn post(slug: &str) -> post::ActiveModel {
    let body = "Mojibake-free: Bogotá, Medellín, 😺. ".repeat(4000); // > 64 KB: MySQL `text` would not hold it
    post::ActiveModel {
        slug: Set(slug.to_owned()),
        title: Set("The fifth edition of CCOSS and the first KCD in Mexico".to_owned()),
        published_at: Set(
            chrono::DateTime::parse_from_rfc3339("2024-02-14T23:48:08.123456-06:00")
                .unwrap()
                .to_utc(),
        ),
        published_offset_minutes: Set(Some(-360)),
        summary: Set(Some("CCOSS and KCD Mexico".to_owned())),
        body_markdown: Set(body.clone()),
        body_html: Set(format!("<p>{body}</p>")),
        images: Set(json!(["images/blog/ccoss-kcd-gdl-2024.jpg"])),
        draft: Set(false),
        source_path: Set("ccoss-kcd-gdl-2024.md".to_owned()),
        front_matter_format: Set(FrontMatterFormat::Yaml),
        content_hash: Set("0".repeat(64)),
        reading_minutes: Set(3),
        search_text: Set(body),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_entity_round_trips_with_its_relations() {
    let (_test_db, db) = migrated().await;

    let ccoss = fixtures::insert_event(&db, "ccoss-2024", Some("2024-02-23")).await;
    let mut kcd = fixtures::event("kcd-mexico-2024", Some("2024-02-23"));
    kcd.name = Set("KCD México 2024".into());
    kcd.series = Set(Some("kcd-mexico".into()));
    kcd.year = Set(Some(2024));
    kcd.ends_on = Set(Some(date("2024-02-24")));
    kcd.timezone = Set(Some("America/Mexico_City".into()));
    kcd.region = Set(Some(Region::Latam));
    kcd.format = Set(Some(EventFormat::InPerson));
    kcd.country = Set(Some("MX".into()));
    kcd.attendees = Set(Some(300));
    kcd.co_located_with_id = Set(Some(ccoss.id));
    let kcd = kcd.insert(&db).await.unwrap();
    assert_eq!(
        Event::find_by_id(kcd.id).one(&db).await.unwrap().as_ref(),
        Some(&kcd)
    );

    let whitney = fixtures::person("whitney-lee", "Whitney Lee")
        .insert(&db)
        .await
        .unwrap();
    let mut lewis = fixtures::person("lewis-denham-parry", "Lewis Denham-Parry");
    lewis.badges = Set(json!(["cncf_ambassador"]));
    let lewis = lewis.insert(&db).await.unwrap();
    let org = fixtures::organization("vmware", "VMware")
        .insert(&db)
        .await
        .unwrap();

    let keynote = talk::ActiveModel {
        event_id: Set(kcd.id),
        slug: Set("cloud-native-security".into()),
        title: Set(Some("Cloud Native Security".into())),
        kind: Set(TalkKind::Keynote),
        r#abstract: Set(None),
        starts_at: Set(Some(now())),
        recording_url: Set(None),
        slides_url: Set(None),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    // Billed Lewis first, Whitney second: the order is the position, not the id.
    for (person, position) in [(&lewis, 0), (&whitney, 1)] {
        talk_speaker::ActiveModel {
            talk_id: Set(keynote.id),
            person_id: Set(person.id),
            position: Set(position),
        }
        .insert(&db)
        .await
        .unwrap();
    }
    sponsorship::ActiveModel {
        event_id: Set(kcd.id),
        organization_id: Set(org.id),
        tier: Set(Some(SponsorTier::Gold)),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    organizer::ActiveModel {
        event_id: Set(kcd.id),
        person_id: Set(whitney.id),
        role: Set(OrganizerRole::CoOrganizer),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let stored_post = post("ccoss-kcd-gdl-2024").insert(&db).await.unwrap();
    let tag = term::ActiveModel {
        kind: Set(TermKind::Tag),
        slug: Set("kcd".into()),
        name: Set("KCD".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    post_term::ActiveModel {
        post_id: Set(stored_post.id),
        term_id: Set(tag.id),
    }
    .insert(&db)
    .await
    .unwrap();
    post_author::ActiveModel {
        post_id: Set(stored_post.id),
        position: Set(0),
        name: Set("Teyza Ponce".into()),
        person_id: Set(None),
        organization_id: Set(None),
    }
    .insert(&db)
    .await
    .unwrap();
    mention::ActiveModel {
        post_id: Set(stored_post.id),
        event_id: Set(Some(kcd.id)),
        person_id: Set(None),
        organization_id: Set(None),
        matched_text: Set("KCD Mexico".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let token = api_token::ActiveModel {
        name: Set("ci".into()),
        secret_hash: Set("a".repeat(64)),
        role: Set(TokenRole::Organizer),
        event_ids: Set(json!([kcd.id])),
        series: Set(json!(["kcd-mexico"])),
        created_at: Set(now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    // Microseconds survive on every backend (MySQL's plain `datetime` would drop them).
    let far = date("2026-12-31")
        .and_hms_micro_opt(23, 59, 59, 123_456)
        .unwrap()
        .and_utc();
    let entry = audit_entry::ActiveModel {
        token_id: Set(Some(token.id)),
        token_name: Set("ci".into()),
        at: Set(far),
        action: Set(AuditAction::Update),
        entity_type: Set(EntityType::Event),
        entity_id: Set(kcd.id),
        entity_slug: Set(kcd.slug.clone()),
        event_id: Set(Some(kcd.id)),
        before: Set(Some(json!({"attendees": null}))),
        after: Set(Some(json!({"attendees": 300}))),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    slug_alias::ActiveModel {
        entity_type: Set(EntityType::Event),
        slug: Set("kcd-guadalajara-2024".into()),
        target_id: Set(kcd.id),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();

    // Relations, read back.
    let co_located = kcd
        .find_linked(event::CoLocatedWithLink)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(co_located, std::slice::from_ref(&ccoss));
    let talks = kcd.find_related(Talk).all(&db).await.unwrap();
    assert_eq!(talks, std::slice::from_ref(&keynote));
    let speakers: Vec<String> = TalkSpeaker::find()
        .filter(talk_speaker::Column::TalkId.eq(keynote.id))
        .order_by_asc(talk_speaker::Column::Position)
        .find_also_related(Person)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, p)| p.unwrap().name)
        .collect();
    assert_eq!(speakers, ["Lewis Denham-Parry", "Whitney Lee"]);
    assert_eq!(
        kcd.find_related(Organization).all(&db).await.unwrap(),
        std::slice::from_ref(&org)
    );
    assert_eq!(
        org.find_related(Event).all(&db).await.unwrap(),
        std::slice::from_ref(&kcd)
    );
    let organizers = kcd
        .find_related(Organizer)
        .find_also_related(Person)
        .all(&db)
        .await
        .unwrap();
    assert_eq!(organizers[0].0.role, OrganizerRole::CoOrganizer);
    assert_eq!(organizers[0].1.as_ref(), Some(&whitney));
    assert_eq!(
        kcd.find_related(Post).all(&db).await.unwrap(),
        std::slice::from_ref(&stored_post)
    );
    assert_eq!(
        stored_post.find_related(Term).all(&db).await.unwrap(),
        [tag]
    );
    assert_eq!(
        stored_post.find_related(PostAuthor).all(&db).await.unwrap()[0].name,
        "Teyza Ponce"
    );
    assert_eq!(
        whitney.find_related(Talk).all(&db).await.unwrap(),
        [keynote]
    );
    assert_eq!(lewis.badges, json!(["cncf_ambassador"]));

    // Values that differ by backend come back exactly.
    let back = Post::find_by_id(stored_post.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, stored_post);
    assert!(back.body_markdown.len() > 64 * 1024);
    let offset = FixedOffset::east_opt(back.published_offset_minutes.unwrap() * 60).unwrap();
    assert_eq!(
        back.published_at.with_timezone(&offset).to_rfc3339(),
        "2024-02-14T23:48:08.123456-06:00"
    );
    let entry_back = AuditEntry::find_by_id(entry.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry_back.at, far);
    assert_eq!(entry_back, entry);
    assert_eq!(
        token.find_related(AuditEntry).all(&db).await.unwrap(),
        [entry]
    );
    let alias = SlugAlias::find()
        .filter(slug_alias::Column::Slug.eq("kcd-guadalajara-2024"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alias.target_id, kcd.id);

    // Deleting an event takes its talks, speakers, sponsorships and mentions with it.
    Event::delete_by_id(kcd.id).exec(&db).await.unwrap();
    assert_eq!(TalkSpeaker::find().all(&db).await.unwrap().len(), 0);
    assert_eq!(Sponsorship::find().all(&db).await.unwrap().len(), 0);
    assert_eq!(Mention::find().all(&db).await.unwrap().len(), 0);
    assert!(
        Person::find_by_id(whitney.id)
            .one(&db)
            .await
            .unwrap()
            .is_some()
    );
}

fn assert_unique_violation(result: Result<impl std::fmt::Debug, DbErr>, field: Option<&str>) {
    let err = result.expect_err("a unique violation");
    assert!(
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))),
        "not a unique violation: {err:?}"
    );
    match ApiError::from(err) {
        ApiError::Conflict { field: named, .. } => assert_eq!(named.as_deref(), field),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn unique_keys_surface_as_typed_conflicts() {
    let (_test_db, db) = migrated().await;
    let e = fixtures::insert_event(&db, "kcd-texas-2024", Some("2024-06-01")).await;
    let p = fixtures::person("kristina-d", "Kristina D.")
        .insert(&db)
        .await
        .unwrap();
    let o = fixtures::organization("cncf", "CNCF")
        .insert(&db)
        .await
        .unwrap();

    assert_unique_violation(
        fixtures::event("kcd-texas-2024", None).insert(&db).await,
        Some("slug"),
    );
    assert_unique_violation(
        fixtures::person("kristina-d", "Other").insert(&db).await,
        Some("slug"),
    );
    assert_unique_violation(
        fixtures::organization("cncf", "Other").insert(&db).await,
        Some("slug"),
    );

    let sponsorship = |tier| sponsorship::ActiveModel {
        event_id: Set(e.id),
        organization_id: Set(o.id),
        tier: Set(Some(tier)),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    };
    sponsorship(SponsorTier::Gold).insert(&db).await.unwrap();
    assert_unique_violation(sponsorship(SponsorTier::Silver).insert(&db).await, None);

    let organizer = |role| organizer::ActiveModel {
        event_id: Set(e.id),
        person_id: Set(p.id),
        role: Set(role),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    };
    organizer(OrganizerRole::Lead).insert(&db).await.unwrap();
    assert_unique_violation(organizer(OrganizerRole::Volunteer).insert(&db).await, None);
}

#[tokio::test]
async fn slugs_differing_only_in_case_are_distinct_on_every_backend() {
    let (_test_db, db) = migrated().await;
    fixtures::insert_event(&db, "kcd-munich", None).await;
    // MariaDB's default collation would call these equal; the tables use a binary one.
    fixtures::insert_event(&db, "KCD-Munich", None).await;
    let found = Event::find()
        .filter(event::Column::Slug.eq("kcd-munich"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn foreign_keys_are_enforced() {
    let (_test_db, db) = migrated().await;
    let orphan = talk::ActiveModel {
        event_id: Set(424242),
        slug: Set("orphan".into()),
        title: Set(Some("Orphan".into())),
        kind: Set(TalkKind::Talk),
        r#abstract: Set(None),
        starts_at: Set(None),
        recording_url: Set(None),
        slides_url: Set(None),
        created_at: Set(now()),
        updated_at: Set(now()),
        version: Set(1),
        deleted_at: Set(None),
        ..Default::default()
    };
    let err = orphan.insert(&db).await.expect_err("no such event");
    assert!(
        matches!(
            err.sql_err(),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ),
        "{err:?}"
    );
}
