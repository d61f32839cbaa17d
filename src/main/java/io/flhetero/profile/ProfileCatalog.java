package io.flhetero.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Finds profiles by path or by name. A name is looked up in ./profiles first (so users can edit the shipped
 * mixes) and then among the profiles bundled in the JAR, so {@code --profile seed} works from any folder.
 */
public final class ProfileCatalog {

    public static final String DEFAULT = "default";
    private static final String BUNDLE = "/profiles/";
    private static final String INDEX = BUNDLE + "index.properties";

    private final Path localDir;

    public ProfileCatalog(Path localDir) {
        this.localDir = localDir;
    }

    public static ProfileCatalog inWorkingDirectory() {
        return new ProfileCatalog(Path.of("profiles"));
    }

    /** A profile by name and source; its text is read when it is parsed, so that one bad file spoils only itself. */
    public record Entry(String name, String source, Supplier<String> text) {

        public Profile parse(ProfileOverrides overrides) {
            return ProfileReader.parse(source, text.get(), overrides);
        }
    }

    public Entry find(String nameOrPath) {
        Path asPath = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
            if (!Files.isRegularFile(asPath)) {
                throw notFound(nameOrPath);
            }
            return new Entry(stem(asPath.getFileName().toString()), asPath.toString(), () -> ProfileReader.readText(asPath));
        }
        Path local = localDir.resolve(nameOrPath + ".yaml");
        if (Files.isRegularFile(local)) {
            return new Entry(nameOrPath, local.toString(), () -> ProfileReader.readText(local));
        }
        String bundled = bundled(nameOrPath);
        if (bundled != null) {
            return new Entry(nameOrPath, "bundled:" + nameOrPath, () -> bundled);
        }
        throw notFound(nameOrPath);
    }

    /** Every profile by name: the local folder's, then bundled ones that the folder does not shadow. */
    public List<Entry> all() {
        TreeMap<String, Entry> byName = new TreeMap<>();
        for (String name : bundledNames()) {
            byName.put(name, new Entry(name, "bundled:" + name, () -> bundled(name)));
        }
        if (Files.isDirectory(localDir)) {
            try (Stream<Path> files = Files.list(localDir)) {
                files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> {
                    String name = stem(p.getFileName().toString());
                    byName.put(name, new Entry(name, p.toString(), () -> ProfileReader.readText(p)));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private ProfileException notFound(String nameOrPath) {
        List<String> names = all().stream().map(Entry::name).toList();
        return new ProfileException(List.of(new Problem(nameOrPath, "(profile)", "no such profile file or name",
                "give a path to a .yaml file or one of: " + String.join(", ", names))));
    }

    private static List<String> bundledNames() {
        try (InputStream in = ProfileCatalog.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            Properties index = new Properties();
            index.load(in);
            return List.of(index.getProperty("profiles", "").trim().split("\\s*,\\s*"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String bundled(String name) {
        try (InputStream in = ProfileCatalog.class.getResourceAsStream(BUNDLE + name + ".yaml")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stem(String fileName) {
        return fileName.replaceFirst("\\.ya?ml$", "");
    }
}
