-- Teams for 2222 / major-incident broadcasts: a broadcast to a team is offered at once to every current
-- holder of each of its roles, and each of them acknowledges (the roll-call).
create table team (
    id   text primary key,
    name text not null unique
);

create table team_role (
    team_id text not null references team (id),
    role_id text not null references role (id),
    rank    int  not null,
    primary key (team_id, role_id)
);
