package io.herald.routing.user;

import io.herald.management.InternalEndpoint;
import io.herald.routing.query.InternalApiProperties;
import io.herald.routing.template.TemplateProperties;
import io.herald.support.web.BodyLimitFilter;
import io.herald.support.web.ProblemWriter;
import io.herald.support.web.RequestFirewall;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the user API's paths need from the web server. (The topic it writes,
 * {@code herald.user-commands}, is declared with the service's other topics in
 * {@code io.herald.routing.system.TopicsConfiguration}.)
 */
@Configuration(proxyBeanMethods = false)
class UserApiConfiguration {

	/** The instances' read endpoint, on the management port. */
	@Bean
	UserStateEndpoint userStateEndpoint(UserStateQueries queries) {
		return new UserStateEndpoint(queries);
	}

	/**
	 * Lets only requests with the instances' shared token reach
	 * {@link UserStateEndpoint}.
	 */
	@Bean
	InternalEndpoint userStateInternalEndpoint(InternalApiProperties properties) {
		return new InternalEndpoint(UserStateEndpoint.ID, properties.internalToken());
	}

	/** The gateway's way to a user's preferences, on the management port. */
	@Bean
	UserPreferencesEndpoint userPreferencesEndpoint(UserPreferences preferences, JsonMapper json) {
		return new UserPreferencesEndpoint(preferences, json);
	}

	/**
	 * Lets only requests with the gateway's preferences token (or, while none is set, the
	 * instances' shared token) reach {@link UserPreferencesEndpoint}.
	 */
	@Bean
	InternalEndpoint userPreferencesInternalEndpoint(InternalApiProperties properties) {
		return new InternalEndpoint(UserPreferencesEndpoint.ID, properties.preferencesEndpointToken());
	}

	/**
	 * Lets an encoded slash ({@code %2F}) through to Spring MVC, which decodes it inside
	 * its path segment: a Web Push device token is a URL, and {@code DELETE
	 * /v1/users/{userId}/devices/{token}} must be able to name it. Tomcat rejects such
	 * paths by default; passing them through changes nothing for paths without one, and a
	 * path variable can still never contain a slash that splits the path.
	 */
	@Bean
	TomcatConnectorCustomizer encodedSlashesInPathSegments() {
		return (connector) -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
	}

	/** The request firewall lets encoded slashes through as well, for the same reason. */
	@Bean
	RequestFirewall requestFirewall() {
		return RequestFirewall.strict().allowingEncodedSlashes();
	}

	/**
	 * Caps the request bodies of the routing service's API:
	 * {@code herald.routing.templates.max-body} for the template API
	 * ({@code /v1/templates}, its sub-paths and custom methods), which takes whole
	 * templates, and {@code herald.routing.users.max-body} for everything else.
	 */
	@Bean
	BodyLimitFilter apiBodyLimitFilter(UserApiProperties users, TemplateProperties templates, ProblemWriter problems) {
		long userLimit = users.maxBody().toBytes();
		long templateLimit = templates.maxBody().toBytes();
		return new BodyLimitFilter(
				(request) -> request.getRequestURI().startsWith("/v1/templates") ? templateLimit : userLimit, problems);
	}

}
