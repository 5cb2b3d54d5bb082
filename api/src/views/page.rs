//! The list envelope shared by every collection.

use serde::Serialize;
use utoipa::ToSchema;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items on this page.
    pub data: Vec<T>,
    pub page: PageInfo,
}

/// Where this page stands in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageInfo {
    /// The page size that was applied.
    #[schema(example = 20, minimum = 1, maximum = 100)]
    pub limit: u64,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "eyJzIjoic3RhcnRzX29uIn0")]
    pub next_cursor: Option<String>,
    /// How many items the whole list holds, exactly: only when asked for with `count=true`
    /// (where a list offers it), as it costs a count of every match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 42)]
    pub total: Option<u64>,
}
