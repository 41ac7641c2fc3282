package io.herald.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.Objects;

/**
 * Who an event is for: exactly one of a list of users, a topic's subscribers, or every
 * user of the tenant. The JSON shape is the one of {@code POST /v1/events}:
 * {@code {"users": [...]}}, {@code {"topic": "..."}} or {@code {"all": true}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({ @JsonSubTypes.Type(Recipients.Users.class), @JsonSubTypes.Type(Recipients.Topic.class),
		@JsonSubTypes.Type(Recipients.AllUsers.class) })
public sealed interface Recipients {

	/** Explicitly named users, in request order, without duplicates. */
	record Users(List<String> users) implements Recipients {

		public Users {
			users = List.copyOf(users);
			if (users.isEmpty()) {
				throw new IllegalArgumentException("users must not be empty");
			}
		}

	}

	/** Every user subscribed to a topic when the event is routed. */
	record Topic(String topic) implements Recipients {

		public Topic {
			Objects.requireNonNull(topic, "topic");
		}

	}

	/** Every user of the tenant. */
	record AllUsers(boolean all) implements Recipients {

		public AllUsers {
			if (!all) {
				throw new IllegalArgumentException("all must be true");
			}
		}

	}

}
