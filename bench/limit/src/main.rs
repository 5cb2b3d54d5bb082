//! `eventdir-limit --bind ADDR ROUTE=FILE…`: answers each `ROUTE` (path and query; the file
//! name follows the last `=`) with the bytes of `FILE`, held in memory, with the same strong
//! `ETag` eventdir sends, `304` to a matching `If-None-Match`, and the same bytes to a
//! `PATCH`. It does no work per request beyond HTTP itself: the ceiling a read path on this
//! machine can approach.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

struct Fixed {
    body: web::Bytes,
    etag: String,
}

async fn answer(req: HttpRequest, routes: web::Data<HashMap<String, Fixed>>) -> HttpResponse {
    let key = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    let Some(fixed) = routes.get(&key) else {
        return HttpResponse::NotFound().finish();
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == fixed.etag));
    if matches {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, fixed.etag.clone()))
            .finish();
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, fixed.etag.clone()))
        .body(fixed.body.clone())
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut bind = "127.0.0.1:8090".to_owned();
    let mut routes = HashMap::new();
    while let Some(arg) = args.next() {
        if arg == "--bind" {
            bind = args.next().unwrap_or(bind);
        } else if let Some((route, file)) = arg.rsplit_once('=') {
            let body = std::fs::read(file)?;
            let etag = format!("\"{}\"", &blake3::hash(&body).to_hex()[..32]);
            routes.insert(
                route.to_owned(),
                Fixed {
                    body: body.into(),
                    etag,
                },
            );
        } else {
            eprintln!("usage: eventdir-limit --bind ADDR ROUTE=FILE…");
            std::process::exit(2);
        }
    }
    let routes = web::Data::from(Arc::new(routes));
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(routes.clone())
                .default_service(web::to(answer))
        })
        .bind(&bind)?
        .run()
        .await
    })
}
