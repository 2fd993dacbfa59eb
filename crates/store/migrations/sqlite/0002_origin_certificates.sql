-- Brand Hong Kong origin certificates: a qualifying check, frozen with its computation, that
-- anyone can look up by its verification code.
CREATE TABLE origin_certificates (
    code TEXT PRIMARY KEY,
    product_name TEXT NOT NULL,
    product_class TEXT NOT NULL,
    share_pct TEXT NOT NULL,
    threshold_pct TEXT NOT NULL,
    report_json TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by INTEGER REFERENCES users(id)
);
