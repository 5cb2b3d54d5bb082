use sea_orm::entity::prelude::*;

use super::sea_orm_active_enums::TermKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "terms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: TermKind,
    pub slug: String,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::post_term::Entity")]
    PostTerm,
}

impl Related<super::post_term::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PostTerm.def()
    }
}

impl Related<super::post::Entity> for Entity {
    fn to() -> RelationDef {
        super::post_term::Relation::Post.def()
    }
    fn via() -> Option<RelationDef> {
        Some(super::post_term::Relation::Term.def().rev())
    }
}

impl ActiveModelBehavior for ActiveModel {}
