-- The gateway's stored results. Portable between H2 (the default, file mode) and PostgreSQL (the
-- postgres profile): documents are JSON text in VARCHAR(1000000) columns (H2's largest VARCHAR), the
-- columns beside them are the ones queried or shown in lists.

CREATE TABLE downloads (
    id          VARCHAR(64)      NOT NULL PRIMARY KEY,
    status      VARCHAR(16)      NOT NULL,
    started_at  TIMESTAMP        NOT NULL,
    document    VARCHAR(1000000) NOT NULL
);
CREATE INDEX downloads_started_at ON downloads (started_at);

CREATE TABLE experiments (
    id           VARCHAR(64)      NOT NULL PRIMARY KEY,
    name         VARCHAR(256)     NOT NULL,
    kind         VARCHAR(16)      NOT NULL,
    status       VARCHAR(16)      NOT NULL,
    created_at   TIMESTAMP        NOT NULL,
    finished_at  TIMESTAMP,
    total_runs   INTEGER          NOT NULL,
    spec         VARCHAR(1000000) NOT NULL,
    error        VARCHAR(4000)
);
CREATE INDEX experiments_created_at ON experiments (created_at);

CREATE TABLE runs (
    id             VARCHAR(96)      NOT NULL PRIMARY KEY,
    experiment_id  VARCHAR(64)      NOT NULL REFERENCES experiments (id),
    cell_index     INTEGER          NOT NULL,
    repetition     INTEGER          NOT NULL,
    seed           BIGINT           NOT NULL,
    status         VARCHAR(16)      NOT NULL,
    kernel         VARCHAR(64),
    machine_id     VARCHAR(64),
    started_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    result         VARCHAR(1000000),
    error          VARCHAR(4000)
);
CREATE INDEX runs_experiment ON runs (experiment_id, cell_index, repetition);

CREATE TABLE reproductions (
    id             VARCHAR(64)      NOT NULL PRIMARY KEY,
    experiment_id  VARCHAR(64)      NOT NULL REFERENCES experiments (id),
    status         VARCHAR(16)      NOT NULL,
    created_at     TIMESTAMP        NOT NULL,
    finished_at    TIMESTAMP,
    request        VARCHAR(4000)    NOT NULL,
    report_json    VARCHAR(1000000),
    report_md      VARCHAR(1000000),
    error          VARCHAR(4000)
);
CREATE INDEX reproductions_created_at ON reproductions (created_at);

CREATE TABLE charts (
    reproduction_id  VARCHAR(64)      NOT NULL REFERENCES reproductions (id),
    name             VARCHAR(64)      NOT NULL,
    svg              VARCHAR(1000000) NOT NULL,
    PRIMARY KEY (reproduction_id, name)
);
