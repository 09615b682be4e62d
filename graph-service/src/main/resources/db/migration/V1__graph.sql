-- graph-service's own data. It never reads token-service's tables: which tokens exist comes from the
-- token events it consumes (the projection below).

-- Projection of token-service's tokens: existence only, applied in event order per token (events are
-- keyed by token id). A deleted token stays as a tombstone row, which the edge foreign keys point at.
CREATE TABLE tokens (
    token_id   uuid PRIMARY KEY,
    deleted    boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- How far the projection has applied each partition of the token event topic (next offset to apply),
-- written in the same transaction as the projection change.
CREATE TABLE projection_positions (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Token events already applied, by event id: a relay may publish one event twice at different offsets.
CREATE TABLE processed_events (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);

-- Edges ("connections"). One edge per (source, target, type).
CREATE TABLE edges (
    connection_id uuid PRIMARY KEY,
    source_id     uuid             NOT NULL REFERENCES tokens (token_id),
    target_id     uuid             NOT NULL REFERENCES tokens (token_id),
    type          varchar(50)      NOT NULL,
    weight        double precision NOT NULL CHECK (weight >= 0 AND weight <= 1),
    bidirectional boolean          NOT NULL,
    decay_rate    double precision NOT NULL CHECK (decay_rate >= 0),
    metadata      jsonb            NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    created_at    timestamptz      NOT NULL,
    created_by    text             NULL,
    CHECK (source_id <> target_id),
    UNIQUE (source_id, target_id, type)
);
-- Path search walks edges by source (the unique index) and by target (this one).
CREATE INDEX edges_target_idx ON edges (target_id, source_id);
-- graph.neighbors pages a token's edges in (created_at, connection_id) order without sorting them all.
CREATE INDEX edges_source_created_idx ON edges (source_id, created_at, connection_id);
CREATE INDEX edges_target_created_idx ON edges (target_id, created_at, connection_id);

-- One row per applied command id (the idempotency key): a repeat gets the stored reply back.
CREATE TABLE processed_commands (
    command_id   text PRIMARY KEY,
    command_type text        NOT NULL,
    reply_type   text        NULL,
    reply        text        NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_commands_processed_at_idx ON processed_commands (processed_at);

-- Events written in the same transaction as the change; the relay publishes them in id order. The record
-- key (message_key) is the edge's source token id, the CloudEvents subject the connection id.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    message_key text        NOT NULL,
    subject     text        NOT NULL,
    event_type  text        NOT NULL,
    value       text        NOT NULL,
    traceparent text        NULL,
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
