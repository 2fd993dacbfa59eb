-- Versions of the value-added table and concordance uploaded by analysts. The shipped study
-- tables are the implicit first version; uploaded versions are kept whole (the four CSV files as
-- uploaded), never edited, so every published figure can be traced to the exact input.
CREATE TABLE stats_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL,
    lines_csv TEXT NOT NULL,
    values_csv TEXT NOT NULL,
    gdp_csv TEXT NOT NULL,
    concordance_csv TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id)
);
