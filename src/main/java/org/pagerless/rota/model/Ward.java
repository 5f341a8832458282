package org.pagerless.rota.model;

import java.util.List;

/** A ward and the roles that cover it, in order of who is asked first. */
public record Ward(String id, String name, List<String> coveringRoleIds) {
    public Ward {
        coveringRoleIds = List.copyOf(coveringRoleIds);
    }
}
