-- Rota imports skip shifts already on the rota exactly (re-sending a month is safe), and calendar feeds read a
-- role's shifts over a window: both look shifts up by role and start.
create index shift_role_starts_at on shift (role_id, starts_at);
