package org.pagerless.identity;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.pagerless.rota.ReferenceData;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Standalone-mode sign-in: every staff member of the seeded hospital signs in over HTTP Basic with
 * their staff id and the demo password. Off unless {@code pagerless.identity.demo-password} is set;
 * production uses OIDC bearer tokens and the same role names.
 */
@ApplicationScoped
public class DemoIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @ConfigProperty(name = "pagerless.identity.demo-password")
    java.util.Optional<String> demoPassword;

    @Inject
    ReferenceData referenceData;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String password = new String(request.getPassword().getPassword());
        if (demoPassword.isEmpty() || !demoPassword.get().equals(password)) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return referenceData.hospital().staff(request.getUsername())
                .map(staff -> Uni.createFrom().item((SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(staff.id()))
                        .addRole(staff.appRole())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
    }
}
