package io.flhetero.fl.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x whose event bus spans the run's JVMs through Hazelcast, each member bound to one address of its own
 * (127.0.0.1 with host networking), no multicast or auto-detection, and a TCP-IP join through the server's
 * address only. Heartbeats are short so that a hung member is dropped in ~5 s instead of a minute.
 */
public final class ClusteredVertx {

    private ClusteredVertx() {
    }

    /**
     * Joins (or, for the server, founds) the run's cluster.
     *
     * @param first  the server: it takes the block's first port and does not wait before joining
     * @param builder a builder with the caller's options and metrics, or null for defaults
     */
    public static Vertx start(ClusterSettings settings, boolean first, VertxBuilder builder, VertxOptions options,
                              Duration timeout) throws Exception {
        String bind = first ? settings.host() : settings.clientSubnet() == null ? LocalAddress.towards(settings.host())
                : LocalAddress.in(settings.clientSubnet());
        HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(settings, first, bind));
        options.setEventBusOptions(new EventBusOptions().setHost(bind).setClusterPublicHost(bind).setPort(0));
        VertxBuilder b = (builder == null ? Vertx.builder() : builder).with(options).withClusterManager(manager);
        return b.buildClustered().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @param bind this member's own address: the server's for the server, a client's in the clients' subnet */
    static Config hazelcast(ClusterSettings settings, boolean first, String bind) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(settings.name());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        // Vert.x keeps a few small maps; Hazelcast's default of 271 partitions makes every join migrate hundreds.
        config.setProperty("hazelcast.partition.count", "7");
        // Who listens at which address (and where each node is) must survive members dying together: with one
        // backup, a client killed and another paused past the heartbeat within seconds took the only two copies of
        // some partitions, and a healthy client's subscription with them (its requests then failed as if it had
        // died). A copy on every member, up to Hazelcast's six backups; these maps hold a few entries per member.
        int backups = Math.max(1, Math.min(6, settings.members() - 1));
        config.getMultiMapConfig("__vertx.subs").setBackupCount(backups);
        config.getMapConfig("__vertx.nodeInfo").setBackupCount(backups);
        // Nobody waits before joining: the server founds the cluster alone (it looks for no one else), and clients
        // know only the server's address, so each asks the founder to let it in and none can found a cluster of
        // its own. (Listing every port of the block let clients that started together find each other first and
        // split off.)
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // Hazelcast has no member authentication in its open-source edition: a local process that finds the port
        // can join. What members send each other is Hazelcast's and Vert.x's own data; Java deserialisation is
        // limited to their classes and the JDK's (plus Hazelcast's list of known gadgets refused), so a member
        // cannot make the others instantiate a library's class. The run's messages are signed (WireMessageCodec).
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
        filter.getWhitelist().addPrefixes("io.vertx.", "com.hazelcast.", "java.");
        config.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(first ? settings.basePort() : settings.basePort() + 1);
        network.setPortAutoIncrement(!first);
        network.setPortCount(settings.members());
        network.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of(settings.founder()));
        return config;
    }
}
