//! The `If-Match` precondition of updates and deletes, checked inside the write transaction.

use sea_orm::DatabaseTransaction;

use super::{Resource, etag_of};
use crate::error::{ApiError, ApiResult};

/// The `If-Match` of a request, which `PATCH` and `DELETE` require.
#[derive(Debug, Clone)]
pub enum IfMatch {
    Any,
    Tags(Vec<String>),
}

impl IfMatch {
    /// Reads an `If-Match` value: `*`, or a list of entity tags.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if text == "*" {
            return IfMatch::Any;
        }
        IfMatch::Tags(
            text.split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        )
    }

    /// 412 unless the current representation of `model` is listed (`*`: any representation,
    /// so none is rendered).
    pub(super) async fn check_against<R: Resource>(
        &self,
        txn: &DatabaseTransaction,
        model: &R::Model,
    ) -> ApiResult<()> {
        match self {
            IfMatch::Any => Ok(()),
            IfMatch::Tags(_) => self.check(&etag_of(&R::representation(txn, model).await?)),
        }
    }

    /// 412 unless `etag` is listed. The comparison is strong: weak tags never match.
    pub fn check(&self, etag: &str) -> ApiResult<()> {
        let ok = match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|t| t == etag),
        };
        if ok {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the resource has changed: its current ETag is {etag}; GET it again and \
                 reapply your change"
            )))
        }
    }
}
