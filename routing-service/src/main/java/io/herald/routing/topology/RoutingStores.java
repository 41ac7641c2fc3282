package io.herald.routing.topology;

/** Names of the routing topology's state stores, shared by the topology and the user API's reads. */
public final class RoutingStores {

	/**
	 * Every known user: {@code KeyValueStore<String, UserState>} keyed {@code tenant|userId}, backed
	 * by a changelog topic. The user API reads it through interactive queries.
	 */
	public static final String USER_STATE = "user-state";

	private RoutingStores() {
	}

}
