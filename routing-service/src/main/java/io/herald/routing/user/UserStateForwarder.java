package io.herald.routing.user;

import io.herald.events.JsonCodec;
import io.herald.events.RecordDecodingException;
import io.herald.events.UserState;
import io.herald.management.InternalEndpoint;
import org.apache.kafka.streams.state.HostInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Reads a user's state from the routing instance that owns it, over that instance's
 * {@code GET /actuator/userstate/{tenant}/{userId}} on its management port, which Kafka Streams
 * advertises as {@code application.server} ({@link UserStateEndpoint}). Never throws: every
 * failure is a {@link Lookup.Unavailable} the caller may retry. Without a shared token
 * ({@code herald.routing.internal-token}) it does not forward at all.
 */
@Component
class UserStateForwarder implements AutoCloseable {

	/** The header that carries {@link InternalApiProperties#internalToken()}. */
	static final String TOKEN_HEADER = InternalEndpoint.HEADER;

	/** The JSON of a user state between instances: the codec of the records on topics. */
	static final JsonCodec<UserState> CODEC = new JsonCodec<>(UserState.class, UserState.SCHEMA_VERSION);

	private static final Logger logger = LoggerFactory.getLogger(UserStateForwarder.class);

	private final HttpClient http;

	private final UserApiProperties properties;

	private final @Nullable String token;

	UserStateForwarder(UserApiProperties properties, InternalApiProperties internal) {
		this.properties = properties;
		this.token = internal.internalToken();
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.forwardTimeout())
			.build();
	}

	/** Reads the state of a user from the instance that owns it. */
	Lookup fetch(HostInfo owner, String tenant, String userId) {
		String token = this.token;
		if (token == null) {
			return new Lookup.Unavailable("owned by " + owner + ", and forwarding is off: every routing instance "
					+ "needs the same herald.routing.internal-token");
		}
		HttpRequest request = HttpRequest.newBuilder(uri(owner, tenant, userId))
			.timeout(this.properties.forwardTimeout())
			.header(TOKEN_HEADER, token)
			.GET()
			.build();
		try {
			HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			return switch (response.statusCode()) {
				case 200 -> new Lookup.Found(CODEC.decode(response.body()));
				case 404 -> new Lookup.Missing();
				default -> {
					if (response.statusCode() == 401 || response.statusCode() == 403) {
						logger.warn("Routing instance {} refused the internal token: every instance needs the same "
								+ "herald.routing.internal-token", owner);
					}
					yield new Lookup.Unavailable("owner " + owner + " answered " + response.statusCode());
				}
			};
		}
		catch (IOException | RecordDecodingException ex) {
			return new Lookup.Unavailable("owner " + owner + " failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Lookup.Unavailable("interrupted");
		}
	}

	private static URI uri(HostInfo owner, String tenant, String userId) {
		String host = (owner.host().indexOf(':') >= 0 && !owner.host().startsWith("[")) ? "[" + owner.host() + "]"
				: owner.host();
		return UriComponentsBuilder.newInstance()
			.scheme("http")
			.host(host)
			.port(owner.port())
			.path("/actuator/" + UserStateEndpoint.ID + "/{tenant}/{userId}")
			.encode()
			.buildAndExpand(tenant, userId)
			.toUri();
	}

	@Override
	public void close() {
		this.http.close();
	}

}
