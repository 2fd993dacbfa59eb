-- Funding applications: drafts and submissions (the application itself as JSON, with the
-- screening report as it was at submission), the officers assigned to each scheme, supporting
-- documents (kept in the database, never in a served folder, with their SHA-256), officers'
-- decisions, and change requests to approved projects with what changed, kept as history.

CREATE TABLE scheme_officers (
    scheme_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (scheme_id, user_id)
);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    scheme_id TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'information_requested', 'approved', 'rejected')),
    title TEXT NOT NULL,
    input_json TEXT NOT NULL,
    prefilled_json TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_cents INTEGER,
    route TEXT CHECK (route IN ('fast_track', 'officer_queue')),
    risk_millionths INTEGER,
    report_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX applications_org ON applications (org_id, id);
CREATE INDEX applications_queue ON applications (scheme_id, status, id);

CREATE TABLE application_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    document TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX application_attachments_application ON application_attachments (application_id);

CREATE TABLE application_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    officer_user_id INTEGER NOT NULL REFERENCES users(id),
    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject', 'request_information')),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX application_decisions_application ON application_decisions (application_id, id);

CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    requested_by INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    change_json TEXT NOT NULL,
    assessment_json TEXT NOT NULL,
    within_tolerance INTEGER NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    decided_by INTEGER REFERENCES users(id),
    decision_note TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX change_requests_application ON change_requests (application_id, id);
