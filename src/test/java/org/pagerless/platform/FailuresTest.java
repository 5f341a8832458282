package org.pagerless.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;
import org.pagerless.support.Patients;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Poison or transient, and a failure described without the row or record it quotes. */
class FailuresTest {

    @Test
    void anUnavailableDatabaseOrBrokerIsTransient() {
        assertThat(Failures.isTransient(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("database \"pagerless\" is not currently accepting "
                + "connections", "55000"))).isTrue();
        assertThat(Failures.isTransient(new SQLException("Sorry, acquisition timeout!"))).isTrue();
        assertThat(Failures.isTransient(new IllegalStateException(new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(new Kafka.BrokerUnavailable(new RuntimeException()))).isTrue();
        assertThat(Failures.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
    }

    @Test
    void badInputAndBrokenRulesArePoison() {
        assertThat(Failures.isTransient(new IllegalArgumentException("unknown type"))).isFalse();
        assertThat(Failures.isTransient(new NullPointerException())).isFalse();
        assertThat(Failures.isTransient(new SQLException("violates check constraint", "23514"))).isFalse();
        assertThat(Failures.isTransient(new SQLException("invalid input syntax for type uuid", "22P02"))).isFalse();
        // Jackson's exceptions are IOExceptions, but about the input.
        Exception json = readBadJson();
        assertThat(Failures.isTransient(new IllegalArgumentException("unreadable record", json))).isFalse();
    }

    @Test
    void aDatabaseErrorIsDescribedWithoutTheFailingRow() {
        String pg = "ERROR: new row for relation \"task\" violates check constraint \"task_status_check\"\n"
                + "  Detail: Failing row contains (0b6e, TASK, {\"patient\": {\"name\": \"" + Patients.NAME
                + "\", \"nhsNumber\": \"" + Patients.NHS_NUMBER + "\"}}).";
        String wrapped = Failures.describe(new IllegalStateException(new SQLException(pg, "23514")));
        String direct = Failures.describe(new SQLException(pg, "23514"));
        String oneLine = Failures.describe(new SQLException("ERROR: duplicate key value violates unique constraint "
                + "\"x\" Detail: Key (nhs)=(" + Patients.NHS_NUMBER + ") already exists.", "23505"));
        // A failed JDBC batch quotes the statement with its values on its first line, and a wrapper repeats it.
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 insert into task values ('"
                + Patients.NAME + "') was aborted: " + pg, "23514", new int[0]);
        batch.setNextException(new SQLException(pg, "23514"));
        String batched = Failures.describe(new IllegalStateException(batch.toString(), batch));
        for (String text : new String[] {wrapped, direct, oneLine, batched}) {
            assertThat(text).doesNotContain(Patients.NAME).doesNotContain(Patients.NHS_NUMBER)
                    .doesNotContain("Quillfeather");
        }
        assertThat(direct).isEqualTo("SQLException (SQLSTATE 23514)");
        assertThat(batched).isEqualTo("IllegalStateException <- BatchUpdateException (SQLSTATE 23514)");
    }

    @Test
    void aJsonErrorIsDescribedByWhereNotByWhatItQuotes() {
        String described = Failures.describe(new IllegalArgumentException("unreadable record", readBadJson()));
        assertThat(described).startsWith("not valid JSON").doesNotContain(Patients.NAME);
    }

    private static Exception readBadJson() {
        try {
            new ObjectMapper().readTree("{\"name\": " + Patients.NAME + "}");
            throw new AssertionError("read");
        } catch (Exception e) {
            return e;
        }
    }
}
