package io.flhetero.cli;

import io.flhetero.jvm.ThisProgram;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** Prints the product's version and the runtime it found. */
@Command(mixinStandardHelpOptions = true, name = "version", description = "Print the version of fl-hetero and of the runtime it uses.")
final class VersionCommand implements Runnable {

    @CommandLine.Option(names = "--backend", description = "Also load ND4J and name its native backend.")
    boolean backend;

    @Override
    public void run() {
        System.out.println("fl-hetero " + version());
        System.out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        if (backend) {
            var env = Nd4j.getExecutioner().getEnvironmentInformation();
            System.out.println("nd4j backend " + env.getProperty("backend") + ", blas " + env.getProperty("blas.vendor")
                    + ", max threads " + env.getProperty("omp.threads"));
        }
    }

    static String version() {
        return ThisProgram.version();
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fl-hetero " + version()};
        }
    }
}
