package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class FailureDescriptionTest {

    @Test
    void aDatabaseErrorKeepsItsStateButNeverTheRowItRefused() {
        var e = new IllegalStateException("batch failed", new SQLException(
                "ERROR: new row violates check constraint\n  Detail: Failing row contains (7b, Jane Example, 9434765919).",
                "23514"));
        String line = Failures.describe(e);
        assertThat(line).contains("IllegalStateException", "SQLException (SQLSTATE 23514)")
                .doesNotContain("Jane", "9434765919");
    }

    @Test
    void aQuotationInAnyMessageIsCutOff() {
        String line = Failures.describe(new RuntimeException("duplicate key Key (nhs)=(9434765919) exists"));
        assertThat(line).startsWith("RuntimeException: duplicate key").doesNotContain("9434765919");
    }
}
