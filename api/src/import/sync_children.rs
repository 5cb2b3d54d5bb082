//! Writing what belongs to a catalog event: its talks (with their speakers in order), and its
//! sponsors, organizers and participants, each change in the change feed.

use std::collections::HashMap;

use entity::{talk, talk_speaker};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};

use super::catalog::EventEntry;
use super::sync::{record_of, save, track};
use crate::services::text::now;
use crate::services::writes::links::{self, Link, Organizers, Sponsorships};
use crate::services::writes::participations::Participations;
use crate::services::writes::row::{self, Row, column};
use crate::services::writes::talks::Talks;

pub(super) async fn sync_event_children(
    db: &impl ConnectionTrait,
    entry: &EventEntry,
    event_id: i64,
    person_ids: &HashMap<String, i64>,
    org_ids: &HashMap<String, i64>,
) -> Result<(), DbErr> {
    for t in &entry.talks {
        let existing = talk::Entity::find()
            .filter(talk::Column::EventId.eq(event_id))
            .filter(talk::Column::Slug.eq(&t.slug))
            .one(db)
            .await?;
        let mut am = match &existing {
            Some(m) if m.version != 1 => continue,
            Some(m) => m.clone().into_active_model(),
            None => talk::ActiveModel {
                event_id: Set(event_id),
                slug: Set(t.slug.clone()),
                starts_at: Set(None),
                created_at: Set(now()),
                version: Set(1),
                deleted_at: Set(None),
                ..Default::default()
            },
        };
        let before = match &existing {
            Some(m) => Some(record_of::<Talks>(db, m).await?),
            None => None,
        };
        row::set_changed!(am, t; title, summary, kind, r#abstract, recording_url, slides_url);
        let saved = save(db, am, existing.is_some()).await?;
        let wanted: Vec<i64> = t.speakers.iter().map(|s| person_ids[s]).collect();
        let current: Vec<i64> = talk_speaker::Entity::find()
            .filter(talk_speaker::Column::TalkId.eq(saved.id))
            .order_by_asc(talk_speaker::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.person_id)
            .collect();
        if current != wanted {
            talk_speaker::Entity::delete_many()
                .filter(talk_speaker::Column::TalkId.eq(saved.id))
                .exec(db)
                .await?;
            for (position, person_id) in wanted.into_iter().enumerate() {
                talk_speaker::ActiveModel {
                    talk_id: Set(saved.id),
                    person_id: Set(person_id),
                    position: Set(position as i32),
                }
                .insert(db)
                .await?;
            }
        }
        track::<Talks>(db, &saved, before).await?;
    }
    for s in &entry.sponsors {
        sync_link::<Sponsorships>(db, event_id, org_ids[&s.organization], s.tier).await?;
    }
    for o in &entry.organizers {
        sync_link::<Organizers>(db, event_id, person_ids[&o.person], o.role).await?;
    }
    for p in &entry.participants {
        sync_link::<Participations>(db, event_id, person_ids[&p.person], p.role).await?;
    }
    Ok(())
}

/// Links the event to a party the catalog names (a sponsor at a tier, an organizer in a role),
/// unless the link was edited through the API.
async fn sync_link<L: Link>(
    db: &impl ConnectionTrait,
    event_id: i64,
    party_id: i64,
    attr: L::Attr,
) -> Result<(), DbErr> {
    let existing = links::row_of::<L>(db, event_id, party_id).await?;
    let mut am = match &existing {
        Some(m) if m.version() != 1 => return Ok(()),
        Some(m) => m.clone().into_active_model(),
        None => {
            let col = column::<<L::Model as Row>::Table>;
            let mut am = row::start::<L::Model>(None, now());
            am.set(col("event_id"), event_id.into());
            am.set(col(L::PARTY_ID), party_id.into());
            am
        }
    };
    if existing.as_ref().is_none_or(|m| L::record(m).attr != attr) {
        am.set(column::<<L::Model as Row>::Table>(L::ATTR), attr.into());
    }
    let before = existing.as_ref().map(L::record);
    let saved = save(db, am, existing.is_some()).await?;
    track::<L>(db, &saved, before).await
}
