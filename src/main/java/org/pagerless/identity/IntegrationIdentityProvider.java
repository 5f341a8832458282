package org.pagerless.identity;

import java.util.Optional;


import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Signs in hospital systems with the secret Pagerless issued them ({@link IntegrationSystems}), in every profile:
 * WCTP's senderID/securityCode, SNPP's LOGIn and HL7's MSH-3/MSH-8 (through {@code interop.HospitalSystems}), and
 * HTTP Basic. It answers only for ids that have a row with a secret or a revoked one; any other id is left to the
 * other providers (the demo sign-in in standalone mode), so a revoked system cannot fall back to the demo password.
 * The id must be a member of staff with the integration role. Failures are throttled like people's.
 */
@ApplicationScoped
public class IntegrationIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    @Inject
    IntegrationSystems systems;
    @Inject
    StaffDirectory staff;
    @Inject
    SignInThrottle throttle;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    /** Before the demo sign-in: a system with its own secret is never signed in by the demo password. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        if (!mayBeSystem(request.getUsername())) {
            // A person: told apart from the cached reference data on the I/O thread, no hop to a worker and back.
            return Uni.createFrom().nullItem();
        }
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = http == null || http.request().remoteAddress() == null ? null
                : http.request().remoteAddress().hostAddress();
        return context.runBlocking(() -> signIn(request.getUsername(),
                new String(request.getPassword().getPassword()), address));
    }

    /** The system's identity; null if the id is not a system with a credential here; fails on a wrong secret. */
    SecurityIdentity signIn(String id, String secret, String address) {
        Optional<IntegrationSystems.Account> account = owns(id);
        if (account.isEmpty()) {
            return null;
        }
        if (!throttle.mayTry(id, address)) {
            throw new AuthenticationFailedException();
        }
        boolean system = staff.appRoleOf(id).filter(AppRoles.INTEGRATION::equals).isPresent();
        if (!system || !systems.matches(account.get(), secret)) {
            throttle.failed(id, address);
            throw new AuthenticationFailedException();
        }
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(id))
                .addRole(AppRoles.INTEGRATION).build();
    }

    /**
     * Whether {@code id} may be a hospital system this provider answers for: a member of staff with the integration
     * role. Reads only the cached reference data, so it may run on an I/O thread.
     */
    boolean mayBeSystem(String id) {
        return id != null && !id.isBlank() && staff.appRoleOf(id).filter(AppRoles.INTEGRATION::equals).isPresent();
    }

    /** The account if this provider answers for {@code id}: it has a secret here, or had one and it was revoked. */
    Optional<IntegrationSystems.Account> owns(String id) {
        // Only hospital systems have a row: people are told apart from the cached reference data, so their sign-in
        // never waits on (or fails with) the database, and intake keeps taking bleeps while it is down.
        if (!mayBeSystem(id)) {
            return Optional.empty();
        }
        return systems.account(id).filter(a -> a.secretHash() != null || a.revokedAt() != null);
    }
}
