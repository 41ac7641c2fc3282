package io.herald.gateway.preferences;

import io.herald.management.InternalEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Semaphore;

/**
 * Routing's internal preferences endpoint
 * ({@code /actuator/userpreferences/{tenant}/{userId}}), called with the preferences
 * token: a read is a {@code GET}, a replacement a {@code POST} of {@code {"preferences":
 * "<the body as text>"}}. Routing checks the body with the rules of its user API and
 * answers as that API does; this class only carries the answer back. At most
 * {@link PreferencesProperties#maxConcurrentCalls()} calls are under way at once, each
 * for at most {@link PreferencesProperties#timeout()}: a routing that hangs costs the
 * gateway that many connections, never more.
 */
final class RoutingPreferences implements AutoCloseable {

	private static final String PATH = "/actuator/userpreferences/{tenant}/{userId}";

	private final PreferencesProperties properties;

	private final @Nullable String token;

	private final JsonMapper json;

	private final HttpClient http;

	private final Semaphore calls;

	RoutingPreferences(PreferencesProperties properties, @Nullable String token, JsonMapper json) {
		this.properties = properties;
		this.token = token;
		this.json = json;
		this.calls = new Semaphore(properties.maxConcurrentCalls());
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.timeout())
			.build();
	}

	/** Whether routing can be asked at all: a token is configured. */
	boolean configured() {
		return this.token != null;
	}

	/** The user's preferences, as routing answers. */
	Answer read(String tenant, String userId) {
		return send(request(tenant, userId).GET());
	}

	/** Replaces the user's preferences with a body, as routing answers. */
	Answer replace(String tenant, String userId, String body) {
		String wrapped = this.json.createObjectNode().put("preferences", body).toString();
		return send(request(tenant, userId).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(wrapped)));
	}

	private HttpRequest.Builder request(String tenant, String userId) {
		URI uri = UriComponentsBuilder.fromUri(this.properties.routingUrl())
			.path(PATH)
			.encode()
			.buildAndExpand(tenant, userId)
			.toUri();
		return HttpRequest.newBuilder(uri)
			.timeout(this.properties.timeout())
			.header(InternalEndpoint.HEADER, String.valueOf(this.token))
			.header("Accept", "application/json");
	}

	private Answer send(HttpRequest.Builder request) {
		if (!configured()) {
			return new Answer.Unreachable("no token configured (HERALD_ROUTING_PREFERENCESTOKEN)");
		}
		if (!this.calls.tryAcquire()) {
			return new Answer.Unreachable("already " + this.properties.maxConcurrentCalls()
					+ " calls under way (herald.gateway.preferences.max-concurrent-calls)");
		}
		try {
			HttpResponse<byte[]> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			return new Answer.Answered(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Answer.Unreachable(ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Answer.Unreachable("interrupted");
		}
		finally {
			this.calls.release();
		}
	}

	/** Calls to routing under way now, for the gauge. */
	int callsInFlight() {
		return this.properties.maxConcurrentCalls() - this.calls.availablePermits();
	}

	@Override
	public void close() {
		this.http.close();
	}

	/** What became of a call to routing. */
	sealed interface Answer {

		/** Routing answered, with this status and body (JSON). */
		record Answered(int status, byte[] body) implements Answer {
		}

		/**
		 * Routing could not be asked, or did not answer in time.
		 *
		 * @param reason why, for the log
		 */
		record Unreachable(@Nullable String reason) implements Answer {
		}

	}

}
