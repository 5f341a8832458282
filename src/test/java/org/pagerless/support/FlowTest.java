package org.pagerless.support;

import org.junit.jupiter.api.BeforeEach;

import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;

/**
 * Base of every test that runs the whole application: one Quarkus boot per test run, against the
 * real broker and database of {@link PagerlessInfra}. Subclasses are annotated {@code @QuarkusTest}.
 */
@QuarkusTestResource(PagerlessInfra.class)
public abstract class FlowTest {
    @Inject
    TestClock shiftChangeGuard;

    /** Every test starts where each rota role has one holder (see {@link TestClock#awayFromShiftChange()}). */
    @BeforeEach
    void awayFromShiftChange() {
        shiftChangeGuard.awayFromShiftChange();
    }
}
