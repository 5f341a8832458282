package org.pagerless.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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
 * Standalone-mode sign-in: every staff member of the seeded hospital signs in over HTTP Basic with
 * their staff id and the demo password. Off unless {@code pagerless.identity.demo-password} is set, which the
 * production profile refuses (ProductionChecks); production uses OIDC and the same role names. Failed attempts
 * are throttled per account and per address ({@link SignInThrottle}). A hospital system with its own secret
 * ({@link IntegrationIdentityProvider}) is never signed in by the demo password.
 */
@ApplicationScoped
public class DemoIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @ConfigProperty(name = "pagerless.identity.demo-password")
    Optional<String> demoPassword;

    @Inject
    StaffDirectory staff;
    @Inject
    SignInThrottle throttle;
    @Inject
    IntegrationIdentityProvider integrations;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        if (demoPassword.isEmpty()) {
            return Uni.createFrom().nullItem(); // off: another provider may know the account
        }
        String account = request.getUsername();
        if (!integrations.mayBeSystem(account)) {
            // A person (most requests: every bleep): the check reads only memory (the password, the cached reference
            // data, the throttle), so it runs here on the I/O thread rather than hopping to a worker and back.
            return Uni.createFrom().item(() -> signIn(request, account));
        }
        // A staff id with the integration role: whether it has a secret here is a database read.
        return context.runBlocking(() -> integrations.owns(account).isPresent() ? null : signIn(request, account));
    }

    private SecurityIdentity signIn(UsernamePasswordAuthenticationRequest request, String account) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = http == null || http.request().remoteAddress() == null ? null
                : http.request().remoteAddress().hostAddress();
        if (!throttle.mayTry(account, address)) {
            throw new AuthenticationFailedException();
        }
        // Constant time: how much of a guess matched must not show in how long the answer takes.
        boolean matches = MessageDigest.isEqual(demoPassword.get().getBytes(StandardCharsets.UTF_8),
                new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8));
        Optional<String> appRole = staff.appRoleOf(account);
        if (!matches || appRole.isEmpty()) {
            throttle.failed(account, address);
            throw new AuthenticationFailedException();
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account))
                .addRole(appRole.get())
                .build();
    }
}
