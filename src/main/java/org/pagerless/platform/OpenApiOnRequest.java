package org.pagerless.platform;

import org.eclipse.microprofile.openapi.OASFilter;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Makes the API description ({@code /q/openapi}) a document written when it is asked for, not at start. With no
 * per-request filter, Quarkus 3.33 writes the whole description as JSON and as YAML while the application starts
 * (about a tenth of the main thread's start-up CPU, issue 13); with one, it keeps the model and writes the format
 * asked for on each request. Only admins read it in production, rarely. Changes nothing in the document.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class OpenApiOnRequest implements OASFilter {
}
