-- One schema for SQLite and PostgreSQL: plain types, no engine-specific features.

-- Every object of the world (projects, groups with their rules, ip sets, networks, hosts,
-- instances, vnics) as its JSON document, with the columns lists filter on.
CREATE TABLE objects (
    id          VARCHAR(80)  NOT NULL PRIMARY KEY,
    kind        VARCHAR(20)  NOT NULL,
    project_id  VARCHAR(80),
    name        VARCHAR(255) NOT NULL,
    body        TEXT         NOT NULL,
    revision    BIGINT       NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    updated_at  VARCHAR(40)  NOT NULL
);
CREATE INDEX objects_kind_project ON objects (kind, project_id);
CREATE INDEX objects_kind_name ON objects (kind, name);

-- The revision log: every mutation is one revision with one or more change records.
CREATE TABLE changes (
    revision    BIGINT       NOT NULL,
    seq         INTEGER      NOT NULL,
    at          VARCHAR(40)  NOT NULL,
    actor       VARCHAR(255) NOT NULL,
    kind        VARCHAR(20)  NOT NULL,
    object_id   VARCHAR(80)  NOT NULL,
    project_id  VARCHAR(80),
    action      VARCHAR(20)  NOT NULL,
    detail      TEXT         NOT NULL,
    PRIMARY KEY (revision, seq)
);
CREATE INDEX changes_object ON changes (object_id);

-- Bearer tokens, stored as SHA-256 hashes.
CREATE TABLE tokens (
    id          VARCHAR(80)  NOT NULL PRIMARY KEY,
    hash        VARCHAR(64)  NOT NULL UNIQUE,
    role        VARCHAR(10)  NOT NULL,
    project_id  VARCHAR(80),
    host_name   VARCHAR(255),
    description VARCHAR(255) NOT NULL,
    created_at  VARCHAR(40)  NOT NULL
);

-- What each host's agent last reported (not part of the revisioned world).
CREATE TABLE host_status (
    host_id          VARCHAR(80) NOT NULL PRIMARY KEY,
    applied_revision BIGINT      NOT NULL,
    last_heartbeat   VARCHAR(40) NOT NULL,
    last_error       TEXT
);
