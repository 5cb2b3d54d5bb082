//! eventdir: the directory of cloud-native community events, served as a JSON REST API.
//!
//! The binary (`src/main.rs` at the workspace root) only calls [`cli::main`]; everything else —
//! configuration, the HTTP server, services, the corpus importer — lives here so that the
//! integration tests drive exactly what operators run.

pub mod admission;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
mod convert;
pub mod db;
pub mod error;
pub mod extract;
pub mod import;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod origin;
pub mod resilience;
pub mod routes;
pub mod seed;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod views;

pub use config::Settings;
pub use startup::Application;
