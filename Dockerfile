# syntax=docker/dockerfile:1
# Multi-stage build of the single `eventdir` binary.

FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src
# Dependencies first, from the manifests alone, so source edits reuse this layer.
COPY Cargo.toml Cargo.lock ./
COPY api/Cargo.toml api/Cargo.toml
COPY entity/Cargo.toml entity/Cargo.toml
COPY migration/Cargo.toml migration/Cargo.toml
# A workspace member (the benchmarks' ceiling server); present so the workspace resolves.
COPY bench/limit/Cargo.toml bench/limit/Cargo.toml
RUN mkdir -p src api/src entity/src migration/src tests/api bench/limit/src \
    && echo 'fn main() {}' > src/main.rs \
    && echo 'fn main() {}' > bench/limit/src/main.rs \
    && touch api/src/lib.rs entity/src/lib.rs migration/src/lib.rs tests/api/main.rs \
    && cargo build --release --locked --bin eventdir \
    && rm -rf src api/src entity/src migration/src tests
COPY bench/limit bench/limit
COPY src src
COPY data data
COPY api api
COPY entity entity
COPY migration migration
COPY tests tests
RUN touch src/main.rs api/src/lib.rs entity/src/lib.rs migration/src/lib.rs \
    && cargo build --release --locked --bin eventdir

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/eventdir --create-home eventdir
COPY --from=builder /src/target/release/eventdir /usr/local/bin/eventdir
USER eventdir
WORKDIR /var/lib/eventdir
# Defaults: listen on every interface, a SQLite file in the data volume. Set DATABASE_URL
# to a postgres:// or mysql:// URL to share one database between replicas. Mount a Hugo
# corpus at /corpus and set EVENTDIR_CORPUS=/corpus to import it into an empty database.
ENV EVENTDIR_BIND=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/eventdir/eventdir.db
VOLUME ["/var/lib/eventdir"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["eventdir"]
CMD ["serve"]
