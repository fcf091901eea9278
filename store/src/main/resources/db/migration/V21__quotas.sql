-- Per-project quota overrides set by an admin (issue 21); a resource without a row has the
-- profile's default. Not part of the revisioned world, like tokens.
CREATE TABLE quotas (
    project_id  VARCHAR(80) NOT NULL,
    resource    VARCHAR(40) NOT NULL,
    quota_limit BIGINT      NOT NULL,
    PRIMARY KEY (project_id, resource)
);
