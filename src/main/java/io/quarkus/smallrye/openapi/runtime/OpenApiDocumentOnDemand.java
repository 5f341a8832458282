package io.quarkus.smallrye.openapi.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;

/**
 * Reads the build's API description ({@code /q/openapi}) at its first request instead of while the pod starts (ADR
 * 0088). Quarkus 3.33 parses the build's 186 kB document through SnakeYAML on the main thread at every start
 * (quarkusio/quarkus#54826, made lazy upstream by #55538 in a later release), for a document only admins read; this
 * bean keeps Quarkus's own preparation and runs it, once, when the document is first asked for (the handler is a
 * blocking route: a worker thread pays). Remove it with a Quarkus that has #55538.
 * <p>
 * It lives in Quarkus's package to override the package-private {@code prepareDocument}, which the extension's
 * recorder calls on the bean it selects: this alternative. That holds only where one class loader loads both the
 * application and the extension, as in the packaged jar; in tests and dev mode the application's classes have a class
 * loader of their own, so the bean is built for the production profile only and Quarkus's own serves there.
 * {@code AppCdsArchiveIT} checks it on the packaged jar.
 */
@IfBuildProfile("prod")
@Alternative
@Priority(1)
@Singleton
@Unremovable
public class OpenApiDocumentOnDemand extends OpenApiDocumentService {

    private final Map<String, Runnable> unprepared = new HashMap<>();

    @Override
    synchronized void prepareDocument(AutoSecurityFilter autoSecurityFilter,
            Map<OpenApiFilter.RunStage, List<String>> filtersByStage, String documentName) {
        unprepared.put(documentName, () -> super.prepareDocument(autoSecurityFilter, filtersByStage, documentName));
    }

    @Override
    public synchronized byte[] getDocument(String documentName, Format format) {
        Runnable prepare = unprepared.get(documentName);
        if (prepare != null) {
            prepare.run();
            unprepared.remove(documentName);
        }
        return super.getDocument(documentName, format);
    }
}
