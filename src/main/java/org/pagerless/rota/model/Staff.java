package org.pagerless.rota.model;

/** A member of staff; {@code appRole} is what they may do in Pagerless (clinician, switchboard...). */
public record Staff(String id, String displayName, String grade, String appRole) {
}
