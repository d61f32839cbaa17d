package io.flhetero.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The check both data set folders make before reading: which of their files are missing or empty. */
final class RequiredFiles {

    private RequiredFiles() {
    }

    /** The names, of {@code names}, whose file at {@code location.apply(name)} is not a non-empty regular file. */
    static List<String> missingOrEmpty(List<String> names, Function<String, Path> location) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Path file = location.apply(name);
            try {
                if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                    missing.add(name);
                }
            } catch (IOException e) {
                missing.add(name);
            }
        }
        return missing;
    }
}
