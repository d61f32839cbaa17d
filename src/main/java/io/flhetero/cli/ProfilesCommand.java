package io.flhetero.cli;

import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileCatalog;
import io.flhetero.profile.ProfileException;
import io.flhetero.profile.ProfileOverrides;
import io.flhetero.profile.ProfileWriter;
import io.flhetero.profile.TimeSpan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code profiles list|show|validate}: the device mixes this installation knows. */
@Command(mixinStandardHelpOptions = true, name = "profiles", description = "List, show and validate device-mix profiles.",
        subcommands = {ProfilesCommand.List.class, ProfilesCommand.Show.class, ProfilesCommand.Validate.class})
final class ProfilesCommand implements Runnable {

    @Override
    public void run() {
        new List().run();
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the profiles in ./profiles and those bundled in the JAR.")
    static final class List implements Runnable {
        @Override
        public void run() {
            for (ProfileCatalog.Entry entry : ProfileCatalog.inWorkingDirectory().all()) {
                String summary;
                try {
                    Profile p = entry.parse(ProfileOverrides.NONE);
                    summary = String.format(Locale.ROOT, "%d clients, %d rounds - %s", p.clients(), p.rounds(),
                            p.description());
                } catch (ProfileException e) {
                    summary = "INVALID (" + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                            + "; run `profiles validate " + entry.source() + "`)";
                }
                System.out.printf(Locale.ROOT, "%-16s %-30s %s%n", entry.name(), entry.source(), summary);
            }
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "show", description = "Show a profile as it resolves: settings and each client's device.")
    static final class Show implements Runnable {
        @Parameters(paramLabel = "PROFILE", description = "A profile name or path.", defaultValue = ProfileCatalog.DEFAULT)
        String profile;

        @Override
        public void run() {
            print(ProfileCatalog.inWorkingDirectory().find(profile).parse(ProfileOverrides.NONE), System.out);
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "validate", description = "Check profiles and report every problem with its file, field and fix.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "PROFILE", arity = "0..*",
                description = "Profile names or paths (default: every profile `profiles list` shows).")
        java.util.List<String> profiles;

        @Override
        public Integer call() {
            ProfileCatalog catalog = ProfileCatalog.inWorkingDirectory();
            java.util.List<String> names = profiles == null || profiles.isEmpty()
                    ? catalog.all().stream().map(ProfileCatalog.Entry::source).toList() : profiles;
            int invalid = 0;
            for (String name : names) {
                // Each on its own: a missing or broken one is reported, and the others are still checked.
                try {
                    ProfileCatalog.Entry entry = name.startsWith("bundled:") ? catalog.find(name.substring(8))
                            : catalog.find(name);
                    Profile p = entry.parse(ProfileOverrides.NONE);
                    System.out.printf(Locale.ROOT, "ok      %s (%d clients, %d device classes, %d rounds)%n",
                            entry.source(), p.clients(), p.devices().size(), p.rounds());
                } catch (ProfileException e) {
                    invalid++;
                    System.out.printf("INVALID %s%n", name);
                    e.problems().forEach(problem -> System.out.println("  " + problem));
                }
            }
            return invalid == 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
        }
    }

    static void print(Profile p, PrintStream out) {
        out.printf("profile %s (%s)%n", p.name(), p.source());
        if (!p.description().isEmpty()) {
            out.println("  " + p.description());
        }
        out.printf(Locale.ROOT, "rounds %d, clients %d, assignment %s, seed %d%n", p.rounds(), p.clients(),
                p.assignment().key(), p.seed());
        out.printf(Locale.ROOT, "dataset %s, partition %s, data_percentage %s, test_split %s, seed %d%n",
                p.dataset().name(), p.dataset().partition(), p.dataset().dataPercentage(), p.dataset().testSplit(),
                p.dataset().seed());
        out.printf(Locale.ROOT, "model %s, alpha %s%n", p.model().name(), p.model().alpha());
        out.printf(Locale.ROOT, "strategy %s, fraction_fit %s, min_fit_clients %d, min_available_clients %d, "
                        + "fraction_evaluate %s, min_evaluate_clients %d, round_timeout %s%n",
                p.strategy().name().key(), p.strategy().fractionFit(), p.strategy().minFitClients(),
                p.strategy().minAvailableClients(), p.strategy().fractionEvaluate(),
                p.strategy().minEvaluateClients(), TimeSpan.format(p.strategy().roundTimeout()));
        out.println("clients:");
        for (ClientSpec c : DeviceMix.clients(p)) {
            DeviceClass d = c.device();
            out.printf(Locale.ROOT, "  %-9s %-10s cpus %-5s memory %-6s batch %-4d lr %-8s local_epochs %d%n", c.id(),
                    d.name(), ProfileWriter.number(d.cpus()), d.memory(), d.batchSize(),
                    ProfileWriter.number(d.learningRate()), d.localEpochs());
        }
    }
}
