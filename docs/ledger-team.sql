-- ccrecap ledger, team queries for DuckDB (docs/ledger.md explains the format).
--
-- Each member copies their ledger directory (ccrecap ledger status shows where it is)
-- into ledgers/<person>/ beside this file, then run:  duckdb < docs/ledger-team.sql
-- No server: DuckDB reads the gzip'd JSON Lines segments directly.

-- Every record of every member, with the member's name taken from the directory.
CREATE OR REPLACE TEMP VIEW records AS
SELECT regexp_extract(filename, 'ledgers/([^/]+)/', 1) AS person, *
FROM read_json_auto('ledgers/*/*.jsonl.gz', format = 'newline_delimited',
                    union_by_name = true, filename = true)
WHERE v <= 1;

-- The one dedupe rule of ccrecap: one row per key (main thread before sidechain before
-- progress copies, then the larger usage), and sidechain copies of a main-thread
-- response (same msg) dropped. Copies of one response in several members' ledgers
-- (a shared machine, a synced session) count once.
CREATE OR REPLACE TEMP VIEW responses AS
WITH best AS (
  SELECT * FROM records
  QUALIFY row_number() OVER (
    PARTITION BY key
    ORDER BY CASE origin WHEN 'main' THEN 0 WHEN 'sidechain' THEN 1 ELSE 2 END,
             input + output + cacheRead + cacheWrite5m + cacheWrite1h DESC,
             output DESC, input DESC, cacheWrite1h DESC, cacheWrite5m DESC, cacheRead DESC,
             ts, person) = 1
)
SELECT * FROM best
WHERE origin = 'main' OR msg IS NULL
   OR msg NOT IN (SELECT msg FROM best WHERE origin = 'main' AND msg IS NOT NULL);

-- List prices in USD per million tokens (base input, 5m cache writes, 1h cache writes,
-- cache reads, output), a snapshot of ccrecap's embedded table as of 2026-11-21.
-- Long-context (> 200K) surcharges are not applied here (ccrecap's own reports apply them).
CREATE OR REPLACE TEMP TABLE prices(model VARCHAR, input DOUBLE, write5m DOUBLE,
                                    write1h DOUBLE, cache_read DOUBLE, output DOUBLE);
INSERT INTO prices VALUES
    ('claude-3-5-haiku', 0.8, 1.0, 1.6, 0.08, 4.0),
    ('claude-3-5-haiku-20241022', 0.8, 1.0, 1.6, 0.08, 4.0),
    ('claude-3-5-haiku-latest', 0.8, 1.0, 1.6, 0.08, 4.0),
    ('claude-3-5-sonnet', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-5-sonnet-20240620', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-5-sonnet-20241022', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-5-sonnet-latest', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-7-sonnet', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-7-sonnet-20250219', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-7-sonnet-latest', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-3-haiku', 0.25, 0.3, 0.5, 0.03, 1.25),
    ('claude-3-haiku-20240307', 0.25, 0.3, 0.5, 0.03, 1.25),
    ('claude-3-opus', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-3-opus-20240229', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-3-opus-latest', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-fable-5', 10.0, 12.5, 20.0, 1.0, 50.0),
    ('claude-fable-5-1', 10.0, 12.5, 20.0, 0.25, 50.0),
    ('claude-haiku-4-5', 1.0, 1.25, 2.0, 0.1, 5.0),
    ('claude-haiku-4-5-20251001', 1.0, 1.25, 2.0, 0.1, 5.0),
    ('claude-haiku-5-5', 0.1, 0.125, 0.2, 0.01, 0.5),
    ('claude-mythos-5', 10.0, 12.5, 20.0, 1.0, 50.0),
    ('claude-mythos-5-1', 10.0, 12.5, 20.0, 0.25, 50.0),
    ('claude-opus-4', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-opus-4-0', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-opus-4-1', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-opus-4-1-20250805', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-opus-4-20250514', 15.0, 18.75, 30.0, 1.5, 75.0),
    ('claude-opus-4-5', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-4-5-20251101', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-4-6', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-4-7', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-4-8', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-5', 5.0, 6.25, 10.0, 0.5, 25.0),
    ('claude-opus-5-5', 4.0, 5.0, 8.0, 0.2, 20.0),
    ('claude-sonnet-4', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-4-0', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-4-20250514', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-4-5', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-4-5-20250929', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-4-6', 3.0, 3.75, 6.0, 0.3, 15.0),
    ('claude-sonnet-5', 2.0, 2.5, 4.0, 0.2, 10.0),
    ('claude-sonnet-5-5', 2.0, 2.5, 4.0, 0.1, 10.0);

-- A response's cost: its recorded costUSD (old transcripts), else the list prices,
-- NULL for models without a price (never $0).
CREATE OR REPLACE TEMP VIEW priced AS
SELECT r.*,
       coalesce(r.costUSD,
                (r.input * p.input + r.cacheWrite5m * p.write5m + r.cacheWrite1h * p.write1h
                 + r.cacheRead * p.cache_read + r.output * p.output) / 1e6) AS cost
FROM responses r
LEFT JOIN prices p ON p.model = regexp_replace(r.model, '-fast$', '');

-- 1. Daily cost by person and model (UTC days).
SELECT CAST(ts AS TIMESTAMP)::DATE AS day, person, model,
       count(*) AS responses,
       sum(input + output + cacheRead + cacheWrite5m + cacheWrite1h) AS tokens,
       round(sum(cost), 4) AS cost_usd
FROM priced
GROUP BY ALL
ORDER BY day, person, cost_usd DESC NULLS LAST;

-- 2. Sub-agent share by person: the part of tokens and cost spent in sub-agents
--    (records with an agent id), overall and by agent type.
SELECT person,
       round(sum(cost) FILTER (WHERE agent IS NOT NULL) / nullif(sum(cost), 0), 4)
         AS subagent_cost_share,
       round(sum(input + output + cacheRead + cacheWrite5m + cacheWrite1h)
               FILTER (WHERE agent IS NOT NULL)
             / nullif(sum(input + output + cacheRead + cacheWrite5m + cacheWrite1h), 0), 4)
         AS subagent_token_share
FROM priced
GROUP BY person
ORDER BY person;

SELECT person, coalesce(agentType, 'unknown') AS agent_type,
       count(DISTINCT agent) AS runs,
       round(sum(cost), 4) AS cost_usd
FROM priced
WHERE agent IS NOT NULL
GROUP BY ALL
ORDER BY person, cost_usd DESC NULLS LAST;
