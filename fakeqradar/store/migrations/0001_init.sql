-- Access configuration of a fake QRadar Console.
CREATE TABLE user_roles (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE role_capabilities (
    role_id        INTEGER NOT NULL REFERENCES user_roles(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL,
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (role_id, name)
);

CREATE TABLE security_profiles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    domain_ids TEXT NOT NULL DEFAULT '[]'
);

-- One row per user. The staged configuration lives in the plain columns; the
-- deployed copy of the staged-only fields (role, profile, tenant,
-- description) lives in the d_* columns and is refreshed by a deploy.
-- deployed = 0: created in staging, not yet deployed. pending = 1: staged
-- values differ from deployed ones.
CREATE TABLE users (
    id                                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username                             TEXT NOT NULL UNIQUE,
    email                                TEXT,
    description                          TEXT,
    user_role_id                         INTEGER NOT NULL REFERENCES user_roles(id),
    security_profile_id                  INTEGER NOT NULL REFERENCES security_profiles(id),
    tenant_id                            INTEGER,
    locale_id                            TEXT,
    enable_popup_notifications           INTEGER NOT NULL DEFAULT 0,
    allow_system_authentication_fallback INTEGER NOT NULL DEFAULT 0,
    local_only_account                   INTEGER NOT NULL DEFAULT 0,
    inactivity_timeout                   INTEGER NOT NULL DEFAULT 0,
    notification_flag                    TEXT,
    password_hash                        TEXT,
    password_creation_time               INTEGER,
    default_admin                        INTEGER NOT NULL DEFAULT 0,
    deployed                             INTEGER NOT NULL DEFAULT 0,
    pending                              INTEGER NOT NULL DEFAULT 1,
    d_description                        TEXT,
    d_user_role_id                       INTEGER,
    d_security_profile_id                INTEGER,
    d_tenant_id                          INTEGER
);
CREATE INDEX users_deployed ON users(deployed, id);
CREATE INDEX users_pending ON users(pending) WHERE pending = 1;

CREATE TABLE authorized_services (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    label               TEXT NOT NULL UNIQUE,
    token_hash          BLOB NOT NULL UNIQUE,
    created_by          TEXT NOT NULL,
    tenant_id           INTEGER,
    security_profile_id INTEGER NOT NULL REFERENCES security_profiles(id),
    user_role_id        INTEGER NOT NULL REFERENCES user_roles(id),
    creation_date       INTEGER NOT NULL,
    expiration_date     INTEGER,
    last_used_date      INTEGER,
    admin_token         INTEGER NOT NULL DEFAULT 0
);

-- Asynchronous user delete tasks. Status is computed from created, queued_ms,
-- duration_ms and the clock; applied records that the side effect (the user
-- is removed) has happened, exactly once.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    username    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    queued_ms   INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome     TEXT NOT NULL DEFAULT 'COMPLETED',
    surface     TEXT NOT NULL DEFAULT 'documented',
    applied     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_unapplied ON tasks(applied) WHERE applied = 0;

-- Deploys of staged configuration.
CREATE TABLE deploys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    type         TEXT NOT NULL,
    initiated_by TEXT NOT NULL,
    created      INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    applied      INTEGER NOT NULL DEFAULT 0
);
