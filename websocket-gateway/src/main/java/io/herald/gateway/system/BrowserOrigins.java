package io.herald.gateway.system;

import io.herald.gateway.session.SessionProperties;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Lets web apps on other origins use the gateway from the browser: the inbox API, SSE and
 * the browser client ({@code /herald-client.js}) answer with CORS headers for the origins
 * of {@link SessionProperties#allowedOrigins()}, the same list the WebSocket handshake
 * checks. A preflight is answered before authentication, since browsers send it without
 * the token. User tokens, not cookies, authenticate, so no credentials are allowed and
 * {@code *} is safe. A request from another origin, or a preflight asking for a method or
 * header the gateway does not take, is refused with {@code 403}
 * {@link ErrorCode#ORIGIN_NOT_ALLOWED}.
 */
@Configuration(proxyBeanMethods = false)
class BrowserOrigins {

	/**
	 * Before the firewall's neighbours and the user token filter
	 * ({@code HIGHEST_PRECEDENCE + 10}).
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	/**
	 * The paths that answer web apps on other origins (not {@code /v1/ws}: WebSockets are
	 * not subject to CORS).
	 */
	static final List<String> PATHS = List.of("/v1/inbox", "/v1/inbox/**", "/v1/sse", "/herald-client.js");

	/** How long a browser may reuse a preflight's answer. */
	static final Duration PREFLIGHT_MAX_AGE = Duration.ofHours(1);

	@Bean
	FilterRegistrationBean<CorsFilter> browserOriginsFilter(SessionProperties properties, ProblemWriter problems) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(properties.allowedOrigins());
		cors.setAllowedMethods(
				List.of(HttpMethod.GET.name(), HttpMethod.POST.name(), HttpMethod.PUT.name(), HttpMethod.HEAD.name()));
		cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Last-Event-ID",
				"traceparent", "tracestate"));
		cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE));
		cors.setAllowCredentials(false);
		cors.setMaxAge(PREFLIGHT_MAX_AGE);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		// Not /v1/ws: the handshake checks the origin itself.
		for (String path : PATHS) {
			source.registerCorsConfiguration(path, cors);
		}
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new ProblemCorsProcessor(problems));
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(ORDER);
		return registration;
	}

	/**
	 * Refuses with a problem detail of the catalogue, not Spring's plain-text "Invalid
	 * CORS request".
	 */
	private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

		private final ProblemWriter problems;

		ProblemCorsProcessor(ProblemWriter problems) {
			this.problems = problems;
		}

		@Override
		protected void rejectRequest(ServerHttpResponse response) throws IOException {
			this.problems.write(response, ErrorCode.ORIGIN_NOT_ALLOWED.problem(
					"The origin is not allowed, or the preflight asks for a method or header the gateway does not take."));
		}

	}

}
