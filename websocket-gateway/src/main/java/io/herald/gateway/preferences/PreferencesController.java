package io.herald.gateway.preferences;

import io.herald.gateway.auth.CurrentUser;
import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.inbox.StoreFailures;
import io.herald.gateway.preferences.RoutingPreferences.Answer;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The user's own preferences, with the user token like the inbox ({@code GET} and
 * {@code PUT /v1/inbox/preferences}): the same body, rules, answers and problem details
 * as {@code GET} and {@code PUT /v1/users/{userId}/preferences} of routing's user API,
 * for the token's tenant and user only (there is no user in the path to name another).
 * Routing checks and stores them (its internal endpoint, {@link RoutingPreferences}); a
 * user routing does not know reads the defaults.
 *
 * <p>
 * Answers: {@code 200} (and {@code 202} for a write routing has not shown yet) with the
 * preferences; routing's {@code 400} unchanged but for {@code instance}; {@code 503}
 * {@code service_unavailable} with {@code Retry-After} when routing cannot be reached,
 * does not answer within {@code herald.gateway.preferences.timeout}, refuses the token
 * (logged as a WARN line), or has {@code max-concurrent-calls} under way already, and
 * when the gateway has no token for routing.
 */
@RestController
class PreferencesController {

	static final String PATH = "/v1/inbox/preferences";

	private static final Logger logger = LoggerFactory.getLogger(PreferencesController.class);

	private final RoutingPreferences routing;

	private final JsonMapper json;

	private final PreferencesMetrics metrics;

	PreferencesController(RoutingPreferences routing, JsonMapper json, MeterRegistry meters) {
		this.routing = routing;
		this.json = json;
		this.metrics = new PreferencesMetrics(meters, routing);
	}

	@GetMapping(PATH)
	ResponseEntity<byte[]> preferences(HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		Answer answer = this.metrics.routing("read").record(() -> this.routing.read(user.tenant(), user.userId()));
		return relay("read", answer, request);
	}

	/**
	 * The body is read as any JSON, so that one that is not JSON is
	 * {@code malformed_json} here and one of another shape is refused by routing's rules,
	 * as the user API does.
	 */
	@PutMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<byte[]> replace(@RequestBody JsonNode body, HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		String text = body.toString();
		Answer answer = this.metrics.routing("replace")
			.record(() -> this.routing.replace(user.tenant(), user.userId(), text));
		return relay("replace", answer, request);
	}

	private ResponseEntity<byte[]> relay(String operation, Answer answer, HttpServletRequest request) {
		if (answer instanceof Answer.Answered answered) {
			switch (answered.status()) {
				case 200, 202 -> {
					this.metrics.count(operation, (answered.status() == 200) ? "ok" : "accepted");
					return ResponseEntity.status(answered.status())
						.contentType(MediaType.APPLICATION_JSON)
						.body(answered.body());
				}
				case 400 -> {
					this.metrics.count(operation, "invalid");
					return problem(400, answered.body(), request, HttpHeaders.EMPTY);
				}
				case 503 -> {
					this.metrics.count(operation, "unavailable");
					return problem(503, answered.body(), request, retryAfter());
				}
				default -> logger.warn(
						"Routing answered {} {} with {}: check herald.gateway.preferences.routing-url and "
								+ "that the gateway and routing share HERALD_ROUTING_PREFERENCESTOKEN",
						request.getMethod(), PATH, answered.status());
			}
		}
		else if (answer instanceof Answer.Unreachable unreachable) {
			logger.warn("Routing could not serve {} {}: {}", request.getMethod(), PATH, unreachable.reason());
		}
		this.metrics.count(operation, "unavailable");
		throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
				"Preferences cannot be reached right now; nothing was changed. Retry later.", List.of(), retryAfter());
	}

	/** Routing's problem, naming this request as its {@code instance}. */
	private ResponseEntity<byte[]> problem(int status, byte[] body, HttpServletRequest request, HttpHeaders headers) {
		byte[] relayed = body;
		try {
			JsonNode problem = this.json.readTree(body);
			if (problem instanceof ObjectNode object) {
				object.put("instance", request.getRequestURI());
				relayed = this.json.writeValueAsBytes(object);
			}
		}
		catch (JacksonException ex) {
			// Routing always answers JSON; pass on whatever came.
		}
		return ResponseEntity.status(status)
			.headers(headers)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(relayed);
	}

	private static HttpHeaders retryAfter() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(StoreFailures.RETRY_AFTER.toSeconds()));
		return headers;
	}

}
