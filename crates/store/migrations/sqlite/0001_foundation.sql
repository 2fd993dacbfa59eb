-- Foundation schema: organisations, accounts, sessions, audit log, projects, reference data.
-- Timestamps are RFC 3339 UTC text with a fixed width, so they sort as text.
-- Money is integer cents with its currency code; never a float.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    succeeded INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_email_at ON login_attempts(email, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_user_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    request_id TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    stage TEXT NOT NULL,
    sector TEXT,
    place TEXT,
    currency TEXT NOT NULL,
    pledged_cents INTEGER,
    realised_cents INTEGER,
    jobs_pledged INTEGER,
    jobs_realised INTEGER,
    visibility TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_org ON projects(org_id);

CREATE TABLE reference_loads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    loaded_at TEXT NOT NULL,
    origin TEXT NOT NULL,
    rows_loaded INTEGER NOT NULL
);

CREATE TABLE ref_documents (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    date TEXT,
    seed_file TEXT
);

CREATE TABLE ref_places (
    code TEXT PRIMARY KEY,
    level TEXT NOT NULL,
    country TEXT NOT NULL,
    parent TEXT,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    lat REAL,
    lon REAL,
    source TEXT NOT NULL
);

CREATE TABLE ref_industry_value_added (
    year INTEGER NOT NULL,
    component TEXT NOT NULL,
    subgroup TEXT NOT NULL,
    currency TEXT NOT NULL,
    value_cents INTEGER NOT NULL,
    gdp_share_pct TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY (year, component, subgroup)
);

CREATE TABLE ref_producer_services (
    year INTEGER PRIMARY KEY,
    currency TEXT NOT NULL,
    value_cents INTEGER NOT NULL,
    gdp_share_pct TEXT,
    source TEXT NOT NULL
);

CREATE TABLE ref_producer_services_overlap (
    year INTEGER NOT NULL,
    item TEXT NOT NULL,
    allocation_pct TEXT NOT NULL,
    gdp_share_pct TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (year, item)
);

CREATE TABLE ref_mainland_manufacturers (
    year INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    enterprises INTEGER NOT NULL,
    share_pct TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY (year, dimension, key)
);

CREATE TABLE ref_pledges (
    code TEXT PRIMARY KEY,
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    organisation_en TEXT NOT NULL,
    organisation_zh TEXT NOT NULL,
    place TEXT NOT NULL,
    stage TEXT NOT NULL,
    currency TEXT NOT NULL,
    pledged_cents INTEGER,
    jobs INTEGER,
    period_years INTEGER,
    announced TEXT NOT NULL,
    source TEXT NOT NULL
);
