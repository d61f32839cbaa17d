package io.flhetero.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;

/** Writes a profile back as profile YAML, every default spelled out, so that a run's copy can be run again. */
public final class ProfileWriter {

    private static final YAMLMapper YAML = new YAMLMapper();

    private ProfileWriter() {
    }

    /** A number as a profile writes it: 2 rather than 2.0, 0.5 as it is. */
    public static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    public static String toYaml(Profile p) {
        ObjectNode root = YAML.createObjectNode();
        root.put("name", p.name());
        root.put("description", p.description());
        root.put("clients", p.clients());
        root.put("rounds", p.rounds());
        root.put("assignment", p.assignment().key());
        root.put("seed", p.seed());
        root.put("policy", p.policy().key());
        root.put("network", p.network().key());
        ArrayNode devices = root.putArray("devices");
        for (DeviceClass d : p.devices()) {
            ObjectNode n = devices.addObject();
            n.put("name", d.name());
            n.put("cpus", d.cpus());
            n.put("memory", d.memory().toString());
            n.put("batch_size", d.batchSize());
            n.put("learning_rate", d.learningRate());
            n.put("local_epochs", d.localEpochs());
            if (d.count() > 0) {
                n.put("count", d.count());
            }
            AvailabilitySpec a = d.availability();
            if (!a.always()) {
                ObjectNode availability = n.putObject("availability");
                if (a.trace() != null) {
                    availability.put("trace", a.trace().toString());
                } else {
                    availability.put("online", a.online());
                    availability.put("session", TimeSpan.format(a.session()));
                }
            }
            LinkSpec l = d.link();
            if (!l.unlimited()) {
                ObjectNode link = n.putObject("link");
                if (l.downBitsPerSecond() > 0) {
                    link.put("down", LinkSpec.formatRate(l.downBitsPerSecond()));
                }
                if (l.upBitsPerSecond() > 0) {
                    link.put("up", LinkSpec.formatRate(l.upBitsPerSecond()));
                }
                link.put("latency", TimeSpan.format(l.latency()));
            }
            if (!d.placement().isEmpty()) {
                d.placement().forEach(n.putArray("placement")::add);
            }
        }
        ObjectNode dataset = root.putObject("dataset");
        dataset.put("name", p.dataset().name());
        dataset.put("partition", p.dataset().partition());
        dataset.put("data_percentage", p.dataset().dataPercentage());
        dataset.put("test_split", p.dataset().testSplit());
        dataset.put("seed", p.dataset().seed());
        ObjectNode model = root.putObject("model");
        model.put("name", p.model().name());
        model.put("alpha", p.model().alpha());
        model.put("batchnorm_momentum", p.model().batchNormMomentum());
        ObjectNode strategy = root.putObject("strategy");
        strategy.put("name", p.strategy().name().key());
        strategy.put("fraction_fit", p.strategy().fractionFit());
        strategy.put("min_fit_clients", p.strategy().minFitClients());
        strategy.put("min_available_clients", p.strategy().minAvailableClients());
        strategy.put("round_timeout", TimeSpan.format(p.strategy().roundTimeout()));
        strategy.put("deadline", p.strategy().deadline().toString());
        strategy.put("over_selection", p.strategy().overSelection());
        strategy.put("proximal_mu", p.strategy().proximalMu());
        strategy.put("oom_restarts", p.strategy().oomRestarts());
        strategy.put("fraction_evaluate", p.strategy().fractionEvaluate());
        strategy.put("min_evaluate_clients", p.strategy().minEvaluateClients());
        BufferSpec buffer = p.strategy().buffer();
        if (buffer != null) {
            strategy.put("concurrency", buffer.concurrency());
            strategy.put("buffer_size", buffer.bufferSize());
            strategy.put("max_staleness", buffer.maxStaleness());
            strategy.put("staleness_weighting", buffer.stalenessWeighting().toString());
            strategy.put("frequency_correction", buffer.frequencyCorrection() ? "duration" : "none");
            strategy.put("server_learning_rate", buffer.serverLearningRate());
            strategy.put("evaluate_every", buffer.evaluateEvery());
        }
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
