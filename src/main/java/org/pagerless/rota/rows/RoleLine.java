package org.pagerless.rota.rows;

/**
 * A role with one ward it covers ({@link RoleRow#WITH_WARDS}): the role's columns and, from {@code role_ward},
 * {@code wardId} and {@code rank} — both null for a role that covers no ward. A projection, not a managed entity.
 */
public record RoleLine(String id, String name, String siteId, String specialty, String bleep, String wardId,
        Integer rank) {
}
