package io.flhetero.cli;

import io.flhetero.report.RunDirectory;

import java.nio.file.Files;
import java.nio.file.Path;

/** A run named on the command line: its id in the runs folder, or its directory. */
final class RunArgument {

    private RunArgument() {
    }

    /** Where the run would be: the folder named, if there is one, else the id's folder in the runs folder. */
    static Path candidate(Path runsDir, String run) {
        return Files.isDirectory(Path.of(run)) ? Path.of(run) : runsDir.resolve(run);
    }

    /** The run's directory; bad input when it holds no run (no profile.yaml). */
    static Path directory(Path runsDir, String run) {
        Path dir = candidate(runsDir, run);
        if (!Files.isRegularFile(dir.resolve(RunDirectory.PROFILE))) {
            throw notFound(runsDir, run);
        }
        return dir;
    }

    static BadInputException notFound(Path runsDir, String run) {
        return new BadInputException("no run '" + run + "' in " + runsDir + " (and no run directory of that name): "
                + "`runs list` shows the runs there; give --runs-dir if they are elsewhere");
    }
}
