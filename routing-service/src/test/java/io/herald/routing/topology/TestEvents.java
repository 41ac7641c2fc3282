package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.Content;
import io.herald.events.EventAccepted;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds events for tests: every field has a sensible default. */
final class TestEvents {

	static final String TENANT = "acme";

	private String eventId;

	private Instant acceptedAt;

	private String type = "order.shipped";

	private Recipients recipients = new Recipients.Users(List.of("u-1"));

	private Priority priority = Priority.NORMAL;

	private Set<Channel> channels = Set.of();

	private @Nullable Content content = new Content("Shipped", "Order 981 is on its way", null);

	private @Nullable String template;

	private Map<String, @Nullable Object> data = Map.of();

	private @Nullable Instant sendAt;

	private @Nullable Instant expiresAt;

	private @Nullable String idempotencyKey;

	private TestEvents(String eventId, Instant acceptedAt) {
		this.eventId = eventId;
		this.acceptedAt = acceptedAt;
	}

	static TestEvents event(String eventId, Instant acceptedAt) {
		return new TestEvents(eventId, acceptedAt);
	}

	TestEvents type(String type) {
		this.type = type;
		return this;
	}

	TestEvents users(String... users) {
		this.recipients = new Recipients.Users(List.of(users));
		return this;
	}

	TestEvents topic(String topic) {
		this.recipients = new Recipients.Topic(topic);
		return this;
	}

	TestEvents all() {
		this.recipients = new Recipients.AllUsers(true);
		return this;
	}

	TestEvents priority(Priority priority) {
		this.priority = priority;
		return this;
	}

	TestEvents channels(Channel first, Channel... others) {
		this.channels = EnumSet.of(first, others);
		return this;
	}

	TestEvents content(Content content) {
		this.content = content;
		this.template = null;
		return this;
	}

	TestEvents template(String template, Map<String, @Nullable Object> data) {
		this.template = template;
		this.data = data;
		this.content = null;
		return this;
	}

	TestEvents data(Map<String, @Nullable Object> data) {
		this.data = data;
		return this;
	}

	TestEvents sendAt(Instant sendAt) {
		this.sendAt = sendAt;
		return this;
	}

	TestEvents expiresAt(Instant expiresAt) {
		this.expiresAt = expiresAt;
		return this;
	}

	/** Published under an idempotency key: the only events ingestion may write twice. */
	TestEvents idempotencyKey(String key) {
		this.idempotencyKey = key;
		return this;
	}

	EventAccepted build() {
		return new EventAccepted(EventAccepted.SCHEMA_VERSION, TENANT, this.eventId, this.acceptedAt, this.type,
				this.recipients, this.priority, this.idempotencyKey, this.channels, this.content, this.template,
				this.data, this.sendAt, this.expiresAt);
	}

}
