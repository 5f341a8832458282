package org.pagerless.rota;

import java.util.Map;

/**
 * A port for the features above the rota: what they keep that names a member of staff or a role. The rota counts
 * these in the transaction that would delete the person or role and refuses (409) while any is left, without knowing
 * the other features' tables. Each query counts rows and takes the id at every {@code ?}.
 */
public interface RotaReferences {

    /** Label (e.g. "escalation policy(ies)") → a count query over rows naming a member of staff. */
    Map<String, String> toStaff();

    /** Label → a count query over rows naming a role. */
    Map<String, String> toRole();
}
