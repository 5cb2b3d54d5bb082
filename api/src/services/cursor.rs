//! Opaque keyset cursors: the sort they belong to and the last row's key, base64url JSON.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, Select};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// The position after the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The sort the cursor was made for; a cursor is only valid with the same sort.
    #[serde(rename = "s")]
    pub sort: String,
    /// The last row's sort key (`None` when that row had no value for it).
    #[serde(rename = "k")]
    pub key: Option<String>,
    /// The last row's id, the tie-breaker.
    #[serde(rename = "i")]
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Decodes a cursor; `None` for anything that is not one of ours.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Decodes a cursor from a request, which must have been made for the same sort (400
    /// naming `cursor` otherwise); an empty one is none.
    pub fn parse(text: Option<&str>, sort: &str) -> ApiResult<Option<Self>> {
        // An empty cursor (a client templating `cursor={next_cursor}` on the first page) is none.
        let Some(text) = text.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        match Self::decode(text) {
            Some(c) if c.sort == sort => Ok(Some(c)),
            Some(_) => Err(ApiError::bad_field(
                "cursor",
                "belongs to another sort order; start again without a cursor",
            )),
            None => Err(ApiError::bad_field(
                "cursor",
                "is not a cursor this API issued",
            )),
        }
    }
}

/// One page of `select` (filtered to what follows the cursor, and ordered): at most `limit`
/// rows, and when more follow, the cursor of the next page, for the sort `sort`, made from
/// the last row's key and id.
pub async fn page_of<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    limit: u64,
    sort: &str,
    key: impl Fn(&E::Model) -> (Option<String>, i64),
) -> Result<(Vec<E::Model>, Option<Cursor>), DbErr> {
    let mut rows = select.limit(limit + 1).all(db).await?;
    if !trim(&mut rows, limit) {
        return Ok((rows, None));
    }
    let next = rows.last().map(|last| {
        let (key, id) = key(last);
        Cursor {
            sort: sort.to_owned(),
            key,
            id,
        }
    });
    Ok((rows, next))
}

/// Cuts `rows`, read with one row more than `limit`, to `limit`; says whether there were more.
pub fn trim<T>(rows: &mut Vec<T>, limit: u64) -> bool {
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    more
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let c = Cursor {
            sort: "-starts_on".into(),
            key: Some("2024-02-23".into()),
            id: 7,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }

    #[test]
    fn garbage_is_rejected() {
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
        assert_eq!(Cursor::decode("e30"), None); // `{}`
    }
}
