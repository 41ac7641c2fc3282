package io.herald.management;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * An actuator endpoint that other instances of a service call, not operators: the
 * management filter lets a request to it through only with the instances' shared token in
 * {@link #HEADER} ({@code 401} without, {@code 403} with another one or when no token is
 * configured), and never with the operator token. A service declares one as a bean.
 *
 * @param id the endpoint's id, the path segment after the actuator's base path
 * @param token the shared token, or {@code null} when none is configured: the endpoint
 * then refuses every request
 */
public record InternalEndpoint(String id, @Nullable String token) {

	/** The header that carries the shared token. */
	public static final String HEADER = "X-Herald-Internal";

	byte @Nullable [] tokenBytes() {
		return (this.token != null) ? this.token.getBytes(StandardCharsets.UTF_8) : null;
	}

}
