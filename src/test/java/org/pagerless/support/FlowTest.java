package org.pagerless.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Base of every test that runs the whole application: one Quarkus boot per test run, against the
 * real broker and database of {@link PagerlessInfra}. Subclasses are annotated {@code @QuarkusTest}.
 */
@QuarkusTestResource(PagerlessInfra.class)
public abstract class FlowTest {
}
