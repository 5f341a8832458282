-- Hospital systems' own credentials and scopes (issue 10). A system is a member of staff with the integration role
-- (the rota's staff table). Here: the PBKDF2 hash of its secret (never the secret), when it was set or revoked, and
-- the wards whose tasks it may see besides those it raised. A system signing in by OIDC client credentials has a
-- row only for its scope.
create table integration_system (
    id            text primary key,
    secret_hash   text,
    secret_set_at timestamptz,
    revoked_at    timestamptz,
    wards         text[]      not null default '{}',
    updated_at    timestamptz not null
);
