//! Who is writing: an authenticated token's identity and scope, as a plain value the write
//! services check against.

use entity::event;
use entity::sea_orm_active_enums::TokenRole;

use crate::error::{ApiError, ApiResult};

/// An authenticated token and its scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub name: String,
    pub role: TokenRole,
    /// Events an organizer may edit.
    pub event_ids: Vec<i64>,
    /// Series an organizer may create (and edit) events in.
    pub series: Vec<String>,
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.role == TokenRole::Admin
    }

    /// Whether this token may change `event` and what belongs to it.
    pub fn may_edit(&self, event: &event::Model) -> bool {
        self.is_admin()
            || self.event_ids.contains(&event.id)
            || event
                .series
                .as_ref()
                .is_some_and(|s| self.series.iter().any(|mine| mine == s))
    }

    /// Whether this token may create an event in `series`.
    pub fn may_create_in(&self, series: Option<&str>) -> bool {
        self.is_admin() || series.is_some_and(|s| self.series.iter().any(|mine| mine == s))
    }

    /// 403 unless this token may change `event`.
    pub fn check_event(&self, event: &event::Model) -> ApiResult<()> {
        if self.may_edit(event) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the token `{}` may not change the event `{}`",
                self.name, event.slug
            )))
        }
    }

    /// 403 unless this is an admin token.
    pub fn check_admin(&self, what: &str) -> ApiResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "only admin tokens may {what}; `{}` is an organizer token",
                self.name
            )))
        }
    }
}
