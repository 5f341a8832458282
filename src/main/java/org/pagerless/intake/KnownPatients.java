package org.pagerless.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.pagerless.platform.Jdbc;
import org.pagerless.platform.engine.Engine;
import org.pagerless.platform.engine.EngineModule;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The names of the patients the ADT feed has told us of, so that a bleep message naming one of them ("Re Jane Example
 * 7B bed 12") is flagged to its sender: bleep text is shown on consoles and boards, so it must not carry a patient.
 * Names are patient data: they live in the database ({@code known_patient_name}) and, for the check, in memory here;
 * never in a log, a metric or a topic. Intake checks against memory only, so it keeps working when the database is
 * down; the copy is reloaded every 30 s (another pod's ADT messages) and at once for this pod's own.
 */
@ApplicationScoped
public class KnownPatients implements EngineModule {
    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Set<String> TITLES = Set.of("mr", "mrs", "ms", "miss", "mx", "master");

    /** A patient's name as the ADT feed gave it (PID-5): family name and, if given, the given name. */
    public record Name(String given, String family) {
    }

    @Inject
    Jdbc jdbc;
    @Inject
    Engine engine;

    private volatile Set<String> forms = Set.of();

    void start(@Observes @jakarta.annotation.Priority(12) StartupEvent start) {
        engine.loop(this).start();
    }

    @Override
    public String name() {
        return "known-patients";
    }

    @Override
    public Duration every() {
        return REFRESH;
    }

    @Override
    public Next tick(Instant now) {
        reload();
        return Next.regular();
    }

    /** Whether {@code text} names a patient the ADT feed has told us of. Null or blank text names nobody. */
    public boolean namedIn(String text) {
        return names(text, forms);
    }

    /** Keeps (or replaces) the patient's name; a name without a family name is not kept. */
    public void remember(String nhsNumber, Name name, Instant at) {
        if (name == null || blank(name.family())) {
            return;
        }
        write("insert into known_patient_name (nhs_number, given, family, updated_at) values (?, ?, ?, ?)"
                + " on conflict (nhs_number) do update set given = excluded.given, family = excluded.family,"
                + " updated_at = excluded.updated_at", nhsNumber, blank(name.given()) ? null : name.given().trim(),
                name.family().trim(), at);
    }

    /** The patient has left (discharged, or the admission was cancelled): their name is no longer checked for. */
    public void forget(String nhsNumber) {
        write("delete from known_patient_name where nhs_number = ?", nhsNumber);
    }

    private void write(String sql, Object... args) {
        jdbc.update(sql, args);
        reload();
    }

    private void reload() {
        Set<String> loaded = new HashSet<>();
        jdbc.forEachRow("select given, family from known_patient_name",
                rs -> loaded.addAll(forms(new Name(rs.getString(1), rs.getString(2)))));
        forms = Set.copyOf(loaded);
    }

    /**
     * The ways a message may name someone, as pairs of words in lower case: "jane example", "example jane" (as in
     * "Example, Jane"), "j example", and a title with the family name ("mrs example"). A family name alone is not
     * enough (many are also words: "Bed", "Ward", "Hall").
     */
    static List<String> forms(Name name) {
        List<String> family = words(name.family());
        if (family.isEmpty()) {
            return List.of();
        }
        String surname = String.join(" ", family);
        Set<String> all = new HashSet<>();
        for (String title : TITLES) {
            all.add(title + " " + surname);
        }
        List<String> given = words(name.given());
        if (!given.isEmpty()) {
            String first = given.get(0);
            all.add(first + " " + surname);
            all.add(surname + " " + first);
            all.add(first.charAt(0) + " " + surname);
        }
        return List.copyOf(all);
    }

    /** Whether any two (or, for double-barrelled names, more) neighbouring words of {@code text} are one of the forms. */
    static boolean names(String text, Collection<String> forms) {
        if (blank(text) || forms.isEmpty()) {
            return false;
        }
        List<String> words = words(text);
        for (int from = 0; from < words.size(); from++) {
            StringBuilder phrase = new StringBuilder(words.get(from));
            for (int to = from + 1; to < Math.min(words.size(), from + 4); to++) {
                phrase.append(' ').append(words.get(to));
                if (forms.contains(phrase.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lower-case words: letters, with apostrophes and hyphens inside names ("O'Brien", "Smith-Jones") kept. */
    private static List<String> words(String text) {
        if (blank(text)) {
            return List.of();
        }
        return List.of(text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').split("[^\\p{L}'-]+")).stream()
                .map(w -> w.replaceAll("^['-]+|['-]+$", "")).filter(w -> !w.isEmpty()).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
