//! Reading tags.

use entity::sea_orm_active_enums::TermKind;
use entity::{post, post_term, term};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};

use crate::views::directory::TagView;

/// Every tag with its published post count, most used first.
pub async fn tags(db: &impl ConnectionTrait) -> Result<Vec<TagView>, DbErr> {
    term::Entity::find()
        .select_only()
        .column(term::Column::Slug)
        .column(term::Column::Name)
        .column_as(
            Expr::col((post::Entity, post::Column::Id)).count(),
            "post_count",
        )
        .join(JoinType::InnerJoin, term::Relation::PostTerm.def())
        .join(JoinType::InnerJoin, post_term::Relation::Post.def())
        .filter(term::Column::Kind.eq(TermKind::Tag))
        .filter(post::Column::Draft.eq(false))
        .filter(post::Column::DeletedAt.is_null())
        .group_by(term::Column::Id)
        .group_by(term::Column::Slug)
        .group_by(term::Column::Name)
        .order_by_desc(Expr::col((post::Entity, post::Column::Id)).count())
        .order_by_asc(term::Column::Slug)
        .into_model::<TagView>()
        .all(db)
        .await
}
