package io.flhetero.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Swarm services and secrets of runs (the swarm runtime's clients and launch file), found by label like
 * containers and networks. On an engine that is not a swarm manager there are none: listing them is refused there,
 * which is not an error for `stop` or `status`.
 */
public final class RunServices {

    private RunServices() {
    }

    public static List<Service> withLabels(DockerClient docker, Map<String, String> labels) {
        try {
            return docker.listServicesCmd().withLabelFilter(labels).exec();
        } catch (DockerException e) {
            return none(e);
        }
    }

    public static List<Secret> secretsWithLabels(DockerClient docker, Map<String, String> labels) {
        try {
            return docker.listSecretsCmd().withLabelFilter(labels).exec();
        } catch (DockerException e) {
            return none(e);
        }
    }

    /**
     * An engine outside a swarm has none. So, to `stop`, `status` and a Docker run, has a manager that cannot answer
     * (no quorum) or an engine without Swarm's API: they go on with its containers and networks.
     */
    private static <T> List<T> none(DockerException e) {
        if (e.getMessage() == null || !e.getMessage().contains("not a swarm manager")) {
            LOG.debug("cannot list Swarm objects: {}", e.getMessage());
        }
        return List.of();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunServices.class);

    /** Removes the services with the labels (the engine stops their tasks), then their secrets; returns names. */
    public static List<String> removeAll(DockerClient docker, Map<String, String> labels) {
        List<String> removed = new ArrayList<>();
        for (Service s : withLabels(docker, labels)) {
            try {
                docker.removeServiceCmd(s.getId()).exec();
                removed.add("service " + s.getSpec().getName());
            } catch (NotFoundException e) {
                // Already gone.
            }
        }
        for (Secret s : secretsWithLabels(docker, labels)) {
            try {
                docker.removeSecretCmd(s.getId()).exec();
                removed.add("secret " + s.getSpec().getName());
            } catch (NotFoundException e) {
                // Already gone.
            } catch (DockerException e) {
                // Still in use by a service task that is being shut down: the next `stop` takes it.
            }
        }
        return removed;
    }
}
