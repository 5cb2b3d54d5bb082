//! The people and organizations a post names that the catalog lacks: found by name among the
//! records, or created `unverified` with the words that named them.

use entity::sea_orm_active_enums::EntityType;
use entity::{organization, person};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::json;

use super::mentions::Target;
use super::people_orgs::{NameKind, NamedEntity};
use super::sync::{CatalogIndex, track};
use crate::services::text::{normalize, now, search_text, slug_from, sort_name};
use crate::services::writes::organizations::Organizations;
use crate::services::writes::people::People;
use crate::views::sources::{PostSource, SourceView};

/// The record each name stands for (catalog, earlier post, or new), and how many were new.
pub(super) async fn resolve_people_and_organizations(
    db: &impl ConnectionTrait,
    index: &CatalogIndex,
    (post_id, post_slug): (i64, &str),
    names: &[NamedEntity],
) -> Result<(Vec<(Target, String)>, usize), DbErr> {
    let mut out = Vec::new();
    let mut created = 0;
    for n in names {
        let key = normalize(&n.name);
        let known = match n.kind {
            NameKind::Person => index.people_by_name.get(&key).map(|id| Target::Person(*id)),
            NameKind::Organization => index
                .organizations_by_name
                .get(&key)
                .map(|id| Target::Organization(*id)),
        };
        let target = match known {
            Some(target) => target,
            None => {
                let (target, new) = find_or_discover(db, n, (post_id, post_slug)).await?;
                created += usize::from(new);
                target
            }
        };
        out.push((target, n.matched.clone()));
    }
    Ok((out, created))
}

/// The record of that name, or a new `unverified` one backed by the post's words.
async fn find_or_discover(
    db: &impl ConnectionTrait,
    n: &NamedEntity,
    (post_id, post_slug): (i64, &str),
) -> Result<(Target, bool), DbErr> {
    let sort = sort_name(&n.name);
    let named = named_by(post_slug, &n.matched, &["name"]);
    // Found by its sort name, or inserted with the post's words behind it.
    macro_rules! find_or_insert {
        ($table:ident, $Resource:ty, $Target:ident, $($field:ident: $value:expr),*) => {{
            if let Some(id) = by_sort_name::<$table::Entity>(db, &sort).await? {
                return Ok((Target::$Target(id), false));
            }
            let slug = free_slug(db, &n.name, |slug| {
                $table::Entity::find().filter($table::Column::Slug.eq(slug))
            })
            .await?;
            let model = $table::ActiveModel {
                slug: Set(slug),
                name: Set(n.name.clone()),
                sort_name: Set(sort),
                search_text: Set(search_text(&[Some(&n.name)])),
                discovered_in_post_id: Set(Some(post_id)),
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                $($field: Set($value),)*
                ..Default::default()
            }
            .insert(db)
            .await?;
            track::<$Resource>(db, &model, None).await?;
            (Target::$Target(model.id), EntityType::$Target)
        }};
    }
    let (target, entity) = match n.kind {
        NameKind::Person => find_or_insert!(person, People, Person, badges: json!([])),
        NameKind::Organization => find_or_insert!(organization, Organizations, Organization,),
    };
    let id = match target {
        Target::Person(id) | Target::Organization(id) => id,
        _ => unreachable!("a person or an organization"),
    };
    crate::services::sources::replace(db, entity, id, vec![named]).await?;
    Ok((target, true))
}

/// A post's words that name a record: the source of the fields it gives.
pub(super) fn named_by(post_slug: &str, words: &str, fields: &[&str]) -> SourceView {
    SourceView {
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        post: Some(PostSource {
            slug: post_slug.to_owned(),
            quote: Some(words.to_owned()),
        }),
        record: None,
    }
}

/// The id of the live record of table `E` with that sort name.
async fn by_sort_name<E: EntityTrait>(
    db: &impl ConnectionTrait,
    sort: &str,
) -> Result<Option<i64>, DbErr> {
    id_where::<E>(db, "sort_name", sort).await
}

/// The id of the live record of table `E` whose `column` holds `value`.
pub(super) async fn id_where<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: &str,
    value: &str,
) -> Result<Option<i64>, DbErr> {
    use sea_orm::QuerySelect as _;
    let col = crate::services::writes::row::column::<E>;
    E::find()
        .select_only()
        .column(col("id"))
        .filter(col(column).eq(value))
        .filter(col("deleted_at").is_null())
        .into_tuple()
        .one(db)
        .await
}

/// A slug made from `name` that no record `taken` finds yet.
pub(super) async fn free_slug<E: EntityTrait>(
    db: &impl ConnectionTrait,
    name: &str,
    taken: impl Fn(&str) -> sea_orm::Select<E>,
) -> Result<String, DbErr> {
    let base = slug_from(name);
    let mut slug = base.clone();
    let mut n = 2;
    while taken(&slug).one(db).await?.is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}
