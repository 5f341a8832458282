package org.pagerless.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The clinical safety hazard log (docs/safety/hazard-log.md, DCB0129) stays tied to the tests: every hazard row
 * names at least one verifying test as {@code ClassNameTest#method}, and every test so named exists in src/test
 * as a test method. Renaming or deleting a test that verifies a safety control fails this test until the log is
 * updated — the clinical safety officer's evidence never points at nothing.
 */
class HazardLogTest {
    static final Path LOG = Path.of("docs/safety/hazard-log.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(H\\d+)\\s*\\|(.*)\\|\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("\\b([A-Z][A-Za-z0-9]*Test)#([a-zA-Z_][A-Za-z0-9_]*)\\b");
    private static final Set<String> TEST_ANNOTATIONS = Set.of("Test", "Property", "ParameterizedTest", "RepeatedTest",
            "Example", "TestFactory");

    record Hazard(String id, List<String> cells, List<String> tests) {
    }

    static List<Hazard> hazards(List<String> lines) {
        List<Hazard> hazards = new ArrayList<>();
        for (String line : lines) {
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                List<String> cells = List.of(row.group(2).split("\\|", -1)).stream().map(String::strip).toList();
                List<String> tests = new ArrayList<>();
                Matcher ref = REFERENCE.matcher(line);
                while (ref.find()) {
                    tests.add(ref.group(1) + "#" + ref.group(2));
                }
                hazards.add(new Hazard(row.group(1), cells, tests));
            }
        }
        return hazards;
    }

    /** Why each named test is not a test method in src/test/java; empty when every one is. */
    static List<String> missing(List<Hazard> hazards) throws IOException {
        Map<String, List<Path>> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            files.filter(f -> f.toString().endsWith("Test.java")).forEach(f -> classes
                    .computeIfAbsent(f.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(f));
        }
        List<String> missing = new ArrayList<>();
        for (Hazard hazard : hazards) {
            for (String test : hazard.tests()) {
                String className = test.substring(0, test.indexOf('#'));
                String method = test.substring(test.indexOf('#') + 1);
                List<Path> files = classes.getOrDefault(className, List.of());
                if (files.size() != 1) {
                    missing.add(hazard.id() + ": " + test + ": " + (files.isEmpty() ? "no such test class"
                            : "several test classes of that name: " + files));
                    continue;
                }
                String fqcn = Path.of("src/test/java").relativize(files.get(0)).toString().replace(".java", "")
                        .replace('/', '.');
                if (!isTestMethod(fqcn, method)) {
                    missing.add(hazard.id() + ": " + test + ": no test method of that name in " + fqcn);
                }
            }
        }
        return missing;
    }

    private static boolean isTestMethod(String fqcn, String name) {
        try {
            return declaresTest(Class.forName(fqcn, false, HazardLogTest.class.getClassLoader()), name);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** In the class, its superclasses or its {@code @Nested} classes. */
    private static boolean declaresTest(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    for (Annotation a : m.getAnnotations()) {
                        if (TEST_ANNOTATIONS.contains(a.annotationType().getSimpleName())) {
                            return true;
                        }
                    }
                }
            }
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (declaresTest(nested, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void theLogHasAtLeastFifteenHazardsEachWithCauseEffectRisksControlsAndVerifyingTests() throws IOException {
        List<Hazard> hazards = hazards(Files.readAllLines(LOG));
        assertThat(hazards).hasSizeGreaterThanOrEqualTo(15);
        Set<String> ids = new HashSet<>();
        for (Hazard hazard : hazards) {
            assertThat(ids.add(hazard.id())).as("hazard id %s used twice", hazard.id()).isTrue();
            assertThat(hazard.cells()).as(hazard.id()).hasSizeGreaterThanOrEqualTo(8).allSatisfy(
                    cell -> assertThat(cell).as(hazard.id() + ": every column is filled in").isNotBlank());
            assertThat(hazard.tests()).as(hazard.id() + " names no verifying test").isNotEmpty();
        }
    }

    @Test
    void everyTestTheLogNamesExistsAsATestMethod() throws IOException {
        assertThat(missing(hazards(Files.readAllLines(LOG)))).isEmpty();
    }

    @Test
    void aNamedTestThatDoesNotExistIsReported() throws IOException {
        List<Hazard> hazards = hazards(List.of(
                "| H98 | a | b | c | d | e | TaskTest#anOfferedHolderWhoAcceptsBecomesTheOwnerAndTheOfferIsWithdrawnFromEveryoneElse | f |",
                "| H99 | a | b | c | d | e | TaskTest#noSuchMethod, NoSuchClassTest#anything | f |"));
        assertThat(missing(hazards)).containsExactly("H99: TaskTest#noSuchMethod: no test method of that name in org.pagerless.task.model.TaskTest",
                "H99: NoSuchClassTest#anything: no such test class");
    }
}
