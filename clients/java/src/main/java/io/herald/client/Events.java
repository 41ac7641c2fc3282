package io.herald.client;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Publishing events and reading their status: the ingestion API (API.md section 1). */
public final class Events {

	/** Most events one batch request may carry. */
	public static final int MAX_BATCH = 500;

	private final Transport transport;

	private final URI base;

	Events(Transport transport, URI base) {
		this.transport = transport;
		this.base = base;
	}

	/**
	 * Publishes one event. Repeated by the client when it got no answer only if the event
	 * has an idempotency key.
	 * @return its id, and whether it was a repeat of an earlier one with the same key
	 * @throws HeraldApiException {@link ProblemKind#INVALID} or
	 * {@link ProblemKind#TOO_LARGE} for an event Herald refuses,
	 * {@link ProblemKind#RATE_LIMITED} or {@link ProblemKind#UNAVAILABLE} when the
	 * retries ran out
	 */
	public Published publish(Event event) {
		Transport.Answer answer = this.transport.send("POST", this.base.resolve("v1/events"), encode(event), Map.of(),
				event.idempotencyKey() != null);
		JsonNode body = answer.json();
		return new Published(body.path("eventId").stringValue(), "duplicate".equals(body.path("status").stringValue()));
	}

	/**
	 * Publishes up to {@value #MAX_BATCH} events in one request; one refused event does
	 * not refuse the others. Repeated by the client when it got no answer only if every
	 * event has an idempotency key.
	 * @return what became of each event, in the order given
	 */
	public List<BatchResult> publishBatch(List<Event> events) {
		if (events.isEmpty() || events.size() > MAX_BATCH) {
			throw new IllegalArgumentException("A batch holds 1 to " + MAX_BATCH + " events, not " + events.size());
		}
		ObjectNode body = Transport.JSON.createObjectNode();
		ArrayNode list = body.putArray("events");
		boolean keyed = true;
		for (Event event : events) {
			list.add(encode(event));
			keyed &= event.idempotencyKey() != null;
		}
		JsonNode answer = this.transport.send("POST", this.base.resolve("v1/events:batch"), body, Map.of(), keyed)
			.json();
		List<BatchResult> results = new ArrayList<>();
		for (JsonNode result : answer.path("results")) {
			JsonNode eventId = result.path("eventId");
			JsonNode problem = result.path("problem");
			BatchResult.Outcome outcome = switch (result.path("status").asString("")) {
				case "accepted" -> BatchResult.Outcome.ACCEPTED;
				case "duplicate" -> BatchResult.Outcome.DUPLICATE;
				default -> BatchResult.Outcome.REJECTED;
			};
			results.add(new BatchResult(outcome, eventId.isString() ? eventId.stringValue() : null,
					problem.isObject() ? Transport.problem(problem.path("status").asInt(400), problem) : null));
		}
		return results;
	}

	/**
	 * The event's delivery status.
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for an unknown id or
	 * another tenant's event
	 */
	public EventStatus status(String eventId) {
		JsonNode body = this.transport
			.send("GET", Paths.resolve(this.base, "v1/events/", eventId), null, Map.of(), true)
			.json();
		List<Delivery> deliveries = new ArrayList<>();
		for (JsonNode delivery : body.path("deliveries")) {
			String state = delivery.path("state").asString("");
			deliveries.add(new Delivery(delivery.path("userId").asString(""), delivery.path("channel").asString(""),
					JsonFields.text(delivery, "device"), DeliveryState.fromWire(state), state,
					JsonFields.text(delivery, "reason"),
					delivery.path("seq").isNumber() ? delivery.path("seq").longValue() : null,
					JsonFields.text(delivery, "providerId"), JsonFields.instant(delivery, "until"),
					JsonFields.instant(delivery, "at")));
		}
		Map<String, Map<String, Long>> summary = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> channel : body.path("summary").properties()) {
			Map<String, Long> counts = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> state : channel.getValue().properties()) {
				counts.put(state.getKey(), state.getValue().longValue());
			}
			summary.put(channel.getKey(), counts);
		}
		return new EventStatus(body.path("eventId").asString(eventId), JsonFields.instant(body, "acceptedAt"),
				JsonFields.instant(body, "cancelledAt"), deliveries, summary);
	}

	/**
	 * Cancels the event: what has not gone out is not sent (scheduled, deferred, waiting
	 * for a retry) and its in-app notifications are retracted from every device and the
	 * inbox. Repeating it changes nothing.
	 * @return when Herald recorded the cancellation
	 * @throws HeraldApiException {@link ProblemKind#NOT_FOUND} for an unknown id or
	 * another tenant's event (also, for a moment, for an event just accepted)
	 */
	public Instant cancel(String eventId) {
		JsonNode body = this.transport
			.send("DELETE", Paths.resolve(this.base, "v1/events/", eventId), null, Map.of(), true)
			.json();
		Instant cancelledAt = JsonFields.instant(body, "cancelledAt");
		if (cancelledAt == null) {
			throw new HeraldTransportException("Herald answered a cancellation without its cancelledAt",
					new java.io.IOException("cancelledAt missing"));
		}
		return cancelledAt;
	}

	static ObjectNode encode(Event event) {
		ObjectNode json = Transport.JSON.createObjectNode();
		json.put("type", event.type());
		ObjectNode recipients = json.putObject("recipients");
		switch (event.recipients()) {
			case Recipients.Users users -> {
				ArrayNode ids = recipients.putArray("users");
				users.ids().forEach(ids::add);
			}
			case Recipients.Topic topic -> recipients.put("topic", topic.name());
			case Recipients.All all -> recipients.put("all", true);
		}
		if (event.priority() != null) {
			json.put("priority", event.priority().wireName());
		}
		if (event.idempotencyKey() != null) {
			json.put("idempotencyKey", event.idempotencyKey());
		}
		if (!event.channels().isEmpty()) {
			ArrayNode channels = json.putArray("channels");
			event.channels().forEach((channel) -> channels.add(channel.wireName()));
		}
		Event.Content content = event.content();
		if (content != null) {
			ObjectNode texts = json.putObject("content");
			texts.put("title", content.title());
			texts.put("body", content.body());
			if (!content.overrides().isEmpty()) {
				ObjectNode overrides = texts.putObject("overrides");
				content.overrides().forEach((channel, own) -> {
					ObjectNode node = overrides.putObject(channel.wireName());
					if (own.title() != null) {
						node.put("title", own.title());
					}
					if (own.body() != null) {
						node.put("body", own.body());
					}
				});
			}
		}
		if (event.template() != null) {
			json.put("template", event.template());
		}
		if (!event.data().isEmpty()) {
			json.set("data", Transport.JSON.valueToTree(event.data()));
		}
		if (event.sendAt() != null) {
			json.put("sendAt", event.sendAt().toString());
		}
		if (event.expiresAt() != null) {
			json.put("expiresAt", event.expiresAt().toString());
		}
		return json;
	}

}
