package io.herald.infra;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;

/**
 * The nodes of a KRaft cluster in which every node is both broker and controller, as the
 * local infrastructure runs it: each node's id with its controller port on
 * {@code 127.0.0.1}, and the cluster's id, which every node is formatted with. The voters
 * are static ({@code controller.quorum.voters}), so a node's controller port is read from
 * its configuration on every start.
 *
 * <p>
 * The replication settings follow the size: one node keeps one copy of everything; three
 * or more keep three copies, two of them in sync before {@code acks=all} succeeds, so any
 * one node may fail without losing an acknowledged record or refusing writes.
 *
 * @param clusterId the cluster's id, as {@link Uuid#toString()} prints it
 * @param controllerPorts each node's id and controller port, in node order
 */
public record KafkaQuorum(String clusterId, Map<Integer, Integer> controllerPorts) {

	public KafkaQuorum {
		Objects.requireNonNull(clusterId, "clusterId must not be null");
		if (controllerPorts.isEmpty()) {
			throw new IllegalArgumentException("a quorum needs at least one node");
		}
		controllerPorts = Collections.unmodifiableMap(new TreeMap<>(controllerPorts));
	}

	/**
	 * Nodes with ids 1, 2, ... and these controller ports, in order, and a new cluster
	 * id.
	 * @param controllerPorts one port per node
	 */
	public static KafkaQuorum of(List<Integer> controllerPorts) {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (int i = 0; i < controllerPorts.size(); i++) {
			ports.put(i + 1, controllerPorts.get(i));
		}
		return new KafkaQuorum(Uuid.randomUuid().toString(), ports);
	}

	/** One node, as a single local broker runs. */
	static KafkaQuorum single(int nodeId, int controllerPort) {
		return new KafkaQuorum(Uuid.randomUuid().toString(), Map.of(nodeId, controllerPort));
	}

	/**
	 * Reads {@link #voters()}' form back.
	 * @throws IllegalArgumentException if it is not {@code <id>@<host>:<port>[,...]}
	 */
	static KafkaQuorum parse(String clusterId, String voters) {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (String voter : voters.split(",")) {
			int at = voter.indexOf('@');
			int colon = voter.lastIndexOf(':');
			if (at <= 0 || colon < at) {
				throw new IllegalArgumentException("not a voter (<id>@<host>:<port>): '" + voter + "'");
			}
			ports.put(Integer.parseInt(voter.substring(0, at)), Integer.parseInt(voter.substring(colon + 1)));
		}
		return new KafkaQuorum(clusterId, ports);
	}

	/**
	 * The value of {@code controller.quorum.voters}: {@code 1@127.0.0.1:<port>,2@...}.
	 */
	public String voters() {
		return this.controllerPorts.entrySet()
			.stream()
			.map((node) -> node.getKey() + "@" + FreePorts.LOOPBACK + ":" + node.getValue())
			.collect(Collectors.joining(","));
	}

	/** How many nodes the cluster has. */
	public int size() {
		return this.controllerPorts.size();
	}

	/**
	 * A node's controller port.
	 * @throws IllegalArgumentException if the node is not in the quorum
	 */
	public int controllerPort(int nodeId) {
		Integer port = this.controllerPorts.get(nodeId);
		if (port == null) {
			throw new IllegalArgumentException("node " + nodeId + " is not one of the voters " + voters());
		}
		return port;
	}

	/** Copies of every partition: 1 for one node, 3 from three nodes on. */
	public int replicationFactor() {
		return Math.min(3, size());
	}

	/**
	 * Copies that must have a record before {@code acks=all} succeeds: 2 from three nodes
	 * on, else 1.
	 */
	public int minInsyncReplicas() {
		return (size() >= 3) ? 2 : 1;
	}

}
