package io.herald.client;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Herald's REST API for a product service, with one tenant's API key. Thread-safe: build
 * one per key, share it, and close it when the service stops.
 *
 * <pre>{@code
 * HeraldClient herald = HeraldClient.builder()
 *     .apiKey(System.getenv("HERALD_API_KEY"))
 *     .ingestionUrl(URI.create("http://localhost:8080"))
 *     .usersUrl(URI.create("http://localhost:8081"))
 *     .build();
 * Published published = herald.events().publish(Event.builder("order.shipped")
 *     .toUsers("u-42")
 *     .content("Your order shipped", "Order 981 is on its way")
 *     .idempotencyKey("order-981-shipped")
 *     .build());
 * }</pre>
 */
public final class HeraldClient implements AutoCloseable {

	private final Events events;

	private final Users users;

	/**
	 * The HTTP client this client made, which it closes; {@code null} for one the caller
	 * gave.
	 */
	private final @Nullable HttpClient own;

	private HeraldClient(Builder builder) {
		this.own = (builder.httpClient != null) ? null
				: HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
		HttpClient http = (this.own != null) ? this.own : Objects.requireNonNull(builder.httpClient);
		Transport transport = new Transport(http, Objects.requireNonNull(builder.apiKey, "apiKey"),
				builder.requestTimeout, builder.retryPolicy);
		this.events = new Events(transport, directory(builder.ingestionUrl));
		this.users = new Users(transport, directory(builder.usersUrl));
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Publishing events and reading their status (the ingestion service). */
	public Events events() {
		return this.events;
	}

	/** Users, preferences, devices and topic subscriptions (the routing service). */
	public Users users() {
		return this.users;
	}

	/**
	 * Closes the HTTP client this client made (not one given to
	 * {@link Builder#httpClient}): its connections and threads. Calls made afterwards
	 * fail.
	 */
	@Override
	public void close() {
		if (this.own != null) {
			this.own.close();
		}
	}

	/**
	 * The URL as a directory, so that the API's paths resolve below any prefix a proxy
	 * adds.
	 */
	private static URI directory(URI url) {
		String text = url.toString();
		return text.endsWith("/") ? url : URI.create(text + "/");
	}

	/** Builds a {@link HeraldClient}. */
	public static final class Builder {

		private @Nullable String apiKey;

		private URI ingestionUrl = URI.create("http://localhost:8080");

		private URI usersUrl = URI.create("http://localhost:8081");

		private Duration connectTimeout = Duration.ofSeconds(5);

		private Duration requestTimeout = Duration.ofSeconds(15);

		private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;

		private @Nullable HttpClient httpClient;

		private Builder() {
		}

		/** The tenant's API key (required). */
		public Builder apiKey(String apiKey) {
			if (apiKey.isBlank()) {
				throw new IllegalArgumentException("The API key must not be blank");
			}
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * The ingestion service (events); default {@code http://localhost:8080}, the
		 * local stack's.
		 */
		public Builder ingestionUrl(URI url) {
			this.ingestionUrl = absolute(url, "ingestionUrl");
			return this;
		}

		/**
		 * The routing service (users, preferences, devices, topics); default
		 * {@code http://localhost:8081}.
		 */
		public Builder usersUrl(URI url) {
			this.usersUrl = absolute(url, "usersUrl");
			return this;
		}

		/**
		 * How long opening a connection may take; default 5 s. Ignored with
		 * {@link #httpClient}.
		 */
		public Builder connectTimeout(Duration timeout) {
			this.connectTimeout = positive(timeout, "connectTimeout");
			return this;
		}

		/** How long one attempt may wait for its answer; default 15 s. */
		public Builder requestTimeout(Duration timeout) {
			this.requestTimeout = positive(timeout, "requestTimeout");
			return this;
		}

		/** How requests are repeated; default {@link RetryPolicy#DEFAULT}. */
		public Builder retryPolicy(RetryPolicy policy) {
			this.retryPolicy = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/**
		 * The HTTP client to send with (its executor, proxy, TLS settings); default a new
		 * one.
		 */
		public Builder httpClient(HttpClient client) {
			this.httpClient = Objects.requireNonNull(client, "client");
			return this;
		}

		/**
		 * @throws NullPointerException without an API key
		 */
		public HeraldClient build() {
			if (this.apiKey == null) {
				throw new NullPointerException("An API key is required: builder().apiKey(...)");
			}
			return new HeraldClient(this);
		}

		private static URI absolute(URI url, String name) {
			String scheme = url.getScheme();
			if (!"http".equals(scheme) && !"https".equals(scheme)) {
				throw new IllegalArgumentException(name + " must be an http or https URL, not " + url);
			}
			return url;
		}

		private static Duration positive(Duration duration, String name) {
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, not " + duration);
			}
			return duration;
		}

	}

}
