package org.pagerless.rota.rows;

/**
 * One member of staff as the staff list shows them ({@link StaffRow#LIST}): read by a constructor projection, so the
 * list is not loaded as managed entities (no persistence context, no dirty-checking snapshot per row).
 */
public record StaffLine(String id, String displayName, String grade, String appRole, String phone) {
}
