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
    let next_cursor = next.map(|c| c.encode());
    let mut response = actix_web::HttpResponse::Ok();
    if let Some(cursor) = &next_cursor {
        response.insert_header((actix_web::http::header::LINK, next_link(req, cursor)));
    }
    response.json(crate::views::page::Page {
        data,
        page: crate::views::page::PageInfo { limit, next_cursor },
    })
}
