package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An event to publish (API.md, {@code POST /v1/events}). Built with
 * {@link #builder(String)}, which checks what the client can check before sending; Herald
 * checks the rest and answers {@link ProblemKind#INVALID} with the offending fields.
 *
 * @param type the category, {@code [a-z0-9_.-]{1,100}}
 * @param recipients who it is for
 * @param priority its priority, {@code null} for Herald's default ({@code normal})
 * @param idempotencyKey a key that makes a repeat within 24 h answer {@code duplicate};
 * also what lets the client repeat a publish that got no answer
 * @param channels the only channels to use, empty for every channel the users'
 * preferences allow
 * @param content literal texts, when no template is named
 * @param template the template to render, when no content is given
 * @param data free JSON (at most 16 KiB), for templates and in-app and push clients
 * @param sendAt deliver no earlier than this
 * @param expiresAt drop what is not delivered by then
 */
public record Event(String type, Recipients recipients, @Nullable Priority priority, @Nullable String idempotencyKey,
		Set<Channel> channels, @Nullable Content content, @Nullable String template, Map<String, @Nullable Object> data,
		@Nullable Instant sendAt, @Nullable Instant expiresAt) {

	public Event {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(recipients, "recipients");
		channels = Set.copyOf(channels);
		data = new LinkedHashMap<>(data);
		if ((content == null) == (template == null)) {
			throw new IllegalArgumentException(
					"An event has either content or a template, not " + ((content == null) ? "neither" : "both"));
		}
	}

	/** An event of this type (its category, such as {@code order.shipped}). */
	public static Builder builder(String type) {
		return new Builder(type);
	}

	/**
	 * Literal texts.
	 *
	 * @param title the title (in-app, push, email subject)
	 * @param body the body
	 * @param overrides a channel's own texts
	 */
	public record Content(String title, String body, Map<Channel, Texts> overrides) {

		public Content {
			Objects.requireNonNull(title, "title");
			Objects.requireNonNull(body, "body");
			overrides = overrides.isEmpty() ? Map.of() : new EnumMap<>(overrides);
		}

	}

	/** One channel's own title and body; either may be left to the event's. */
	public record Texts(@Nullable String title, @Nullable String body) {
	}

	/** Builds an {@link Event}. */
	public static final class Builder {

		private final String type;

		private @Nullable Recipients recipients;

		private @Nullable Priority priority;

		private @Nullable String idempotencyKey;

		private final Set<Channel> channels = new LinkedHashSet<>();

		private @Nullable String title;

		private @Nullable String body;

		private final Map<Channel, Texts> overrides = new EnumMap<>(Channel.class);

		private @Nullable String template;

		private final Map<String, @Nullable Object> data = new LinkedHashMap<>();

		private @Nullable Instant sendAt;

		private @Nullable Instant expiresAt;

		private Builder(String type) {
			this.type = Objects.requireNonNull(type, "type");
		}

		public Builder toUsers(String... userIds) {
			return toUsers(Arrays.asList(userIds));
		}

		public Builder toUsers(List<String> userIds) {
			this.recipients = new Recipients.Users(new ArrayList<>(userIds));
			return this;
		}

		public Builder toTopic(String topic) {
			this.recipients = new Recipients.Topic(topic);
			return this;
		}

		public Builder toAllUsers() {
			this.recipients = new Recipients.All();
			return this;
		}

		public Builder priority(Priority priority) {
			this.priority = priority;
			return this;
		}

		public Builder idempotencyKey(String key) {
			this.idempotencyKey = key;
			return this;
		}

		public Builder channels(Channel... channels) {
			this.channels.clear();
			this.channels.addAll(Arrays.asList(channels));
			return this;
		}

		public Builder content(String title, String body) {
			this.title = title;
			this.body = body;
			return this;
		}

		/** A channel's own texts, beside {@link #content(String, String)}. */
		public Builder override(Channel channel, @Nullable String title, @Nullable String body) {
			this.overrides.put(channel, new Texts(title, body));
			return this;
		}

		public Builder template(String templateId) {
			this.template = templateId;
			return this;
		}

		public Builder data(Map<String, ? extends @Nullable Object> data) {
			this.data.putAll(data);
			return this;
		}

		public Builder data(String key, @Nullable Object value) {
			this.data.put(key, value);
			return this;
		}

		public Builder sendAt(Instant sendAt) {
			this.sendAt = sendAt;
			return this;
		}

		public Builder expiresAt(Instant expiresAt) {
			this.expiresAt = expiresAt;
			return this;
		}

		/**
		 * @throws IllegalArgumentException without recipients, with neither or both of
		 * content and template, or with overrides but no content
		 */
		public Event build() {
			if (this.recipients == null) {
				throw new IllegalArgumentException("An event needs recipients: toUsers, toTopic or toAllUsers");
			}
			if (this.title == null && !this.overrides.isEmpty()) {
				throw new IllegalArgumentException("Channel overrides need the event's content(title, body)");
			}
			Content content = (this.title != null)
					? new Content(this.title, Objects.requireNonNull(this.body), this.overrides) : null;
			return new Event(this.type, this.recipients, this.priority, this.idempotencyKey, this.channels, content,
					this.template, this.data, this.sendAt, this.expiresAt);
		}

	}

}
