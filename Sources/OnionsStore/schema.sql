-- The onions server schema, version 6 (onions.schema_version() returns it).
--
-- Install it as a superuser with `onions server init`; running it again is harmless, and it
-- upgrades a version 5 schema in place (version 6 adds remove_records: clients store records
-- under a fresh name per version and remove the versions they let go, see the last block), a
-- version 4 schema (version 5 adds get_head and held_commits, see their
-- block near the end; pull_versions and get_many, with which a first sync reads the versions of
-- every record, then their blobs a page at a time; and keeps the rows a write replaces, see the
-- block at the end), a version 3 schema (version 4: replace_header moves a vault to a role
-- name left retired, as a sign-up tried against a restored server leaves one; and a session's
-- vault is found through the index on its role instead of by reading every vault), a version 2
-- schema (version 3 added the commits table and its two functions), and a version 1 schema: its data stays, but a version 1 vault has no login role
-- and this version does not open it (moving it needs its auth key in a call, which no call
-- carries any more).
--
-- Roles:
--   onions_owner   NOLOGIN, owns the tables and every function, may create the vaults' roles.
--   onions_signup  LOGIN with the public password 'onions-signup'. May only EXECUTE prelogin
--                  and signup (and awaits_migration, which says false): anyone may sign up,
--                  no admin step per person. Holds at most half of the server's connections.
--   onions_client  NOLOGIN group of every vault's role. May only EXECUTE the vault functions,
--                  which map session_user to its one vault; no role has any table privilege.
--   onions_v_<32 hex>  one LOGIN role per vault, its password a SCRAM-SHA-256 verifier the
--                  client computed; its name derives from the vault's auth key (FORMAT.md), so
--                  only the password holder can name it. PostgreSQL checks the password at
--                  connection time (SCRAM), where a failure is delayed by auth_delay and no
--                  transaction can undo anything: no call carries a key, and nothing counts
--                  failures that another role could trigger or roll back.
-- The server stores opaque bytes: vault ids are stretched usernames, record names are HMACs,
-- blobs and wrapped keys are ciphertext.
--
-- Errors carry their own SQLSTATE:
--   ON001  compare-and-set conflict; DETAIL 'index=<i> version=<v>' names the 0-based index of
--          the first write whose record is at version v, not the expected one
--   ON002  signup for a vault id (or role) that exists
--   ON003  an argument out of range (sizes, array lengths, NULLs, malformed role or verifier)
--   ON004  the session's role has no vault (never had, deleted, or its password was changed)
-- Every change announces itself with pg_notify(<the vault's random channel>, <sequence value>).
--
-- Sent as one simple query (as installSchema does) the script is one transaction. Roles belong to
-- the whole cluster, not to one database, and two transactions that alter the same role at once
-- fail ("tuple concurrently updated"): locking the shared role catalog makes installs into any
-- databases of the cluster wait for each other (a sign-up's CREATE ROLE waits too, briefly).
LOCK TABLE pg_catalog.pg_authid IN SHARE ROW EXCLUSIVE MODE;

DO $$
BEGIN
    CREATE ROLE onions_owner NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
ALTER ROLE onions_owner NOLOGIN CREATEROLE;

DO $$
BEGIN
    CREATE ROLE onions_client NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
-- From PostgreSQL 16 on, granting membership needs ADMIN OPTION even with CREATEROLE.
GRANT onions_client TO onions_owner WITH ADMIN OPTION;

DO $$
BEGIN
    CREATE ROLE onions_signup LOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
ALTER ROLE onions_signup LOGIN NOINHERIT PASSWORD 'onions-signup';

CREATE SCHEMA IF NOT EXISTS onions AUTHORIZATION onions_owner;
ALTER SCHEMA onions OWNER TO onions_owner;
REVOKE ALL ON SCHEMA onions FROM PUBLIC;
GRANT USAGE ON SCHEMA onions TO onions_client, onions_signup;

-- One header per vault: public KDF parameters, the wrapped data key, the vault's login role,
-- its random NOTIFY channel. legacy_verifier is SHA-256 of the auth key of a vault made by
-- schema version 1 that had not moved to its role (role NULL) when this version came.
CREATE TABLE IF NOT EXISTS onions.vaults (
    vault           text PRIMARY KEY,
    parameters      bytea NOT NULL,
    wrapped_key     bytea NOT NULL,
    role            text UNIQUE,
    channel         text NOT NULL,
    legacy_verifier bytea
);
-- Upgrade from version 1: its verifier becomes the legacy one, its failure counters go.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = 'onions' AND table_name = 'vaults' AND column_name = 'verifier') THEN
        ALTER TABLE onions.vaults RENAME COLUMN verifier TO legacy_verifier;
        ALTER TABLE onions.vaults ALTER COLUMN legacy_verifier DROP NOT NULL;
        ALTER TABLE onions.vaults DROP COLUMN IF EXISTS failed_attempts;
        ALTER TABLE onions.vaults DROP COLUMN IF EXISTS locked_until;
        ALTER TABLE onions.vaults ADD COLUMN role text UNIQUE;
        ALTER TABLE onions.vaults ADD COLUMN channel text;
        UPDATE onions.vaults SET channel = 'onions_' || replace(gen_random_uuid()::text, '-', '');
        ALTER TABLE onions.vaults ALTER COLUMN channel SET NOT NULL;
    END IF;
END $$;
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

-- Commits (FORMAT.md "Commits"): sealed, 2,078 bytes each, named by their SHA-256. Append-only:
-- add_commits inserts, no function updates or deletes one; they go only with their vault
-- (delete_vault, by the cascade).
CREATE TABLE IF NOT EXISTS onions.commits (
    vault text NOT NULL REFERENCES onions.vaults (vault) ON DELETE CASCADE,
    seq   bigint NOT NULL,
    hash  bytea NOT NULL CHECK (length(hash) = 32),
    blob  bytea NOT NULL CHECK (length(blob) = 2078 AND sha256(blob) = hash),
    PRIMARY KEY (vault, hash)
);
CREATE INDEX IF NOT EXISTS commits_vault_seq ON onions.commits (vault, seq);
ALTER TABLE onions.commits OWNER TO onions_owner;
REVOKE ALL ON onions.commits FROM PUBLIC;

-- Roles of deleted vaults and of changed passwords, dropped by a later call of another session
-- (PostgreSQL cannot drop or rename the role of the session that asks).
CREATE TABLE IF NOT EXISTS onions.retired_roles (
    role text PRIMARY KEY
);
ALTER TABLE onions.retired_roles OWNER TO onions_owner;
REVOKE ALL ON onions.retired_roles FROM PUBLIC;

-- The transactions that signed up (signup), so that prelogin answers every id with made-up
-- parameters in them: a sign-up's outcome is not to be read before it is committed.
CREATE TABLE IF NOT EXISTS onions.signup_marks (
    xact xid8 PRIMARY KEY
);
ALTER TABLE onions.signup_marks OWNER TO onions_owner;
REVOKE ALL ON onions.signup_marks FROM PUBLIC;

-- A random secret made at install, from which prelogin makes the answer for unknown vault ids.
CREATE TABLE IF NOT EXISTS onions.install_secret (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    secret bytea NOT NULL
);
INSERT INTO onions.install_secret (secret)
VALUES (sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')))
ON CONFLICT DO NOTHING;
ALTER TABLE onions.install_secret OWNER TO onions_owner;
REVOKE ALL ON onions.install_secret FROM PUBLIC;

-- The change sequence every write takes its next value from.
CREATE SEQUENCE IF NOT EXISTS onions.changes AS bigint;
ALTER SEQUENCE onions.changes OWNER TO onions_owner;
REVOKE ALL ON SEQUENCE onions.changes FROM PUBLIC;

-- Version 1's functions took the auth key as an argument: gone.
DROP FUNCTION IF EXISTS onions.channel(text);
DROP FUNCTION IF EXISTS onions.check_key(text, bytea);
DROP FUNCTION IF EXISTS onions.signup(text, bytea, bytea, bytea);
DROP FUNCTION IF EXISTS onions.authorize(text, bytea);
DROP FUNCTION IF EXISTS onions.get_header(text, bytea);
DROP FUNCTION IF EXISTS onions.replace_header(text, bytea, bytea, bytea, bytea, bytea, bytea);
DROP FUNCTION IF EXISTS onions.get(text, bytea, bytea);
DROP FUNCTION IF EXISTS onions.get_all(text, bytea);
DROP FUNCTION IF EXISTS onions.pull(text, bytea, bigint);
DROP FUNCTION IF EXISTS onions.apply(text, bytea, bytea[], bytea[], bigint[], boolean[]);
-- An earlier draft of version 2 landed every write one above the expected version; the
-- drafts before onions.take_turn() lack it, which running this script again adds.
DROP FUNCTION IF EXISTS onions.apply(bytea[], bytea[], bigint[], boolean[]);
DROP FUNCTION IF EXISTS onions.delete_vault(text, bytea);
-- Earlier installs of version 2 moved a version 1 vault to its login when the client sent its
-- auth key, which a server could ask for at will (by claiming the vault awaited the move): no
-- call carries a key now. migrate is gone; awaits_migration stays, answering false for every
-- id, so that clients of those installs still say "wrong password" and never send a key.
DROP FUNCTION IF EXISTS onions.migrate(text, bytea, text, text);
CREATE OR REPLACE FUNCTION onions.awaits_migration(p_vault text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = onions, pg_temp
AS $$ SELECT false $$;

CREATE OR REPLACE FUNCTION onions.schema_version() RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = onions, pg_temp
AS $$ SELECT 6 $$;

-- Internal: a new random NOTIFY channel name (122 random bits; a name has 63 bytes at most).
CREATE OR REPLACE FUNCTION onions.new_channel() RETURNS text
LANGUAGE sql VOLATILE SET search_path = onions, pg_temp
AS $$ SELECT 'onions_' || replace(gen_random_uuid()::text, '-', '') $$;

-- Internal: refuses a role name or SCRAM verifier of the wrong form (ON003).
CREATE OR REPLACE FUNCTION onions.check_login(p_role text, p_verifier text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = onions, pg_temp
AS $$
BEGIN
    IF p_role IS NULL OR p_role !~ '^onions_v_[0-9a-f]{32}$'
       OR p_verifier IS NULL OR length(p_verifier) > 512
       OR p_verifier !~ '^SCRAM-SHA-256\$[0-9]{4,7}:[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$'
       OR split_part(split_part(p_verifier, '$', 2), ':', 1)::integer < 4096 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid login role or verifier';
    END IF;
END $$;

-- Internal: creates a vault's login role; ON002 when the name is taken.
CREATE OR REPLACE FUNCTION onions.create_login(p_role text, p_verifier text) RETURNS void
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
BEGIN
    PERFORM check_login(p_role, p_verifier);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON002', MESSAGE = 'onions: the vault exists';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE onions_client', p_role, p_verifier);
END $$;

-- Internal: takes a role off its vault (it can no longer log in or reach anything); the role
-- itself is dropped later by drop_retired.
CREATE OR REPLACE FUNCTION onions.retire_login(p_role text) RETURNS void
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
BEGIN
    IF p_role IS NULL OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        RETURN;
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_role);
    EXECUTE format('REVOKE onions_client FROM %I', p_role);
    INSERT INTO retired_roles (role) VALUES (p_role) ON CONFLICT DO NOTHING;
END $$;

-- Internal: drops the retired roles that no session uses now.
CREATE OR REPLACE FUNCTION onions.drop_retired() RETURNS void
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
DECLARE
    r text;
BEGIN
    FOR r IN SELECT t.role FROM retired_roles t
              WHERE t.role <> session_user
                AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.usename = t.role) LOOP
        BEGIN
            EXECUTE format('DROP ROLE IF EXISTS %I', r);
            DELETE FROM retired_roles WHERE role = r;
        EXCEPTION WHEN OTHERS THEN NULL;
        END;
    END LOOP;
END $$;

-- Internal: the vault of the session's role, its row locked until the end of the transaction
-- when p_lock (so the writes of one vault happen, and take sequence values, in order).
-- Raises ON004 when the role has none. session_user is of type name, whose collation ("C")
-- is not the column's: compared as it is, no index serves it and every call reads all vaults.
CREATE OR REPLACE FUNCTION onions.my_vault(p_lock boolean) RETURNS text
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
DECLARE
    v text;
BEGIN
    IF p_lock THEN
        SELECT vaults.vault INTO v FROM vaults WHERE vaults.role = session_user::text COLLATE "default" FOR UPDATE;
    ELSE
        SELECT vaults.vault INTO v FROM vaults WHERE vaults.role = session_user::text COLLATE "default";
    END IF;
    IF v IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'ON004', MESSAGE = 'onions: this login has no vault';
    END IF;
    RETURN v;
END $$;

-- The public KDF parameters of a vault. For an unknown id: parameters of the same 43-byte
-- layout (format 1, scrypt, r = 8, p = 1, salt, vault UUID) made from the install secret and
-- the id, so the answer is the same every time and reads like a real vault's: its cost is
-- 2^17 (the default) for half of the ids and 2^15, 2^16, 2^18, 2^19 or 2^20 (what
-- `--kdf-cost` gives) for the others, so a cost other than the default tells nothing either.
-- What still differs: a real vault's salt changes when its password does; a made-up one never.
CREATE OR REPLACE FUNCTION onions.prelogin(p_vault text) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
    SELECT coalesce(
        (SELECT v.parameters FROM vaults v
          WHERE v.vault = p_vault
            AND NOT EXISTS (SELECT 1 FROM signup_marks m WHERE m.xact = pg_current_xact_id_if_assigned())),
        (SELECT '\x0101'::bytea
                || set_byte('\x00'::bytea, 0,
                            CASE WHEN c < 128 THEN 17 WHEN c < 160 THEN 15 WHEN c < 192 THEN 16
                                 WHEN c < 224 THEN 18 WHEN c < 240 THEN 19 ELSE 20 END)
                || '\x0000000800000001'::bytea
                || substring(sha256(s.secret || '\x00'::bytea || convert_to(coalesce(p_vault, ''), 'UTF8')) FROM 1 FOR 16)
                || substring(sha256(s.secret || '\x01'::bytea || convert_to(coalesce(p_vault, ''), 'UTF8')) FROM 1 FOR 16)
           FROM install_secret s,
                LATERAL (SELECT get_byte(sha256(s.secret || '\x02'::bytea
                                                || convert_to(coalesce(p_vault, ''), 'UTF8')), 0) AS c) cost))
$$;

-- Internal: makes the sign-ups of one vault id wait for each other, taken or free alike, until
-- the first one's transaction ends. Without it a second sign-up waited on the first's
-- uncommitted vault row only when the id was free, so two sessions could read the outcome from
-- the wait and roll both back. The lock's key is a keyed hash of the id (the install secret),
-- so pg_locks, which every role reads, does not say which id is being signed up.
CREATE OR REPLACE FUNCTION onions.signup_queue(p_vault text) RETURNS void
LANGUAGE sql SET search_path = onions, pg_temp
AS $$
    SELECT pg_advisory_xact_lock(('x' || encode(substring(sha256(s.secret || '\x03'::bytea
                                                                   || convert_to(coalesce(p_vault, ''), 'UTF8'))
                                                            FROM 1 FOR 8), 'hex'))::bit(64)::bigint)
      FROM install_secret s
$$;

-- Creates a vault and its login role, whose password is the SCRAM-SHA-256 verifier p_verifier.
-- Says nothing about whether the vault id was free: the caller learns it by logging in as the
-- role once the transaction is committed (the log in succeeds; for a taken id the role was made
-- with a password nobody knows, so the log in fails, with the auth_delay, and the role is
-- dropped later). Every call first waits as long as a failed log in does
-- (auth_delay.milliseconds), before it looks at anything, so a statement timeout or a cancel
-- ends it before it has looked; one transaction may sign up once, and prelogin answers every id
-- with made-up parameters after it: nothing in a transaction that is rolled back tells.
-- Raises ON002 when the role exists (the caller's own key signed up before), ON003 on
-- malformed arguments.
CREATE OR REPLACE FUNCTION onions.signup(p_vault text, p_role text, p_verifier text,
                                         p_parameters bytea, p_wrapped_key bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    keys bytea := sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'));
    other bytea := sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'));
BEGIN
    IF p_vault IS NULL OR length(p_vault) NOT BETWEEN 1 AND 256
       OR p_parameters IS NULL OR length(p_parameters) > 4096
       OR p_wrapped_key IS NULL OR length(p_wrapped_key) > 4096 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid vault header';
    END IF;
    PERFORM check_login(p_role, p_verifier);
    PERFORM pg_sleep(coalesce((SELECT setting::integer FROM pg_settings WHERE name = 'auth_delay.milliseconds'), 0)
                     / 1000.0);
    PERFORM signup_queue(p_vault);
    IF EXISTS (SELECT 1 FROM signup_marks WHERE xact = pg_current_xact_id()) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: one sign-up per transaction';
    END IF;
    DELETE FROM signup_marks WHERE ctid IN (SELECT ctid FROM signup_marks FOR UPDATE SKIP LOCKED);
    INSERT INTO signup_marks (xact) VALUES (pg_current_xact_id());
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON002', MESSAGE = 'onions: the vault exists';
    END IF;
    PERFORM drop_retired();
    INSERT INTO vaults (vault, parameters, wrapped_key, role, channel)
    VALUES (p_vault, p_parameters, p_wrapped_key, NULL, new_channel())
    ON CONFLICT (vault) DO NOTHING;
    IF NOT FOUND THEN
        -- Taken: a role like a new vault's, whose keys are random; retired, so dropped later.
        PERFORM create_login(p_role, split_part(p_verifier, '$', 1) || '$' || split_part(p_verifier, '$', 2)
                                     || '$' || encode(keys, 'base64') || ':' || encode(other, 'base64'));
        INSERT INTO retired_roles (role) VALUES (p_role) ON CONFLICT DO NOTHING;
        RETURN;
    END IF;
    PERFORM create_login(p_role, p_verifier);
    UPDATE vaults SET role = p_role WHERE vault = p_vault;
END $$;

-- The id of the session's vault (a client checks that it logged in to the vault it meant).
CREATE OR REPLACE FUNCTION onions.vault_id() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
BEGIN
    RETURN my_vault(false);
END $$;

-- The NOTIFY channel of the session's vault: random, and given to no other role.
CREATE OR REPLACE FUNCTION onions.channel() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN (SELECT v.channel FROM vaults v WHERE v.vault = my);
END $$;

-- The header of the session's vault.
CREATE OR REPLACE FUNCTION onions.header()
RETURNS TABLE (parameters bytea, wrapped_key bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT v.parameters, v.wrapped_key FROM vaults v WHERE v.vault = my;
END $$;

-- Replaces the header if its parameters and wrapped key are still the expected ones (change of
-- password), and moves the vault to a new login role (p_role, p_verifier) whose name and
-- password come from the new auth key. The session's role is retired. Returns 'ok', or
-- 'changed' when the header is not the expected one.
CREATE OR REPLACE FUNCTION onions.replace_header(p_expected_parameters bytea, p_expected_wrapped_key bytea,
                                                 p_parameters bytea, p_wrapped_key bytea,
                                                 p_role text, p_verifier text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    v vaults%ROWTYPE;
BEGIN
    SELECT * INTO v FROM vaults WHERE vaults.vault = my;
    IF p_parameters IS NULL OR length(p_parameters) > 4096
       OR p_wrapped_key IS NULL OR length(p_wrapped_key) > 4096 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid vault header';
    END IF;
    IF v.parameters IS DISTINCT FROM p_expected_parameters OR v.wrapped_key IS DISTINCT FROM p_expected_wrapped_key THEN
        RETURN 'changed';
    END IF;
    IF p_role IS DISTINCT FROM v.role THEN
        -- A role of that name left retired and owned by no vault (the decoy a sign-up makes
        -- when a server restored to before a password change refuses the newer key) goes first.
        IF EXISTS (SELECT 1 FROM retired_roles t WHERE t.role = p_role)
           AND NOT EXISTS (SELECT 1 FROM vaults w WHERE w.role = p_role) THEN
            EXECUTE format('DROP ROLE IF EXISTS %I', p_role);
            DELETE FROM retired_roles t WHERE t.role = p_role;
        END IF;
        PERFORM create_login(p_role, p_verifier);
        PERFORM retire_login(v.role);
    END IF;
    UPDATE vaults SET parameters = p_parameters, wrapped_key = p_wrapped_key, role = p_role
     WHERE vault = v.vault;
    PERFORM pg_notify(v.channel, nextval('changes')::text);
    RETURN 'ok';
END $$;

-- The session's vault's turn to sync: locks its row until the end of the caller's transaction
-- (the same lock apply takes), so that machines taking turns sync one after another instead
-- of racing for the manifest; compare-and-set still guards every write. Only the vault's own
-- role reaches its row, so no one else can hold up its turns.
CREATE OR REPLACE FUNCTION onions.take_turn() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
BEGIN
    PERFORM my_vault(true);
END $$;

-- One live record of the session's vault: no row when it is absent or deleted.
CREATE OR REPLACE FUNCTION onions.get(p_name bytea)
RETURNS TABLE (version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT r.version, r.blob, r.deleted, r.seq FROM records r
                  WHERE r.vault = my AND r.name = p_name AND NOT r.deleted;
END $$;

-- Every record of the session's vault, tombstones included, changed after sequence value
-- p_since, in sequence order.
CREATE OR REPLACE FUNCTION onions.pull(p_since bigint)
RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT r.name, r.version, r.blob, r.deleted, r.seq FROM records r
                  WHERE r.vault = my AND r.seq > coalesce(p_since, 0) ORDER BY r.seq;
END $$;

-- What pull gives without the blobs: name, version, tombstone flag and sequence value of every
-- record of the session's vault changed after sequence value p_since, in sequence order.
CREATE OR REPLACE FUNCTION onions.pull_versions(p_since bigint)
RETURNS TABLE (name bytea, version bigint, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT r.name, r.version, r.deleted, r.seq FROM records r
                  WHERE r.vault = my AND r.seq > coalesce(p_since, 0) ORDER BY r.seq;
END $$;

-- The live records of the session's vault among p_names (at most 10,000 names; ON003 beyond),
-- in sequence order: what get gives for each, in one call.
CREATE OR REPLACE FUNCTION onions.get_many(p_names bytea[])
RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    IF coalesce(cardinality(p_names), 0) > 10000 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: too many names in one call';
    END IF;
    RETURN QUERY SELECT r.name, r.version, r.blob, r.deleted, r.seq FROM records r
                  WHERE r.vault = my AND r.name = ANY (p_names) AND NOT r.deleted ORDER BY r.seq;
END $$;

-- Every live record of the session's vault, in sequence order.
CREATE OR REPLACE FUNCTION onions.get_all()
RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT r.name, r.version, r.blob, r.deleted, r.seq FROM records r
                  WHERE r.vault = my AND NOT r.deleted ORDER BY r.seq;
END $$;

-- Applies every write or none to the session's vault. Write i puts p_blobs[i] under
-- p_names[i] (or deletes it when p_is_delete[i]) if the record's version (0 when never written)
-- is p_expected[i]; its new version is p_versions[i], which must be greater (it may skip
-- versions: the client sealed the blob for it). Each write takes the next sequence value; the
-- last one comes back (an empty batch returns the vault's highest). Raises ON001 on a conflict
-- (another version held, or a new version not above it). A name may appear twice: each write
-- sees the ones before it.
CREATE OR REPLACE FUNCTION onions.apply(p_names bytea[], p_blobs bytea[], p_expected bigint[],
                                        p_versions bigint[], p_is_delete boolean[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    n integer := coalesce(cardinality(p_names), 0);
    current_version bigint;
    last_seq bigint;
BEGIN
    IF coalesce(cardinality(p_blobs), 0) <> n OR coalesce(cardinality(p_expected), 0) <> n
       OR coalesce(cardinality(p_versions), 0) <> n
       OR coalesce(cardinality(p_is_delete), 0) <> n OR n > 100000 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid batch';
    END IF;
    SELECT coalesce(max(r.seq), 0) INTO last_seq FROM records r WHERE r.vault = my;
    FOR i IN 1 .. n LOOP
        IF p_names[i] IS NULL OR length(p_names[i]) NOT BETWEEN 1 AND 64
           OR p_expected[i] IS NULL OR p_expected[i] < 0 OR p_versions[i] IS NULL OR p_is_delete[i] IS NULL
           OR (NOT p_is_delete[i] AND (p_blobs[i] IS NULL OR length(p_blobs[i]) > 67108864)) THEN
            RAISE EXCEPTION USING ERRCODE = 'ON003',
                MESSAGE = format('onions: invalid write %s of the batch', i - 1);
        END IF;
        SELECT r.version INTO current_version FROM records r
         WHERE r.vault = my AND r.name = p_names[i] FOR UPDATE;
        current_version := coalesce(current_version, 0);
        IF current_version <> p_expected[i] OR p_versions[i] <= current_version THEN
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
        VALUES (my, p_names[i], p_versions[i],
                CASE WHEN p_is_delete[i] THEN '\x'::bytea ELSE p_blobs[i] END,
                p_is_delete[i], last_seq)
        ON CONFLICT (vault, name) DO UPDATE
           SET version = EXCLUDED.version, blob = EXCLUDED.blob,
               deleted = EXCLUDED.deleted, seq = EXCLUDED.seq;
    END LOOP;
    IF n > 0 THEN
        PERFORM pg_notify(v.channel, last_seq::text) FROM vaults v WHERE v.vault = my;
    END IF;
    RETURN last_seq;
END $$;

-- Inserts sealed commits into the session's vault: each stored under its SHA-256, computed
-- here; one already held is left as it is (append-only). Raises ON003 for a blob of another
-- size or a batch over 10,000. Returns the vault's highest commit sequence value.
CREATE OR REPLACE FUNCTION onions.add_commits(p_blobs bytea[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    n integer := coalesce(cardinality(p_blobs), 0);
BEGIN
    IF n > 10000 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid batch of commits';
    END IF;
    FOR i IN 1 .. n LOOP
        IF p_blobs[i] IS NULL OR length(p_blobs[i]) <> 2078 THEN
            RAISE EXCEPTION USING ERRCODE = 'ON003',
                MESSAGE = format('onions: invalid commit %s of the batch', i - 1);
        END IF;
        INSERT INTO commits (vault, seq, hash, blob)
        VALUES (my, nextval('changes'), sha256(p_blobs[i]), p_blobs[i])
        ON CONFLICT (vault, hash) DO NOTHING;
    END LOOP;
    RETURN (SELECT coalesce(max(c.seq), 0) FROM commits c WHERE c.vault = my);
END $$;

-- Every commit of the session's vault inserted after sequence value p_since, in order.
CREATE OR REPLACE FUNCTION onions.pull_commits(p_since bigint)
RETURNS TABLE (seq bigint, blob bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT c.seq, c.blob FROM commits c
                  WHERE c.vault = my AND c.seq > coalesce(p_since, 0) ORDER BY c.seq;
END $$;

-- Removes the session's vault: header, every record, tombstones included; retires its role.
CREATE OR REPLACE FUNCTION onions.delete_vault() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    v vaults%ROWTYPE;
BEGIN
    SELECT * INTO v FROM vaults WHERE vaults.vault = my;
    DELETE FROM records r WHERE r.vault = v.vault;
    DELETE FROM vaults WHERE vault = v.vault;
    PERFORM retire_login(v.role);
    PERFORM pg_notify(v.channel, nextval('changes')::text);
END $$;

ALTER FUNCTION onions.schema_version() OWNER TO onions_owner;
ALTER FUNCTION onions.new_channel() OWNER TO onions_owner;
ALTER FUNCTION onions.check_login(text, text) OWNER TO onions_owner;
ALTER FUNCTION onions.create_login(text, text) OWNER TO onions_owner;
ALTER FUNCTION onions.retire_login(text) OWNER TO onions_owner;
ALTER FUNCTION onions.drop_retired() OWNER TO onions_owner;
ALTER FUNCTION onions.my_vault(boolean) OWNER TO onions_owner;
ALTER FUNCTION onions.prelogin(text) OWNER TO onions_owner;
ALTER FUNCTION onions.signup(text, text, text, bytea, bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.signup_queue(text) OWNER TO onions_owner;
ALTER FUNCTION onions.awaits_migration(text) OWNER TO onions_owner;
ALTER FUNCTION onions.vault_id() OWNER TO onions_owner;
ALTER FUNCTION onions.channel() OWNER TO onions_owner;
ALTER FUNCTION onions.header() OWNER TO onions_owner;
ALTER FUNCTION onions.replace_header(bytea, bytea, bytea, bytea, text, text) OWNER TO onions_owner;
ALTER FUNCTION onions.take_turn() OWNER TO onions_owner;
ALTER FUNCTION onions.get(bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.pull(bigint) OWNER TO onions_owner;
ALTER FUNCTION onions.get_all() OWNER TO onions_owner;
ALTER FUNCTION onions.pull_versions(bigint) OWNER TO onions_owner;
ALTER FUNCTION onions.get_many(bytea[]) OWNER TO onions_owner;
ALTER FUNCTION onions.apply(bytea[], bytea[], bigint[], bigint[], boolean[]) OWNER TO onions_owner;
ALTER FUNCTION onions.delete_vault() OWNER TO onions_owner;
ALTER FUNCTION onions.add_commits(bytea[]) OWNER TO onions_owner;
ALTER FUNCTION onions.pull_commits(bigint) OWNER TO onions_owner;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA onions FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA onions FROM onions_client, onions_signup;
GRANT EXECUTE ON FUNCTION
    onions.schema_version(),
    onions.prelogin(text),
    onions.signup(text, text, text, bytea, bytea),
    onions.awaits_migration(text)
TO onions_signup;
GRANT EXECUTE ON FUNCTION
    onions.schema_version(),
    onions.vault_id(),
    onions.channel(),
    onions.header(),
    onions.replace_header(bytea, bytea, bytea, bytea, text, text),
    onions.take_turn(),
    onions.get(bytea),
    onions.pull(bigint),
    onions.get_all(),
    onions.pull_versions(bigint),
    onions.get_many(bytea[]),
    onions.apply(bytea[], bytea[], bigint[], bigint[], boolean[]),
    onions.delete_vault(),
    onions.add_commits(bytea[]),
    onions.pull_commits(bigint)
TO onions_client;

-- Version 5, the holder of a cut commit (issue 26): the head record read with how many commits
-- the vault holds, in one statement, so that a machine holding every commit of the head's
-- history sees at no extra call that the server holds fewer (one cut from the middle, or
-- withheld); it then asks which of its commits the server holds (held_commits) and sends the
-- missing ones again with add_commits. Both only read, and only the session's vault.
--
-- The head record as get returns it (its columns NULL when it is absent or deleted) and the
-- number of commits the session's vault holds: always one row.
CREATE OR REPLACE FUNCTION onions.get_head(p_name bytea)
RETURNS TABLE (version bigint, blob bytea, deleted boolean, seq bigint, commit_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT r.version, r.blob, r.deleted, r.seq,
                        (SELECT count(*) FROM commits c WHERE c.vault = my)
                   FROM (SELECT 1) AS one
                   LEFT JOIN records r ON r.vault = my AND r.name = p_name AND NOT r.deleted;
END $$;

-- Which of the given commit hashes the session's vault holds (at most 10,000 a call, else ON003).
CREATE OR REPLACE FUNCTION onions.held_commits(p_hashes bytea[])
RETURNS TABLE (hash bytea)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    IF coalesce(cardinality(p_hashes), 0) > 10000 THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid batch of commit hashes';
    END IF;
    RETURN QUERY SELECT c.hash FROM commits c WHERE c.vault = my AND c.hash = ANY (p_hashes);
END $$;

ALTER FUNCTION onions.get_head(bytea) OWNER TO onions_owner;
ALTER FUNCTION onions.held_commits(bytea[]) OWNER TO onions_owner;
REVOKE ALL ON FUNCTION onions.get_head(bytea), onions.held_commits(bytea[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION onions.get_head(bytea), onions.held_commits(bytea[]) TO onions_client;
-- End of version 5's block for the holder of a cut commit.

-- Who is online is nobody's business: in this database no role but the owners of the schema
-- (and superusers) reads the sessions' list, so neither the sign-up login nor a vault's role
-- sees which vaults' roles are connected. (pg_roles still lists every role's name: a vault's
-- role name derives from its key, so it says that some vault exists, not whose.)
REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_backend_userid(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_backend_activity_start(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_get_backend_client_addr(integer) FROM PUBLIC;
GRANT SELECT ON pg_catalog.pg_stat_activity TO onions_owner;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO onions_owner;

-- The public sign-up login may hold at most half of the server's connections, so that a flood
-- of it leaves room for the vaults' own log ins.
DO $$
BEGIN
    EXECUTE format('ALTER ROLE onions_signup CONNECTION LIMIT %s',
                   greatest(1, (current_setting('max_connections')::integer
                                - current_setting('superuser_reserved_connections')::integer) / 2));
END $$;

-- Version 5: earlier versions of records (FORMAT.md "Versions and trash"). When a write
-- replaces a record of the small or large class (byte 1 of its blob is 1 or 2), or a
-- tombstone, the replaced row is kept in record_history with a fresh change sequence value,
-- unless the vault's role listed its name in history_excluded (fillers, counters, settings,
-- drafts: names whose versions mean nothing to a person). A vault's role reads its kept rows
-- with pull_history(since, limit), lists names with exclude_from_history and removes kept rows with
-- purge_history (a purge, the retention's expiry); no role has a table right, and the rows go
-- with their vault (delete_vault, by the cascade). The kept rows are sealed blobs at their
-- name and version, as opaque as the records.
CREATE TABLE IF NOT EXISTS onions.record_history (
    vault   text NOT NULL REFERENCES onions.vaults (vault) ON DELETE CASCADE,
    name    bytea NOT NULL,
    version bigint NOT NULL,
    blob    bytea NOT NULL,
    deleted boolean NOT NULL,
    seq     bigint NOT NULL,
    PRIMARY KEY (vault, name, version)
);
CREATE INDEX IF NOT EXISTS record_history_vault_seq ON onions.record_history (vault, seq);
ALTER TABLE onions.record_history OWNER TO onions_owner;
REVOKE ALL ON onions.record_history FROM PUBLIC;

CREATE TABLE IF NOT EXISTS onions.history_excluded (
    vault text NOT NULL REFERENCES onions.vaults (vault) ON DELETE CASCADE,
    name  bytea NOT NULL,
    PRIMARY KEY (vault, name)
);
ALTER TABLE onions.history_excluded OWNER TO onions_owner;
REVOKE ALL ON onions.history_excluded FROM PUBLIC;

-- Internal: the trigger that keeps a replaced row (apply's upsert runs as onions_owner).
CREATE OR REPLACE FUNCTION onions.keep_history() RETURNS trigger
LANGUAGE plpgsql SET search_path = onions, pg_temp
AS $$
BEGIN
    IF OLD.version <> NEW.version
       AND (OLD.deleted OR substring(OLD.blob FROM 2 FOR 1) IN ('\x01'::bytea, '\x02'::bytea))
       AND NOT EXISTS (SELECT 1 FROM history_excluded e WHERE e.vault = OLD.vault AND e.name = OLD.name) THEN
        INSERT INTO record_history (vault, name, version, blob, deleted, seq)
        VALUES (OLD.vault, OLD.name, OLD.version, OLD.blob, OLD.deleted, nextval('changes'))
        ON CONFLICT (vault, name, version) DO NOTHING;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS records_keep_history ON onions.records;
CREATE TRIGGER records_keep_history BEFORE UPDATE ON onions.records
    FOR EACH ROW EXECUTE FUNCTION onions.keep_history();

-- The kept rows of the session's vault added after sequence value p_since, in sequence order:
-- the first p_limit of them (at most 10,000; a client reads on from the last one's value).
CREATE OR REPLACE FUNCTION onions.pull_history(p_since bigint, p_limit integer)
RETURNS TABLE (name bytea, version bigint, blob bytea, deleted boolean, seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    my text := my_vault(false);
BEGIN
    RETURN QUERY SELECT h.name, h.version, h.blob, h.deleted, h.seq FROM record_history h
                  WHERE h.vault = my AND h.seq > coalesce(p_since, 0) ORDER BY h.seq
                  LIMIT least(greatest(coalesce(p_limit, 0), 0), 10000);
END $$;

-- Lists names of the session's vault whose replaced rows are not kept, and removes what was
-- kept of them. Raises ON003 for a NULL or over-long name or a batch over 10,000. Returns how
-- many names were new.
CREATE OR REPLACE FUNCTION onions.exclude_from_history(p_names bytea[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(false);
    added integer;
BEGIN
    IF coalesce(cardinality(p_names), 0) > 10000
       OR EXISTS (SELECT 1 FROM unnest(p_names) x WHERE x IS NULL OR length(x) NOT BETWEEN 1 AND 64) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid list of names';
    END IF;
    INSERT INTO history_excluded (vault, name) SELECT DISTINCT my, x FROM unnest(p_names) x
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    DELETE FROM record_history h WHERE h.vault = my AND h.name = ANY (p_names);
    RETURN added;
END $$;

-- Removes kept rows of the session's vault: of name p_names[i], those up to version
-- p_through[i] (every one when it is NULL; only version -p_through[i] when it is negative: an
-- altered row a client's repair replaced); with p_names NULL, every kept row of the vault (a
-- data key rotation leaves none that open). Raises ON003 for arrays of different lengths, a
-- NULL name or a batch over 100,000. Returns how many rows went.
CREATE OR REPLACE FUNCTION onions.purge_history(p_names bytea[], p_through bigint[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    removed bigint;
BEGIN
    IF p_names IS NULL THEN
        DELETE FROM record_history h WHERE h.vault = my;
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
    END IF;
    IF cardinality(p_names) > 100000 OR coalesce(cardinality(p_through), 0) <> cardinality(p_names)
       OR EXISTS (SELECT 1 FROM unnest(p_names) x WHERE x IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid list of kept rows';
    END IF;
    DELETE FROM record_history h USING unnest(p_names, p_through) AS p (name, through)
     WHERE h.vault = my AND h.name = p.name
       AND (p.through IS NULL OR h.version <= p.through OR h.version = -p.through);
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;

-- Adds versions a machine saved between two of its pushes (offline, or several saves before one
-- sync), which no write on the server replaced: row i is name p_names[i] at version
-- p_versions[i] with blob p_blobs[i] (a tombstone when p_deleted[i], its blob then empty). A row
-- the vault keeps already, or of a name listed in history_excluded, is left out; each added row
-- takes a fresh change sequence value, so other machines pull it as any kept row. Raises ON003
-- for arrays of different lengths, a NULL or over-long name, a version below 1, a blob over 64
-- MiB or a batch over 10,000. Returns how many rows were added.
CREATE OR REPLACE FUNCTION onions.add_history(p_names bytea[], p_versions bigint[], p_blobs bytea[],
                                              p_deleted boolean[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    n integer := coalesce(cardinality(p_names), 0);
    added integer;
BEGIN
    IF n > 10000 OR coalesce(cardinality(p_versions), 0) <> n OR coalesce(cardinality(p_blobs), 0) <> n
       OR coalesce(cardinality(p_deleted), 0) <> n
       OR EXISTS (SELECT 1 FROM unnest(p_names, p_versions, p_blobs, p_deleted) AS r (name, version, blob, deleted)
                   WHERE r.name IS NULL OR length(r.name) NOT BETWEEN 1 AND 64 OR r.version IS NULL
                      OR r.version < 1 OR r.deleted IS NULL OR r.blob IS NULL OR length(r.blob) > 67108864) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid batch of versions';
    END IF;
    IF n = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO record_history (vault, name, version, blob, deleted, seq)
    SELECT my, r.name, r.version, CASE WHEN r.deleted THEN ''::bytea ELSE r.blob END, r.deleted, nextval('changes')
      FROM (SELECT DISTINCT ON (name, version) * FROM unnest(p_names, p_versions, p_blobs, p_deleted)
                AS u (name, version, blob, deleted) ORDER BY name, version) AS r
     WHERE NOT EXISTS (SELECT 1 FROM history_excluded e WHERE e.vault = my AND e.name = r.name)
    ON CONFLICT (vault, name, version) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END $$;

ALTER FUNCTION onions.keep_history() OWNER TO onions_owner;
ALTER FUNCTION onions.pull_history(bigint, integer) OWNER TO onions_owner;
ALTER FUNCTION onions.exclude_from_history(bytea[]) OWNER TO onions_owner;
ALTER FUNCTION onions.purge_history(bytea[], bigint[]) OWNER TO onions_owner;
ALTER FUNCTION onions.add_history(bytea[], bigint[], bytea[], boolean[]) OWNER TO onions_owner;
REVOKE ALL ON FUNCTION onions.keep_history(), onions.pull_history(bigint, integer), onions.exclude_from_history(bytea[]),
    onions.purge_history(bytea[], bigint[]), onions.add_history(bytea[], bigint[], bytea[], boolean[])
    FROM PUBLIC, onions_signup;
GRANT EXECUTE ON FUNCTION
    onions.pull_history(bigint, integer),
    onions.exclude_from_history(bytea[]),
    onions.purge_history(bytea[], bigint[]),
    onions.add_history(bytea[], bigint[], bytea[], boolean[])
TO onions_client;
-- End of version 5's versions on the server.

-- Version 6: records under server names (FORMAT.md "Names on the server"). A client stores
-- every version of a record under a name of 40 bytes never written before, so a version is a
-- row of its own, superseded rather than replaced, and nothing reaches record_history any more.
-- A purge or the retention's expiry removes such rows outright: remove_records deletes the rows
-- of the session's vault named in p_names, of 40 bytes only (never a row under a name of its
-- own, which the manifest's root, its parts and the chain's head keep). Raises ON003 for a NULL
-- name or a batch over 10,000. Returns how many rows went.
CREATE OR REPLACE FUNCTION onions.remove_records(p_names bytea[]) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = onions, pg_temp
AS $$
DECLARE
    my text := my_vault(true);
    removed bigint;
BEGIN
    IF coalesce(cardinality(p_names), 0) > 10000
       OR EXISTS (SELECT 1 FROM unnest(p_names) x WHERE x IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = 'ON003', MESSAGE = 'onions: invalid list of records to remove';
    END IF;
    DELETE FROM records r WHERE r.vault = my AND r.name = ANY (p_names) AND length(r.name) = 40;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
ALTER FUNCTION onions.remove_records(bytea[]) OWNER TO onions_owner;
REVOKE ALL ON FUNCTION onions.remove_records(bytea[]) FROM PUBLIC, onions_signup;
GRANT EXECUTE ON FUNCTION onions.remove_records(bytea[]) TO onions_client;
-- End of version 6's server names.
