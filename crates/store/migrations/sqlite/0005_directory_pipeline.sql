-- The investment pipeline gains a programme, the year announced and output a year (pledged and
-- realised), plus dated milestones; the directory holds profiles of enterprises, investors,
-- providers, sites and pilot projects (the profile itself as JSON, owned by an organisation or,
-- for synthetic and imported entries, by none; deleted entries stay as tombstones so every
-- instance's index drops them too), and introductions between organisations.

ALTER TABLE projects ADD COLUMN programme TEXT;
ALTER TABLE projects ADD COLUMN announced_year INTEGER;
ALTER TABLE projects ADD COLUMN output_pledged_cents INTEGER;
ALTER TABLE ref_pledges ADD COLUMN sector TEXT;
ALTER TABLE ref_pledges ADD COLUMN programme TEXT;
ALTER TABLE projects ADD COLUMN output_realised_cents INTEGER;

CREATE TABLE project_milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    title_en TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX project_milestones_project ON project_milestones (project_id, due_on);

CREATE TABLE directory_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER REFERENCES organisations(id),
    kind TEXT NOT NULL,
    entry_json TEXT NOT NULL,
    verified INTEGER NOT NULL DEFAULT 0,
    provenance TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX directory_entries_org ON directory_entries (org_id);
CREATE INDEX directory_entries_revision ON directory_entries (revision);

-- One counter, bumped by every directory write inside its transaction: writers queue on its
-- row lock, so revisions commit in order and a search index can follow "everything after n".
CREATE TABLE directory_revision (n INTEGER NOT NULL);
INSERT INTO directory_revision (n) VALUES (0);

CREATE TABLE introductions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    from_org INTEGER NOT NULL REFERENCES organisations(id),
    from_entry INTEGER REFERENCES directory_entries(id),
    to_entry INTEGER NOT NULL REFERENCES directory_entries(id),
    to_org INTEGER REFERENCES organisations(id),
    score INTEGER NOT NULL,
    reasons_json TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined')),
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX introductions_from ON introductions (from_org, id);
CREATE INDEX introductions_to ON introductions (to_org, id);
