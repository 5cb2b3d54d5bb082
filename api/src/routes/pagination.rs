//! Page size, cursor and `Link` handling shared by the list routes.

use actix_web::HttpRequest;

use crate::error::{ApiError, ApiResult};
use crate::services::cursor::Cursor;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// The page size, 1 to 100 (default 20).
pub fn limit(requested: Option<u64>) -> ApiResult<u64> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_field(
            "limit",
            format!("must be an integer between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// The query of a list with nothing to filter: a page size and a cursor.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size.
    #[param(minimum = 1, maximum = 100, default = 20, example = 20)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Also count the whole list (`page.total`, exact); it costs a read of every match, so ask
    /// once, not on every page.
    pub count: Option<bool>,
}

/// The list's total when it was asked for (`count=true`): `count` runs only then.
pub async fn total<E>(
    asked: bool,
    count: impl std::future::Future<Output = Result<u64, E>>,
) -> Result<Option<u64>, E> {
    Ok(match asked {
        true => Some(count.await?),
        false => None,
    })
}

/// `<path?query with cursor replaced>; rel="next"`.
pub fn next_link(req: &HttpRequest, cursor: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "cursor" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("cursor", cursor);
    format!("<{}?{}>; rel=\"next\"", req.path(), query.finish())
}

/// Longest accepted search text.
pub const MAX_Q: usize = 200;

/// Rejects absurdly long search text.
pub fn check_q(q: Option<&str>) -> ApiResult<()> {
    match q {
        Some(q) if q.chars().count() > MAX_Q => Err(ApiError::bad_field(
            "q",
            format!("must be at most {MAX_Q} characters"),
        )),
        _ => Ok(()),
    }
}

/// A 200 with one page of `data`, `next_cursor`, and a `Link` to the next page if there is one.
pub fn page_response<T: serde::Serialize>(
    req: &HttpRequest,
    data: Vec<T>,
    limit: u64,
    next: Option<Cursor>,
) -> actix_web::HttpResponse {
    counted_page_response(req, data, limit, next, None)
}

/// [`page_response`] with the list's `total`, when it was asked for.
pub fn counted_page_response<T: serde::Serialize>(
    req: &HttpRequest,
    data: Vec<T>,
    limit: u64,
    next: Option<Cursor>,
    total: Option<u64>,
) -> actix_web::HttpResponse {
    let next_cursor = next.map(|c| c.encode());
    let mut response = actix_web::HttpResponse::Ok();
    if let Some(cursor) = &next_cursor {
        response.insert_header((actix_web::http::header::LINK, next_link(req, cursor)));
    }
    response.json(crate::views::page::Page {
        data,
        page: crate::views::page::PageInfo {
            limit,
            next_cursor,
            total,
        },
    })
}

/// The page size and the cursor of a list's query, checked with its search text: the steps
/// every list takes first, in this order.
pub fn page(
    limit: Option<u64>,
    cursor: Option<&str>,
    q: Option<&str>,
    sort: &str,
) -> ApiResult<(u64, Option<Cursor>)> {
    let limit = self::limit(limit)?;
    let after = Cursor::parse(cursor, sort)?;
    check_q(q)?;
    Ok((limit, after))
}

/// Declares `GET` handlers answering one page of a list: for each, its documentation, name,
/// path, query type, OpenAPI tag, the 200's sentence and item type, and the expression that
/// reads the page (with the database and the query bound to the names given) as `(items,
/// limit, next cursor, total if asked for)`. 400 and 503 are stated by
/// `openapi::add_read_behaviour`. The invoking module brings `get` into scope.
macro_rules! paged_routes {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $path:literal $Query:ty, $tag:literal, $what:literal $Item:ty,
            |$db:ident, $query:ident| $read:expr;
    )*) => {$(
        $(#[doc = $doc])*
        #[utoipa::path(
            tag = $tag,
            params($Query),
            responses(
                (status = 200, description = $what, body = Page<$Item>,
                    headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
            )
        )]
        #[get($path)]
        #[tracing::instrument(skip_all)]
        pub async fn $name(
            state: actix_web::web::Data<$crate::state::AppState>,
            query: $crate::extract::Query<$Query>,
            req: actix_web::HttpRequest,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            let $db = &state.db;
            let $query = query.into_inner();
            let (items, limit, next, total): (Vec<$Item>, u64, _, _) = $read;
            Ok($crate::routes::pagination::counted_page_response(&req, items, limit, next, total))
        }
    )*};
}

pub(crate) use paged_routes;
