-- Tokens: the state token-service owns. Coordinates are one array per axis, index i = space L(i+1).
CREATE TABLE tokens (
    token_id   uuid PRIMARY KEY,
    type       varchar(50)        NOT NULL,
    coord_x    double precision[] NOT NULL CHECK (array_ndims(coord_x) = 1 AND cardinality(coord_x) = 8),
    coord_y    double precision[] NOT NULL CHECK (array_ndims(coord_y) = 1 AND cardinality(coord_y) = 8),
    coord_z    double precision[] NOT NULL CHECK (array_ndims(coord_z) = 1 AND cardinality(coord_z) = 8),
    flags      bigint             NOT NULL CHECK (flags >= 0),
    weight     double precision   NOT NULL CHECK (weight >= 0),
    metadata   jsonb              NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz        NOT NULL,
    updated_at timestamptz        NOT NULL,
    version    bigint             NOT NULL CHECK (version >= 1),
    created_by text               NULL
);

-- token.list pages in (created_at, token_id) order, with and without a type filter.
CREATE INDEX tokens_created_idx ON tokens (created_at, token_id);
CREATE INDEX tokens_type_created_idx ON tokens (type, created_at, token_id);

-- One row per applied command id (the idempotency key): a repeat gets the stored reply back.
CREATE TABLE processed_commands (
    command_id   text PRIMARY KEY,
    command_type text        NOT NULL,
    reply_type   text        NULL,
    reply        text        NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- The dedupe-window janitor deletes by age.
CREATE INDEX processed_commands_processed_at_idx ON processed_commands (processed_at);

-- Events written in the same transaction as the change; the relay publishes them in id order.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    message_key text        NOT NULL,
    event_type  text        NOT NULL,
    value       text        NOT NULL,
    traceparent text        NULL,
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
