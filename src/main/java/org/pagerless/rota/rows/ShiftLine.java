package org.pagerless.rota.rows;

import java.time.Instant;

/** One explicit shift as the shift list shows it ({@link ShiftRow#OVERLAPPING}): a projection, not a managed entity. */
public record ShiftLine(Long id, String roleId, String staffId, Instant startsAt, Instant endsAt) {
}
