package io.herald.client;

import java.util.List;

/**
 * Who an event is for: listed users, a topic's subscribers, or every user of the tenant.
 */
public sealed interface Recipients {

	/** 1 to 10,000 user ids. */
	record Users(List<String> ids) implements Recipients {

		public Users {
			ids = List.copyOf(ids);
			if (ids.isEmpty()) {
				throw new IllegalArgumentException("An event needs at least one user");
			}
		}

	}

	/** Every user subscribed to the topic when the event is routed. */
	record Topic(String name) implements Recipients {
	}

	/** Every user of the tenant. */
	record All() implements Recipients {
	}

}
