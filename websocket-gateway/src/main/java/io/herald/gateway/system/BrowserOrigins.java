package io.herald.gateway.system;

import io.herald.gateway.session.SessionProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Duration;
import java.util.List;

/**
 * Lets web apps on other origins use the gateway from the browser: the inbox API, SSE and the
 * browser client ({@code /herald-client.js}) answer with CORS headers for the origins of
 * {@link SessionProperties#allowedOrigins()}, the same list the WebSocket handshake checks. A
 * preflight is answered before authentication, since browsers send it without the token. User
 * tokens, not cookies, authenticate, so no credentials are allowed and {@code *} is safe.
 */
@Configuration(proxyBeanMethods = false)
class BrowserOrigins {

	/** Before the firewall's neighbours and the user token filter ({@code HIGHEST_PRECEDENCE + 10}). */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	/** How long a browser may reuse a preflight's answer. */
	static final Duration PREFLIGHT_MAX_AGE = Duration.ofHours(1);

	@Bean
	FilterRegistrationBean<CorsFilter> browserOriginsFilter(SessionProperties properties) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(properties.allowedOrigins());
		cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name(), HttpMethod.HEAD.name()));
		cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Last-Event-ID",
				"traceparent", "tracestate"));
		cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE));
		cors.setAllowCredentials(false);
		cors.setMaxAge(PREFLIGHT_MAX_AGE);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		// Not /v1/ws: WebSockets are not subject to CORS; the handshake checks the origin itself.
		for (String path : List.of("/v1/inbox", "/v1/inbox/**", "/v1/sse", "/herald-client.js")) {
			source.registerCorsConfiguration(path, cors);
		}
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
		registration.setOrder(ORDER);
		return registration;
	}

}
