package org.pagerless.ops;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings {@code src/main/resources/application.properties} defines: its keys (with and without a
 * {@code %profile.} prefix) and the environment variables it reads as {@code ${NAME}} / {@code ${NAME:default}}.
 */
final class AppSettings {
    static final Path FILE = Path.of("src/main/resources/application.properties");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    final Properties properties = new Properties();
    final Set<String> environmentVariables = new TreeSet<>();
    /** Its keys, each without its {@code %profile.} prefix. */
    final Set<String> keys = new TreeSet<>();

    AppSettings() {
        try (Reader in = Files.newBufferedReader(FILE)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        properties.values().forEach(v -> {
            Matcher m = ENV_REFERENCE.matcher(v.toString());
            while (m.find()) {
                environmentVariables.add(m.group(1));
            }
        });
    }

    /**
     * Whether the app reads this environment variable: one application.properties refers to, or the
     * environment form of one of its keys (Quarkus: upper case, every other character an underscore).
     */
    boolean reads(String environmentVariable) {
        if (environmentVariables.contains(environmentVariable)) {
            return true;
        }
        return keys.stream().anyMatch(key -> environmentForm(key).equals(environmentVariable));
    }

    static String environmentForm(String key) {
        StringBuilder env = new StringBuilder();
        for (char c : key.toCharArray()) {
            env.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return env.toString();
    }

    String get(String key) {
        return properties.getProperty(key);
    }
}
