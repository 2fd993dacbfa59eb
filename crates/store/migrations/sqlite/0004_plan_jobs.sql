-- Network planning runs: a model (JSON as submitted) and the scenarios to solve, queued for any
-- server instance to pick up, with progress while it runs and the result when done. A run
-- belongs to its organisation (NULL: an administrator's own) and is private to it.
CREATE TABLE plan_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER REFERENCES organisations(id),
    created_by INTEGER REFERENCES users(id),
    name TEXT NOT NULL,
    model_json TEXT NOT NULL,
    scenarios_json TEXT NOT NULL,
    time_limit_seconds INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done_steps INTEGER NOT NULL DEFAULT 0,
    total_steps INTEGER NOT NULL,
    worker TEXT,
    result_json TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
);
CREATE INDEX plan_jobs_org ON plan_jobs (org_id, id);
CREATE INDEX plan_jobs_queue ON plan_jobs (status, id);
