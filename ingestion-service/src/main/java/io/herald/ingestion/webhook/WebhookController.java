package io.herald.ingestion.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.DeliveryState;
import io.herald.ingestion.ingest.IngestionProperties;
import io.herald.ingestion.ingest.RequestJson;
import io.herald.support.apikey.ApiKey;
import io.herald.support.apikey.CurrentApiKey;
import io.herald.support.apikey.Scope;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.lettuce.core.RedisException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The webhook API: {@code POST /v1/webhooks} registers an endpoint and answers its
 * signing secret (shown this once), {@code GET /v1/webhooks} and {@code GET
 * /v1/webhooks/{endpointId}} show them without secrets, {@code DELETE
 * /v1/webhooks/{endpointId}} removes one, and {@code POST
 * /v1/webhooks/{endpointId}/secret} rotates its secret (the previous one signs too for a
 * while). Reads need the scope {@code EVENTS_READ}, as the status they carry; changes
 * need {@code EVENTS_READ} and {@code EVENTS_WRITE}. Only the key's tenant's endpoints
 * exist for it: another tenant's endpoint is a {@code 404}, as one that never existed.
 */
@RestController
class WebhookController {

	/** The longest description kept: a note for people, not a payload. */
	static final int MAX_DESCRIPTION_LENGTH = 200;

	private static final Pattern ENDPOINT_ID = Pattern.compile("ep_[0-9a-f]{16}");

	private static final String STATES = Arrays.stream(DeliveryState.values())
		.map(DeliveryState::wireName)
		.collect(Collectors.joining(", "));

	private static final Logger logger = LoggerFactory.getLogger(WebhookController.class);

	private final WebhookStore store;

	private final WebhookProperties properties;

	private final IngestionProperties ingestion;

	private final EndpointAddresses addresses;

	private final Clock clock;

	WebhookController(WebhookStore store, WebhookProperties properties, IngestionProperties ingestion, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.ingestion = ingestion;
		this.addresses = new EndpointAddresses(properties.allowPrivateNetworks());
		this.clock = clock;
	}

	@PostMapping(path = "/v1/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<View> create(@RequestBody byte[] body, HttpServletRequest request) {
		ApiKey key = writer(request);
		JsonNode json = RequestJson.document(body, "one webhook endpoint");
		List<FieldProblem> problems = new ArrayList<>();
		if (!json.isObject()) {
			problems.add(new FieldProblem("", "must be a JSON object with url and states"));
			reject(problems);
		}
		String url = text(json, "url", problems);
		if (url != null) {
			String problem = this.addresses.problem(url);
			if (problem != null) {
				problems.add(new FieldProblem("url", problem));
			}
		}
		Set<DeliveryState> states = states(json.get("states"), problems);
		String description = null;
		JsonNode given = json.get("description");
		if (given != null && !given.isNull()) {
			if (!given.isString() || given.stringValue().length() > MAX_DESCRIPTION_LENGTH) {
				problems.add(new FieldProblem("description",
						"must be a string of at most " + MAX_DESCRIPTION_LENGTH + " characters"));
			}
			else {
				description = given.stringValue();
			}
		}
		reject(problems);
		WebhookEndpoint endpoint = new WebhookEndpoint(Signatures.newEndpointId(), url, states, description,
				Signatures.newSecret(), null, null, this.clock.instant(), null, null);
		boolean created = available(
				() -> this.store.create(key.tenant(), endpoint, this.properties.maxEndpointsPerTenant()));
		if (!created) {
			throw new ApiProblemException(ErrorCode.TOO_MANY_WEBHOOKS,
					"The tenant has " + this.properties.maxEndpointsPerTenant()
							+ " webhook endpoints, as many as it may have; delete one first.");
		}
		return ResponseEntity.status(HttpStatus.CREATED)
			.location(URI.create("/v1/webhooks/" + endpoint.id()))
			.body(View.of(endpoint, endpoint.secret(), null));
	}

	@GetMapping("/v1/webhooks")
	EndpointList list(HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		return new EndpointList(available(() -> this.store.list(key.tenant())).stream()
			.map((endpoint) -> View.of(endpoint, null, null))
			.toList());
	}

	@GetMapping("/v1/webhooks/{endpointId}")
	View get(@PathVariable String endpointId, HttpServletRequest request) {
		ApiKey key = CurrentApiKey.require(request, Scope.EVENTS_READ);
		return View.of(existing(key, endpointId), null, null);
	}

	@DeleteMapping("/v1/webhooks/{endpointId}")
	ResponseEntity<Void> delete(@PathVariable String endpointId, HttpServletRequest request) {
		ApiKey key = writer(request);
		if (!ENDPOINT_ID.matcher(endpointId).matches()
				|| !available(() -> this.store.delete(key.tenant(), endpointId))) {
			throw notFound(endpointId);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * A new secret; the previous one goes on signing calls for
	 * {@code previous-secret-validity}.
	 */
	@PostMapping("/v1/webhooks/{endpointId}/secret")
	View rotateSecret(@PathVariable String endpointId, HttpServletRequest request) {
		ApiKey key = writer(request);
		WebhookEndpoint endpoint = existing(key, endpointId);
		Instant previousUntil = this.clock.instant().plus(this.properties.previousSecretValidity());
		WebhookEndpoint rotated = endpoint.withSecret(Signatures.newSecret(), previousUntil);
		if (!available(() -> this.store.update(key.tenant(), rotated))) {
			throw notFound(endpointId);
		}
		return View.of(rotated, rotated.secret(), previousUntil);
	}

	private static ApiKey writer(HttpServletRequest request) {
		CurrentApiKey.require(request, Scope.EVENTS_READ);
		return CurrentApiKey.require(request, Scope.EVENTS_WRITE);
	}

	private WebhookEndpoint existing(ApiKey key, String endpointId) {
		WebhookEndpoint endpoint = ENDPOINT_ID.matcher(endpointId).matches()
				? available(() -> this.store.find(key.tenant(), endpointId)) : null;
		if (endpoint == null) {
			throw notFound(endpointId);
		}
		return endpoint;
	}

	private static ApiProblemException notFound(String endpointId) {
		String shown = (endpointId.length() <= 40) ? endpointId : endpointId.substring(0, 40) + "...";
		return new ApiProblemException(ErrorCode.NOT_FOUND, "No webhook endpoint '" + shown + "'.");
	}

	private static @Nullable String text(JsonNode json, String field, List<FieldProblem> problems) {
		JsonNode value = json.get(field);
		if (value == null || !value.isString()) {
			problems.add(new FieldProblem(field, "is required: a string"));
			return null;
		}
		return value.stringValue();
	}

	private static Set<DeliveryState> states(@Nullable JsonNode value, List<FieldProblem> problems) {
		Set<DeliveryState> states = EnumSet.noneOf(DeliveryState.class);
		if (value == null || !value.isArray() || value.isEmpty() || value.size() > DeliveryState.values().length) {
			problems.add(new FieldProblem("states",
					"is required: an array of 1 to " + DeliveryState.values().length + " of " + STATES));
			return states;
		}
		for (int i = 0; i < value.size(); i++) {
			JsonNode state = value.get(i);
			try {
				states.add(DeliveryState.fromWireName(state.isString() ? state.stringValue() : ""));
			}
			catch (IllegalArgumentException ex) {
				problems.add(new FieldProblem("states[" + i + "]", "must be one of " + STATES));
			}
		}
		return states;
	}

	private static void reject(List<FieldProblem> problems) {
		if (!problems.isEmpty()) {
			String detail = (problems.size() == 1)
					? "'" + problems.get(0).field() + "' " + problems.get(0).message() + "."
					: problems.size() + " fields are invalid.";
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST, detail, problems, HttpHeaders.EMPTY);
		}
	}

	private <T> T available(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (DataAccessException | RedisException ex) {
			logger.warn("Webhook store unavailable: {}", ex.toString());
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, this.ingestion.unavailableRetryAfter().toSeconds())));
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE,
					"The webhook store cannot be reached; retry later.", List.of(), headers);
		}
	}

	/**
	 * An endpoint as the API shows it.
	 *
	 * @param status {@code enabled}, or {@code disabled} once it answered
	 * {@code 410 Gone}
	 * @param secret the signing secret: only in the answers that make one
	 * @param previousSecretValidUntil after a rotation: until when calls are also signed
	 * with the previous secret
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record View(String id, String url, List<String> states, @Nullable String description, String status,
			Instant createdAt, @Nullable Instant disabledAt, @Nullable String disabledReason, @Nullable String secret,
			@Nullable Instant previousSecretValidUntil) {

		static View of(WebhookEndpoint endpoint, @Nullable String secret, @Nullable Instant previousSecretValidUntil) {
			List<String> states = endpoint.states().stream().sorted().map(DeliveryState::wireName).toList();
			return new View(endpoint.id(), endpoint.url(), states, endpoint.description(),
					(endpoint.disabledAt() == null) ? "enabled" : "disabled", endpoint.createdAt(),
					endpoint.disabledAt(), endpoint.disabledReason(), secret, previousSecretValidUntil);
		}

	}

	/** The body of {@code GET /v1/webhooks}. */
	record EndpointList(List<View> webhooks) {
	}

}
