package io.flhetero.runtime.docker;

import io.flhetero.profile.ClientSpec;
import io.flhetero.profile.DeviceClass;
import io.flhetero.profile.DeviceMix;
import io.flhetero.profile.MemorySize;
import io.flhetero.profile.Profile;
import io.flhetero.profile.ProfileWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a run's container limits against the engine's host before anything starts. Impossible limits are
 * errors (a CPU limit above the host's CPU count is refused by Docker itself; memory too small for the client
 * JVM; limits adding up to more memory than the host has); with {@code fitToHost} they are scaled down
 * proportionally instead, the case of the original's 4-CPU devices on a 2-CPU host. CPU limits adding up to
 * more than the host's CPUs are allowed but warned about: those clients slow each other down, so that their
 * speeds no longer stand in the ratio of their limits.
 */
public final class LimitCheck {

    /** The least memory a client container runs in: the JVM with ND4J and the clustered event bus. */
    public static final MemorySize MIN_CLIENT_MEMORY = MemorySize.ofMegabytes(512);

    public record Result(List<ClientSpec> clients, List<String> warnings) {
    }

    private LimitCheck() {
    }

    /**
     * @throws LimitException naming each client whose limits cannot be met and how to fix them
     */
    public static Result check(List<ClientSpec> clients, HostCapacity host, boolean fitToHost) {
        return check(clients, host, fitToHost, false);
    }

    /** @param swarm {@code host} is a swarm's nodes together, not one engine's host */
    public static Result check(List<ClientSpec> clients, HostCapacity host, boolean fitToHost, boolean swarm) {
        List<String> warnings = new ArrayList<>();
        List<ClientSpec> fitted = fitToHost ? fit(clients, host, warnings) : clients;
        List<String> errors = new ArrayList<>();
        double cpuSum = 0;
        long memorySum = 0;
        for (ClientSpec c : fitted) {
            DeviceClass d = c.device();
            cpuSum += d.cpus();
            memorySum += d.memory().bytes();
            if (d.cpus() > host.cpus()) {
                errors.add(String.format(Locale.ROOT, "%s (%s): cpus %s is more than the %s %d CPUs", c.id(),
                        d.name(), ProfileWriter.number(d.cpus()), swarm ? "swarm's" : "engine's", host.cpus()));
            }
            if (d.cpus() < 0.01) {
                errors.add(c.id() + " (" + d.name() + "): cpus " + d.cpus() + " is below Docker's least, 0.01");
            }
            if (d.memory().bytes() < MIN_CLIENT_MEMORY.bytes()) {
                errors.add(c.id() + " (" + d.name() + "): memory " + d.memory() + " is below the " + MIN_CLIENT_MEMORY
                        + " a client JVM needs");
            }
        }
        if (memorySum > host.memoryBytes()) {
            errors.add(String.format(Locale.ROOT, "the clients' memory limits add up to %d MB, more than the %s %d MB",
                    memorySum >> 20, swarm ? "swarm's" : "host's", host.memoryBytes() >> 20));
        }
        if (!errors.isEmpty()) {
            throw new LimitException("the profile's limits do not fit this " + (swarm ? "swarm (its nodes together)"
                    : "Docker host") + ":\n  " + String.join("\n  ", errors)
                    + "\nFix the profile's devices, or pass --fit-to-host to scale the limits down proportionally.");
        }
        if (cpuSum > host.cpus() + 1e-9) {
            warnings.add(String.format(Locale.ROOT, "the clients' CPU limits add up to %s on a %d-CPU host: they will "
                    + "also slow each other down, beyond their own limits", ProfileWriter.number(cpuSum), host.cpus()));
        }
        return new Result(fitted, warnings);
    }

    /**
     * The share of the host's CPUs that fitted limits add up to: the rest is the server's, the engine's and the
     * JVMs' own threads'.
     */
    static final double CPU_SHARE = 0.9;

    /**
     * Scales CPU limits by one factor so that they add up to {@link #CPU_SHARE} of the host's CPUs, and memory
     * limits by one factor so that they add up to 80 % of its memory. Scaling the sum, not only the largest, keeps
     * the containers from contending for the cores: each then runs at its limit, in the ratio the profile gives,
     * as in-process devices do.
     */
    private static List<ClientSpec> fit(List<ClientSpec> clients, HostCapacity host, List<String> warnings) {
        Scale scale = Scale.of(clients, host, warnings);
        return clients.stream().map(c -> new ClientSpec(c.id(), c.index(), scale.apply(c.device()))).toList();
    }

    /**
     * The profile with its device classes scaled as {@code --fit-to-host} scales its containers on {@code host}:
     * an in-process run of it predicts the container run.
     */
    public static Profile fitted(Profile profile, HostCapacity host, List<String> warnings) {
        Scale scale = Scale.of(DeviceMix.clients(profile), host, warnings);
        return profile.withDevices(profile.devices().stream().map(scale::apply).toList());
    }

    /** One factor for every CPU limit and one for every memory limit. */
    private record Scale(double cpu, double memory) {
        static Scale of(List<ClientSpec> clients, HostCapacity host, List<String> warnings) {
            double cpuSum = clients.stream().mapToDouble(c -> c.device().cpus()).sum();
            long memorySum = clients.stream().mapToLong(c -> c.device().memory().bytes()).sum();
            Scale s = new Scale(Math.min(1, CPU_SHARE * host.cpus() / cpuSum),
                    Math.min(1, 0.8 * host.memoryBytes() / (double) memorySum));
            if (s.cpu < 1 || s.memory < 1) {
                warnings.add(String.format(Locale.ROOT, "--fit-to-host: CPU limits scaled by %.3f (they add up to %s of "
                        + "the host's %d CPUs) and memory limits by %.3f (%d MB)", s.cpu,
                        ProfileWriter.number(cpuSum * s.cpu), host.cpus(), s.memory, host.memoryBytes() >> 20));
            }
            return s;
        }

        DeviceClass apply(DeviceClass d) {
            if (cpu == 1 && memory == 1) {
                return d;
            }
            // Down to Docker's hundredths of a CPU, so that the sum stays within the share (1e-9: 0.29 * 100 is
            // 28.999999999999996 in binary).
            double cpus = cpu == 1 ? d.cpus() : Math.max(0.01, Math.floor(d.cpus() * cpu * 100 + 1e-9) / 100.0);
            long bytes = memory == 1 ? d.memory().bytes()
                    : Math.max(MIN_CLIENT_MEMORY.bytes(), (long) (d.memory().bytes() * memory) >> 20 << 20);
            return d.withLimits(cpus, new MemorySize(bytes));
        }
    }

    /** Limits that cannot be met: bad input, exit code 2. */
    public static final class LimitException extends RuntimeException {
        public LimitException(String message) {
            super(message);
        }
    }
}
