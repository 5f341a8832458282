package org.pagerless.interop;

import java.util.Optional;

import org.pagerless.identity.AppRoles;
import org.pagerless.identity.Caller;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Signs in a hospital system that carries its credentials inside its own protocol (WCTP's senderID and
 * securityCode, SNPP's LOGIn): through the application's identity providers, as HTTP Basic would, and only
 * if the identity has the integration role. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class HospitalSystems {
    @Inject
    IdentityProviderManager identities;

    /** The system, or empty if the id and secret do not sign in or are not a hospital system's. */
    public Optional<Caller> signIn(String systemId, String secret) {
        if (systemId == null || systemId.isBlank() || secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        try {
            SecurityIdentity identity = identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(
                    systemId, new PasswordCredential(secret.toCharArray())));
            Caller caller = Caller.of(identity);
            return AppRoles.INTEGRATION.equals(caller.appRole()) ? Optional.of(caller) : Optional.empty();
        } catch (AuthenticationFailedException e) {
            return Optional.empty();
        }
    }
}
