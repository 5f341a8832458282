package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The runbook's logical backup and restore, run as written (the shell block marked {@code tested: backup-restore}
 * in docs/runbook.md) against a real PostgreSQL holding the app's schema (every Flyway migration) and data.
 * The embedded PostgreSQL ships only its server (initdb, pg_ctl, postgres): pg_dump, pg_restore, createdb and
 * psql are PostgreSQL's own client programs, from Debian's postgresql-client (installed by .ci/install-ops-tools).
 */
class PostgresBackupRestoreTest {
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- tested: backup-restore -->\\s*```bash\\n(.*?)```", Pattern.DOTALL);
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void theRunbooksBackupAndRestoreBringBackEveryRow(@TempDir Path backups) throws Exception {
        execute(postgres.getPostgresDatabase(), "create database pagerless");
        DataSource source = postgres.getDatabase("postgres", "pagerless");
        Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();
        execute(source, "insert into site (id, name) values ('seg', 'St Elsewhere General')",
                "insert into ward (id, site_id, name) values ('7b', 'seg', '7B'), ('amu', 'seg', 'AMU')",
                "insert into staff (id, display_name, app_role, phone) values"
                        + " ('amira.khan', 'Dr Amira Khan', 'clinician', '+447700900001'),"
                        + " ('grace.okafor', 'Grace Okafor', 'nurse-in-charge', null)",
                "insert into role (id, name, site_id, bleep) values ('med-sho', 'Medical SHO On-Call', 'seg', '4417')");
        Map<String, String> before = contents(source);
        assertThat(before).containsKeys("site", "ward", "staff", "role", "task", "flyway_schema_history");

        String script = runbookBlock();
        Process run = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true)
                .directory(backups.toFile()).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as("the runbook's commands failed:\n" + output).isZero();

        DataSource restored = postgres.getDatabase("postgres", "pagerless_restored");
        assertThat(contents(restored)).isEqualTo(before);
        assertThat(Files.list(backups).map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".dump"));
    }

    /** The runbook's block, with the connection this test's PostgreSQL gives (the runbook's variables). */
    private static String runbookBlock() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(Path.of("docs/runbook.md")));
        assertThat(m.find()).as("docs/runbook.md has a ```bash block after <!-- tested: backup-restore -->").isTrue();
        return "export PGHOST=localhost PGPORT=" + postgres.getPort() + " PGUSER=postgres\n"
                + "export SOURCE_DB=pagerless TARGET_DB=pagerless_restored BACKUP_DIR=.\n" + m.group(1);
    }

    /** Each table's rows, in a canonical order, as text: equal maps mean equal databases. */
    private static Map<String, String> contents(DataSource db) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String table : names) {
                try (ResultSet rs = st.executeQuery("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')"
                        + " from \"" + table + "\" t")) {
                    rs.next();
                    tables.put(table, rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static void execute(DataSource db, String... sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
