package io.flhetero.fl.cluster;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusteredVertxTest {

    @Test
    void whoListensWhereSurvivesMembersDyingTogether() {
        Config four = ClusteredVertx.hazelcast(new ClusterSettings("c", "127.0.0.1", 5701, 4, "t", null), true,
                "127.0.0.1");
        assertEquals(3, four.getMultiMapConfig("__vertx.subs").getBackupCount(), "a copy on every other member");
        assertEquals(3, four.getMapConfig("__vertx.nodeInfo").getBackupCount());
        Config many = ClusteredVertx.hazelcast(new ClusterSettings("c", "127.0.0.1", 5701, 50, "t", null), true,
                "127.0.0.1");
        assertEquals(6, many.getMultiMapConfig("__vertx.subs").getBackupCount(), "Hazelcast's most");
        Config alone = ClusteredVertx.hazelcast(new ClusterSettings("c", "127.0.0.1", 5701, 1, "t", null), true,
                "127.0.0.1");
        assertEquals(1, alone.getMultiMapConfig("__vertx.subs").getBackupCount());
    }
}
