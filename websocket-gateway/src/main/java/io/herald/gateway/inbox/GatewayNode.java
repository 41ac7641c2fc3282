package io.herald.gateway.inbox;

import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * This gateway node, as the other nodes and the inbox scripts know it: an id drawn at
 * start, which names the node's live channel and begins the id of every session the node
 * opens. A user's presence entries are those session ids, so they tell which nodes hold
 * the user's connections, and an append sends its live message to those nodes alone
 * (docs/adr/019). A restarted node is a new node: the sessions of the old one lapse with
 * their presence leases.
 */
@Component
public class GatewayNode {

	/** What begins every node's live channel; the node id follows. */
	static final String CHANNEL_PREFIX = "herald:live:";

	/** Separates the node id from the rest of a session id ({@code <node>.<uuid>}). */
	static final char SESSION_SEPARATOR = '.';

	private final String id;

	public GatewayNode() {
		this.id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
	}

	/** The node's id: 16 hex digits. */
	public String id() {
		return this.id;
	}

	/** The Pub/Sub channel this node takes its live messages from. */
	public String channel() {
		return channel(this.id);
	}

	/** A new id for a session of this node: {@code <node id>.<random UUID>}. */
	public String newSessionId() {
		return this.id + SESSION_SEPARATOR + UUID.randomUUID();
	}

	/** The live channel of a node. */
	static String channel(String nodeId) {
		return CHANNEL_PREFIX + nodeId;
	}

}
