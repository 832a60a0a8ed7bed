// The server schema of version 1, as `onions server init` installed it before version 2: the
// starting point of the migration tests. Kept verbatim; never installed by the program.

enum PostgresSchemaVersion1 {
    static let sql = #"""
-- The onions server schema, version 1 (onions.schema_version() returns it).
--
-- Install it as a superuser with `onions server init`; running it again is harmless.
-- Tables belong to the NOLOGIN role onions_owner and nobody else may touch them. Clients log in
-- with roles granted onions_client, which may only EXECUTE the functions granted below; each is
-- SECURITY DEFINER with its search_path pinned. The server stores opaque bytes: vault ids are
-- stretched usernames, record names are HMACs, blobs and wrapped keys are ciphertext.
--
-- Every function that reads or changes a vault takes the vault's auth key and checks
-- sha256(auth key) against the stored verifier. Failures count per vault: from the fifth on,
-- the vault refuses every key for a delay that doubles from 30 seconds up to an hour; a success
-- resets the count. Because an exception would roll back that count, these outcomes come back
-- as a status text, never as an error:
--   'ok', 'unauthorized' (wrong key), 'throttled' (refused without looking), 'novault'.
-- Refusals that change nothing raise errors with their own SQLSTATE:
--   ON001  compare-and-set conflict; DETAIL 'index=<i> version=<v>' names the 0-based index of
--          the first write whose record is at version v, not the expected one
--   ON002  signup for a vault id that exists
--   ON003  an argument out of range (sizes, array lengths, NULLs)
-- Every change announces itself with pg_notify(onions.channel(vault), <sequence value>).
--
-- Sent as one simple query (as installSchema does) the script is one transaction, and this lock
-- makes two installs into one database wait for each other.
SELECT pg_advisory_xact_lock(hashtext('onions schema install'));

DO $$
BEGIN
    CREATE ROLE onions_owner NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
    CREATE ROLE onions_client NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

CREATE SCHEMA IF NOT EXISTS onions AUTHORIZATION onions_owner;
ALTER SCHEMA onions OWNER TO onions_owner;
REVOKE ALL ON SCHEMA onions FROM PUBLIC;
GRANT USAGE ON SCHEMA onions TO onions_client;

-- One header per vault: public KDF parameters, the wrapped data key, SHA-256 of the auth key.
CREATE TABLE IF NOT EXISTS onions.vaults (
    vault           text PRIMARY KEY,
    parameters      bytea NOT NULL,
    wrapped_key     bytea NOT NULL,
    verifier        bytea NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz
);
ALTER TABLE onions.vaults OWNER TO onions_owner;
REVOKE ALL ON onions.vaults FROM PUBLIC;

-- Records, tombstones included (deleted, empty blob, version kept counting).
CREATE TABLE IF NOT EXISTS onions.records (
    vault   text NOT NULL REFERENCES onions.vaults (vault) ON DELETE CASCADE,
    name    bytea NOT NULL,
    version bigint NOT NULL,
    blob    bytea NOT NULL,
    deleted boolean NOT NULL,
    seq     bigint NOT NULL,
    PRIMARY KEY (vault, name)
);
CREATE INDEX IF NOT EXISTS records_vault_seq ON onions.records (vault, seq);
ALTER TABLE onions.records OWNER TO onions_owner;
REVOKE ALL ON onions.records FROM PUBLIC;

-- The change sequence every write takes its next value from.
CREATE SEQUENCE IF NOT EXISTS onions.changes AS bigint;
ALTER SEQUENCE onions.changes OWNER TO onions_owner;
REVOKE ALL ON SEQUENCE onions.changes FROM PUBLIC;

CREATE OR REPLACE FUNCTION onions.schema_version() RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = onions, pg_temp
AS $$ SELECT 1 $$;

-- The NOTIFY channel of a vault: a digest of its id, which itself reveals nothing new.
CREATE OR REPLACE FUNCTION onions.channel(p_vault text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = onions, pg_temp
AS $$ SELECT 'onions_' || md5(p_vault) $$;

-- Internal: checks an auth key, counts failures, throttles. Locks the vault row until the end
-- of the transaction, so the writes of one vault happen (and take sequence values) in order.
CREATE OR REPLACE FUNCTION onions.check_key(p_vault text, p_auth bytea) RETURNS text
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
DECLARE
    v vaults%ROWTYPE;
BEGIN
    SELECT * INTO v FROM vaults WHERE vaults.vault = p_vault FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'novault';
    END IF;
    IF v.locked_until IS NOT NULL AND v.locked_until > clock_timestamp() THEN
        RETURN 'throttled';
    END IF;
    IF p_auth IS NOT NULL AND length(p_auth) <= 1024 AND sha256(p_auth) = v.verifier THEN
        IF v.failed_attempts <> 0 OR v.locked_until IS NOT NULL THEN
            UPDATE vaults SET failed_attempts = 0, locked_until = NULL
             WHERE vaults.vault = p_vault;
        END IF;
        RETURN 'ok';
    END IF;
    UPDATE vaults
       SET failed_attempts = least(v.failed_attempts + 1, 1000000),
           locked_until = CASE WHEN v.failed_attempts + 1 >= 5 THEN
               clock_timestamp() + least(interval '30 seconds' * power(2, least(v.failed_attempts - 4, 7)),
                                         interval '1 hour')
           END
     WHERE vaults.vault = p_vault;
    RETURN 'unauthorized';
END $$;

-- The public KDF parameters of a vault, or NULL when there is none. Needs no key.
CREATE OR REPLACE FUNCTION onions.prelogin(p_vault text) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$ SELECT v.parameters FROM vaults v WHERE v.vault = p_vault $$;

-- Creates a vault. Raises ON002 when the id is taken.
CREATE OR REPLACE FUNCTION onions.signup(p_vault text, p_parameters bytea, p_wrapped_key bytea,
                                         p_verifier bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
BEGIN
    IF p_vault IS NULL OR length(p_vault) NOT BETWEEN 1 AND 256
       OR p_parameters IS NULL OR length(p_parameters) > 4096
       OR p_wrapped_key IS NULL OR length(p_wrapped_key) > 4096
       OR p_verifier IS NULL OR length(p_verifier) <> 32 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid vault header';
    END IF;
    INSERT INTO vaults (vault, parameters, wrapped_key, verifier)
    VALUES (p_vault, p_parameters, p_wrapped_key, p_verifier)
    ON CONFLICT (vault) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'ON002', MESSAGE = 'onions: the vault exists';
    END IF;
END $$;

-- Checks an auth key (and counts a failure). Returns the status.
CREATE OR REPLACE FUNCTION onions.authorize(p_vault text, p_auth bytea) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
BEGIN
    RETURN check_key(p_vault, p_auth);
END $$;

-- The header: one row, with NULLs unless the status is 'ok'. (The verifier goes only to a
-- caller who just proved to hold the key it is the digest of.)
CREATE OR REPLACE FUNCTION onions.get_header(p_vault text, p_auth bytea)
RETURNS TABLE (status text, parameters bytea, wrapped_key bytea, verifier bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    s text := check_key(p_vault, p_auth);
BEGIN
    IF s <> 'ok' THEN
        RETURN QUERY SELECT s, NULL::bytea, NULL::bytea, NULL::bytea;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'ok'::text, v.parameters, v.wrapped_key, v.verifier
                   FROM vaults v WHERE v.vault = p_vault;
END $$;

-- Replaces the header if its parameters and wrapped key are still the expected ones (change of
-- password). Returns a status, or 'changed' when the header is not the expected one. Later
-- calls need the new auth key.
CREATE OR REPLACE FUNCTION onions.replace_header(p_vault text, p_auth bytea,
                                                 p_expected_parameters bytea,
                                                 p_expected_wrapped_key bytea,
                                                 p_parameters bytea, p_wrapped_key bytea,
                                                 p_verifier bytea) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    s text := check_key(p_vault, p_auth);
BEGIN
    IF s <> 'ok' THEN
        RETURN s;
    END IF;
    IF p_parameters IS NULL OR length(p_parameters) > 4096
       OR p_wrapped_key IS NULL OR length(p_wrapped_key) > 4096
       OR p_verifier IS NULL OR length(p_verifier) <> 32 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid vault header';
    END IF;
    UPDATE vaults v
       SET parameters = p_parameters, wrapped_key = p_wrapped_key, verifier = p_verifier
     WHERE v.vault = p_vault
       AND v.parameters = p_expected_parameters AND v.wrapped_key = p_expected_wrapped_key;
    IF NOT FOUND THEN
        RETURN 'changed';
    END IF;
    PERFORM pg_notify(channel(p_vault), nextval('changes')::text);
    RETURN 'ok';
END $$;

-- One live record: one row, with NULLs when the status is not 'ok' or the record is absent
-- or deleted.
CREATE OR REPLACE FUNCTION onions.get(p_vault text, p_auth bytea, p_name bytea)
RETURNS TABLE (status text, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    s text := check_key(p_vault, p_auth);
BEGIN
    IF s = 'ok' THEN
        RETURN QUERY SELECT 'ok'::text, r.version, r.blob, r.deleted, r.seq FROM records r
                      WHERE r.vault = p_vault AND r.name = p_name AND NOT r.deleted;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT s, NULL::bigint, NULL::bytea, NULL::boolean, NULL::bigint;
END $$;

-- Every record, tombstones included, changed after sequence value p_since, in sequence order.
-- When the status is not 'ok', one row carrying it.
CREATE OR REPLACE FUNCTION onions.pull(p_vault text, p_auth bytea, p_since bigint)
RETURNS TABLE (status text, name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    s text := check_key(p_vault, p_auth);
BEGIN
    IF s <> 'ok' THEN
        RETURN QUERY SELECT s, NULL::bytea, NULL::bigint, NULL::bytea, NULL::boolean, NULL::bigint;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'ok'::text, r.name, r.version, r.blob, r.deleted, r.seq FROM records r
                  WHERE r.vault = p_vault AND r.seq > coalesce(p_since, 0) ORDER BY r.seq;
END $$;

-- Every live record, in sequence order: what pull gives from the start, tombstones left out.
-- When the status is not 'ok', one row carrying it.
CREATE OR REPLACE FUNCTION onions.get_all(p_vault text, p_auth bytea)
RETURNS TABLE (status text, name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
    SELECT * FROM onions.pull(p_vault, p_auth, 0) AS p WHERE p.status <> 'ok' OR NOT p.deleted ORDER BY p.seq
$$;

-- Applies every write or none. Write i puts p_blobs[i] under p_names[i] (or deletes it when
-- p_is_delete[i]) if the record's version (0 when never written) is p_expected[i]; its new
-- version is that plus one. Each write takes the next sequence value; the last one comes back
-- with the status (an empty batch returns the vault's highest). Raises ON001 on a conflict.
-- A name may appear twice: each write sees the ones before it.
CREATE OR REPLACE FUNCTION onions.apply(p_vault text, p_auth bytea, p_names bytea[],
                                        p_blobs bytea[], p_expected bigint[],
                                        p_is_delete boolean[])
RETURNS TABLE (status text, seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    s text := check_key(p_vault, p_auth);
    n integer := coalesce(cardinality(p_names), 0);
    current_version bigint;
    last_seq bigint;
BEGIN
    IF s <> 'ok' THEN
        RETURN QUERY SELECT s, NULL::bigint;
        RETURN;
    END IF;
    IF coalesce(cardinality(p_blobs), 0) <> n OR coalesce(cardinality(p_expected), 0) <> n
       OR coalesce(cardinality(p_is_delete), 0) <> n OR n > 100000 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid batch';
    END IF;
    SELECT coalesce(max(r.seq), 0) INTO last_seq FROM records r WHERE r.vault = p_vault;
    FOR i IN 1 .. n LOOP
        IF p_names[i] IS NULL OR length(p_names[i]) NOT BETWEEN 1 AND 64
           OR p_expected[i] IS NULL OR p_expected[i] < 0 OR p_is_delete[i] IS NULL
           OR (NOT p_is_delete[i] AND (p_blobs[i] IS NULL OR length(p_blobs[i]) > 67108864)) THEN
            RAISE EXCEPTION USING ERRCODE = 'ON003',
                MESSAGE = format('onions: invalid write %s of the batch', i - 1);
        END IF;
        SELECT r.version INTO current_version FROM records r
         WHERE r.vault = p_vault AND r.name = p_names[i] FOR UPDATE;
        current_version := coalesce(current_version, 0);
        IF current_version <> p_expected[i] THEN
            -- Report what stays after the rollback: for a name written earlier in this batch,
            -- the version its first write expected.
            FOR j IN 1 .. i - 1 LOOP
                IF p_names[j] = p_names[i] THEN
                    current_version := p_expected[j];
                    EXIT;
                END IF;
            END LOOP;
            RAISE EXCEPTION USING ERRCODE = 'ON001',
                MESSAGE = format('onions: conflict at write %s of the batch: current version %s',
                                 i - 1, current_version),
                DETAIL = format('index=%s version=%s', i - 1, current_version);
        END IF;
        last_seq := nextval('changes');
        INSERT INTO records AS r (vault, name, version, blob, deleted, seq)
        VALUES (p_vault, p_names[i], current_version + 1,
                CASE WHEN p_is_delete[i] THEN '\x'::bytea ELSE p_blobs[i] END,
                p_is_delete[i], last_seq)
        ON CONFLICT (vault, name) DO UPDATE
           SET version = EXCLUDED.version, blob = EXCLUDED.blob,
               deleted = EXCLUDED.deleted, seq = EXCLUDED.seq;
    END LOOP;
    IF n > 0 THEN
        PERFORM pg_notify(channel(p_vault), last_seq::text);
    END IF;
    RETURN QUERY SELECT 'ok'::text, last_seq;
END $$;

-- Removes a vault's header and every record, tombstones included. Returns the status.
CREATE OR REPLACE FUNCTION onions.delete_vault(p_vault text, p_auth bytea) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    s text := check_key(p_vault, p_auth);
BEGIN
    IF s <> 'ok' THEN
        RETURN s;
    END IF;
    DELETE FROM records r WHERE r.vault = p_vault;
    DELETE FROM vaults v WHERE v.vault = p_vault;
    PERFORM pg_notify(channel(p_vault), nextval('changes')::text);
    RETURN 'ok';
END $$;

ALTER FUNCTION onions.schema_version() OWNER TO onions_owner;
ALTER FUNCTION onions.channel(text) OWNER TO onions_owner;
ALTER FUNCTION onions.check_key(text, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.prelogin(text) OWNER TO onions_owner;
ALTER FUNCTION onions.signup(text, bytea, bytea, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.authorize(text, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.get_header(text, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.replace_header(text, bytea, bytea, bytea, bytea, bytea, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.get(text, bytea, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.get_all(text, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.pull(text, bytea, bigint) OWNER TO onions_owner;
ALTER FUNCTION onions.apply(text, bytea, bytea[], bytea[], bigint[], boolean[]) OWNER TO onions_owner;
ALTER FUNCTION onions.delete_vault(text, bytea) OWNER TO onions_owner;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA onions FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    onions.schema_version(),
    onions.channel(text),
    onions.prelogin(text),
    onions.signup(text, bytea, bytea, bytea),
    onions.authorize(text, bytea),
    onions.get_header(text, bytea),
    onions.replace_header(text, bytea, bytea, bytea, bytea, bytea, bytea),
    onions.get(text, bytea, bytea),
    onions.get_all(text, bytea),
    onions.pull(text, bytea, bigint),
    onions.apply(text, bytea, bytea[], bytea[], bigint[], boolean[]),
    onions.delete_vault(text, bytea)
TO onions_client;
"""#
}
