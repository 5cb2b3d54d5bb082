//! Integration tests: each test spawns the real server on port 0 against its own fresh
//! database and talks HTTP to it. The backend is SQLite unless `EVENTDIR_TEST_POSTGRES_URL`
//! or `EVENTDIR_TEST_MYSQL_URL` is set (see `helpers`).

mod bad_input;
mod cache;
mod cache_property;
mod changes;
mod cli;
mod compat;
mod contract;
mod database_loss;
mod deploy;
mod entities;
mod events;
mod feeds;
mod fidelity;
mod fixtures;
mod health;
mod helpers;
mod http;
mod import;
mod migrations;
mod openapi;
mod operations;
mod origin;
mod queries;
mod read_directory;
mod read_events;
mod resilience;
mod seed;
mod validation;
mod writes;
