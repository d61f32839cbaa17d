package io.flhetero.run;

/**
 * How a run's clients run as Docker Swarm services: the settings only the swarm runtime has.
 *
 * @param registry      host:port of a registry every node pulls the client image from; null: the image stays on
 *                      this engine (one node, or nodes it was loaded on)
 * @param advertiseAddr the address of this machine that the nodes reach the server at; null: the one this node
 *                      joined the swarm with
 */
public record SwarmSettings(String registry, String advertiseAddr) {
}
