package io.herald.ingestion.ingest;

import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.Content;
import io.herald.events.Identifiers;
import io.herald.events.JsonCodec;
import io.herald.events.Priority;
import io.herald.events.Recipients;
import io.herald.events.WireNamed;
import io.herald.ingestion.template.TemplateCatalog;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one event of {@code POST /v1/events} against API.md and turns it into an
 * {@link EventDraft}, or lists every offending field with a message that says what is
 * expected.
 *
 * <p>
 * It reads the JSON tree itself rather than binding it first, so that a value of the
 * wrong JSON type is reported against its field like any other mistake, and one bad event
 * of a batch never spoils the others. Unknown fields are ignored: callers may send fields
 * a later API version adds.
 */
final class EventValidator {

	/**
	 * Longest title: far above any channel's display limit, well below the body limit.
	 */
	static final int MAX_TITLE_LENGTH = 1_000;

	/** Longest body and HTML body, in characters. */
	static final int MAX_BODY_LENGTH = 32_000;

	/** Longest idempotency key, in characters. */
	static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

	/**
	 * Deepest nesting of {@code data}, the object itself being level 1. Templates read a
	 * few levels, and clients get {@code data} wrapped in a notification frame or an
	 * inbox page a few levels deeper still: 16 levels leave real documents room while
	 * keeping every downstream reader (routing's and the gateway's JSON parsers allow 500
	 * levels) far from its limit.
	 */
	static final int MAX_DATA_DEPTH = 16;

	/**
	 * Largest number magnitude, as a decimal exponent: what a 64-bit floating-point
	 * number can hold.
	 */
	private static final int MAX_NUMBER_EXPONENT = 308;

	/**
	 * Smallest non-zero number magnitude, as a decimal exponent: the smallest 64-bit
	 * floating-point number.
	 */
	private static final int MIN_NUMBER_EXPONENT = -324;

	/**
	 * How far ahead {@code expiresAt} may lie: a century means "never" to any caller, and
	 * keeps every time far inside what downstream stages count in epoch milliseconds.
	 */
	static final Duration MAX_EXPIRES_AHEAD = Duration.ofDays(100 * 365);

	/** At most this many problems are listed for the entries of one array. */
	private static final int MAX_PROBLEMS_PER_ARRAY = 10;

	private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]+");

	private final IngestionProperties properties;

	private final Clock clock;

	private final TemplateCatalog templates;

	EventValidator(IngestionProperties properties, Clock clock, TemplateCatalog templates) {
		this.properties = properties;
		this.clock = clock;
		this.templates = templates;
	}

	/** The outcome of validating one event: a draft, or the problems. */
	sealed interface Result {

		record Valid(EventDraft draft) implements Result {
		}

		record Invalid(List<FieldProblem> problems) implements Result {
		}

		/**
		 * The event is valid as far as it could be checked, but names a template and the
		 * template catalog is not loaded yet: ask again shortly.
		 *
		 * @param detail why, for people
		 */
		record Unavailable(String detail) implements Result {
		}

	}

	/**
	 * Validates one event of a tenant, on its own.
	 * @param tenant the tenant whose templates the event may name
	 * @param event the event as sent
	 */
	Result validate(String tenant, JsonNode event) {
		return validate(tenant, event, catalogView());
	}

	/** A view of the template catalog for the events of one request. */
	CatalogView catalogView() {
		return new CatalogView(this.templates);
	}

	/**
	 * Validates one event of a tenant.
	 * @param tenant the tenant whose templates the event may name
	 * @param event the event as sent
	 * @param catalog the template catalog as the event's request sees it
	 */
	Result validate(String tenant, JsonNode event, CatalogView catalog) {
		FieldProblems problems = new FieldProblems();
		if (!event.isObject()) {
			return new Result.Invalid(List.of(FieldProblems.NOT_AN_OBJECT));
		}
		String type = requiredString(event, "type", Identifiers.EVENT_TYPE,
				"must match [a-z0-9_.-]{1,100}, for example order.shipped", problems);
		Recipients recipients = recipients(event.get("recipients"), problems);
		Priority priority = priority(event.get("priority"), problems);
		String idempotencyKey = idempotencyKey(event.get("idempotencyKey"), problems);
		Set<Channel> channels = channels(event.get("channels"), problems);
		JsonNode contentNode = FieldProblems.present(event.get("content"));
		JsonNode templateNode = FieldProblems.present(event.get("template"));
		Content content = null;
		String template = null;
		if ((contentNode == null) == (templateNode == null)) {
			problems.add((contentNode == null) ? "content" : "template",
					"exactly one of content and template is required");
		}
		else if (contentNode != null) {
			content = content(contentNode, problems);
		}
		else {
			template = string(templateNode, "template", Identifiers.TEMPLATE, "must match [a-z0-9_.-]{1,100}",
					problems);
		}
		Map<String, @Nullable Object> data = data(event.get("data"), problems);
		Instant sendAt = instant(event.get("sendAt"), "sendAt", problems);
		Instant expiresAt = instant(event.get("expiresAt"), "expiresAt", problems);
		Instant now = this.clock.instant();
		long maxDays = this.properties.maxSendAtAhead().toDays();
		if (sendAt != null && sendAt.isAfter(now.plus(this.properties.maxSendAtAhead()))) {
			problems.add("sendAt", "must be at most " + maxDays + " days ahead");
		}
		else if (sendAt != null && sendAt.isBefore(now.minus(this.properties.maxSendAtAhead()))) {
			problems.add("sendAt", "must be at most " + maxDays + " days in the past (a past time means now)");
		}
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			problems.add("expiresAt", "must be in the future");
		}
		else if (expiresAt != null && expiresAt.isAfter(now.plus(MAX_EXPIRES_AHEAD))) {
			problems.add("expiresAt", "must be at most " + MAX_EXPIRES_AHEAD.toDays() + " days ahead");
		}
		else if (expiresAt != null && sendAt != null && !expiresAt.isAfter(sendAt)) {
			problems.add("expiresAt", "must be after sendAt");
		}
		boolean catalogLoaded = (template == null)
				|| checkTemplate(catalog, tenant, template, channels, event, problems);
		if (!problems.isEmpty()) {
			return result(problems, null);
		}
		if (!catalogLoaded) {
			return new Result.Unavailable("The template catalog is still loading, so the template '" + template
					+ "' cannot be checked yet; nothing was accepted. Retry later.");
		}
		return result(problems, new EventDraft(type, recipients, priority, idempotencyKey, channels, content, template,
				data, sendAt, expiresAt, (template != null) ? catalog.offset() : null));
	}

	/**
	 * Checks that the template exists for the tenant and renders every channel the event
	 * lists explicitly. Returns {@code false} when the catalog cannot tell yet.
	 */
	private boolean checkTemplate(CatalogView catalog, String tenant, String template, Set<Channel> channels,
			JsonNode event, FieldProblems problems) {
		switch (catalog.lookup(tenant, template)) {
			case TemplateCatalog.Lookup.NotLoaded notLoaded -> {
				return false;
			}
			case TemplateCatalog.Lookup.Undefined undefined ->
				problems.add("template", "no template '" + template + "' is defined");
			case TemplateCatalog.Lookup.Defined defined -> {
				JsonNode listed = event.get("channels");
				for (int i = 0; listed != null && listed.isArray() && i < listed.size(); i++) {
					Channel channel = channel(listed.get(i));
					if (channel != null && channels.contains(channel) && !defined.channels().contains(channel)) {
						problems.add("channels[" + i + "]", "template '" + template + "' does not render "
								+ channel.wireName() + "; it renders " + wireNames(defined.channels()));
					}
				}
			}
		}
		return true;
	}

	/**
	 * The template catalog as the events of one request see it: brought up to date with
	 * every template change acknowledged before the request
	 * ({@link TemplateCatalog#sync()}) once, before the request's first lookup, so an
	 * event sent after a template was created, changed or deleted is checked against that
	 * change. Used by the request's thread only.
	 */
	static final class CatalogView {

		private final TemplateCatalog catalog;

		private boolean synced;

		private @Nullable Long offset;

		CatalogView(TemplateCatalog catalog) {
			this.catalog = catalog;
		}

		TemplateCatalog.Lookup lookup(String tenant, String templateId) {
			if (!this.synced) {
				this.offset = this.catalog.sync();
				this.synced = true;
			}
			return this.catalog.lookup(tenant, templateId);
		}

		/**
		 * The catalog's position after the sync, which an accepted templated event
		 * carries.
		 */
		@Nullable Long offset() {
			return this.offset;
		}

	}

	private static String wireNames(Set<Channel> channels) {
		return String.join(", ", channels.stream().sorted().map(Channel::wireName).toList());
	}

	private @Nullable Recipients recipients(@Nullable JsonNode node, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			problems.add("recipients", "is required: one of users, topic or all");
			return null;
		}
		if (!node.isObject()) {
			problems.add("recipients", "must be an object with one of users, topic or all");
			return null;
		}
		JsonNode users = FieldProblems.present(node.get("users"));
		JsonNode topic = FieldProblems.present(node.get("topic"));
		JsonNode all = FieldProblems.present(node.get("all"));
		int given = ((users != null) ? 1 : 0) + ((topic != null) ? 1 : 0) + ((all != null) ? 1 : 0);
		if (given != 1) {
			problems.add("recipients", "must have exactly one of users, topic or all");
			return null;
		}
		if (users != null) {
			return users(users, problems);
		}
		if (topic != null) {
			String name = string(topic, "recipients.topic", Identifiers.TOPIC, "must match [a-z0-9_.-]{1,100}",
					problems);
			return (name != null) ? new Recipients.Topic(name) : null;
		}
		if (!all.isBoolean() || !all.booleanValue()) {
			problems.add("recipients.all", "must be true");
			return null;
		}
		return new Recipients.AllUsers(true);
	}

	private Recipients.@Nullable Users users(JsonNode users, FieldProblems problems) {
		int max = this.properties.maxRecipients();
		if (!users.isArray() || users.isEmpty() || users.size() > max) {
			problems.add("recipients.users", "must be an array of 1 to " + max + " user ids");
			return null;
		}
		Set<String> ids = new LinkedHashSet<>();
		int bad = 0;
		for (int i = 0; i < users.size(); i++) {
			JsonNode user = users.get(i);
			if (user.isString() && Identifiers.matches(Identifiers.USER_ID, user.stringValue())) {
				ids.add(user.stringValue());
			}
			else if (bad++ < MAX_PROBLEMS_PER_ARRAY) {
				problems.add("recipients.users[" + i + "]", "must be a user id matching [A-Za-z0-9._:@+-]{1,128}");
			}
		}
		return (bad == 0) ? new Recipients.Users(List.copyOf(ids)) : null;
	}

	private static Priority priority(@Nullable JsonNode node, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			return Priority.NORMAL;
		}
		Priority priority = node.isString() ? WireNamed.find(Priority.values(), node.stringValue()) : null;
		if (priority == null) {
			problems.add("priority", "must be one of critical, high, normal, low");
			return Priority.NORMAL;
		}
		return priority;
	}

	private static @Nullable String idempotencyKey(@Nullable JsonNode node, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			return null;
		}
		if (!node.isString() || node.stringValue().isEmpty() || node.stringValue().length() > MAX_IDEMPOTENCY_KEY_LENGTH
				|| !PRINTABLE.matcher(node.stringValue()).matches() || !JsonCodec.isWellFormed(node.stringValue())) {
			problems.add("idempotencyKey",
					"must be a string of 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable characters");
			return null;
		}
		return node.stringValue();
	}

	private static Set<Channel> channels(@Nullable JsonNode node, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			return Set.of();
		}
		if (!node.isArray() || node.isEmpty()) {
			problems.add("channels", "must be a non-empty array of inapp, push, email, sms");
			return Set.of();
		}
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		for (int i = 0; i < node.size(); i++) {
			Channel channel = channel(node.get(i));
			if (channel == null) {
				problems.add("channels[" + i + "]", "must be one of inapp, push, email, sms");
			}
			else {
				channels.add(channel);
			}
		}
		return channels;
	}

	private static @Nullable Content content(JsonNode node, FieldProblems problems) {
		if (!node.isObject()) {
			problems.add("content", "must be an object with title and body");
			return null;
		}
		String title = text(node.get("title"), "content.title", MAX_TITLE_LENGTH, true, problems);
		String body = text(node.get("body"), "content.body", MAX_BODY_LENGTH, true, problems);
		Map<Channel, ChannelContent> overrides = new EnumMap<>(Channel.class);
		JsonNode overridesNode = FieldProblems.present(node.get("overrides"));
		if (overridesNode != null && !overridesNode.isObject()) {
			problems.add("content.overrides", "must be an object keyed by channel");
		}
		else if (overridesNode != null) {
			for (Map.Entry<String, JsonNode> entry : overridesNode.properties()) {
				String path = "content.overrides." + entry.getKey();
				Channel channel = channel(entry.getKey());
				if (channel == null) {
					problems.add(path, "must be one of inapp, push, email, sms");
				}
				else if (!entry.getValue().isObject()) {
					problems.add(path, "must be an object with title, body or html");
				}
				else {
					JsonNode override = entry.getValue();
					overrides.put(channel,
							new ChannelContent(
									text(override.get("title"), path + ".title", MAX_TITLE_LENGTH, false, problems),
									text(override.get("body"), path + ".body", MAX_BODY_LENGTH, false, problems),
									text(override.get("html"), path + ".html", MAX_BODY_LENGTH, false, problems)));
				}
			}
		}
		return (title != null && body != null) ? new Content(title, body, overrides) : null;
	}

	private Map<String, @Nullable Object> data(@Nullable JsonNode node, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			return Map.of();
		}
		if (!node.isObject()) {
			problems.add("data", "must be a JSON object");
			return Map.of();
		}
		if (!wellFormedData(node, "data", 1, problems)) {
			return Map.of();
		}
		long size = JsonCodec.MAPPER.writeValueAsBytes(node).length;
		if (size > this.properties.maxData().toBytes()) {
			problems.add("data",
					"must be at most " + this.properties.maxData().toBytes() + " bytes as JSON, was " + size);
			return Map.of();
		}
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> data = JsonCodec.MAPPER.treeToValue(node, Map.class);
		return data;
	}

	private static @Nullable Instant instant(@Nullable JsonNode node, String field, FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			return null;
		}
		if (node.isString()) {
			try {
				return OffsetDateTime.parse(node.stringValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
			}
			catch (DateTimeParseException ex) {
				// reported below
			}
		}
		problems.add(field, "must be an RFC 3339 time with an offset, for example 2026-11-22T18:00:00Z");
		return null;
	}

	private static @Nullable String requiredString(JsonNode event, String field, Pattern shape, String expected,
			FieldProblems problems) {
		JsonNode node = FieldProblems.present(event.get(field));
		if (node == null) {
			problems.add(field, "is required");
			return null;
		}
		return string(node, field, shape, expected, problems);
	}

	private static @Nullable String string(JsonNode node, String field, Pattern shape, String expected,
			FieldProblems problems) {
		if (!node.isString() || !shape.matcher(node.stringValue()).matches()) {
			problems.add(field, expected);
			return null;
		}
		return node.stringValue();
	}

	private static @Nullable String text(@Nullable JsonNode node, String field, int maxLength, boolean required,
			FieldProblems problems) {
		if (FieldProblems.present(node) == null) {
			if (required) {
				problems.add(field, "is required");
			}
			return null;
		}
		if (!node.isString() || node.stringValue().isBlank() || node.stringValue().length() > maxLength) {
			problems.add(field, "must be a non-blank string of at most " + maxLength + " characters");
			return null;
		}
		if (node.stringValue().indexOf('\u0000') >= 0 || !JsonCodec.isWellFormed(node.stringValue())) {
			problems.add(field, "must be text without NUL characters or unpaired surrogates");
			return null;
		}
		return node.stringValue();
	}

	/**
	 * Whether {@code data} can travel to every reader unchanged: at most
	 * {@link #MAX_DATA_DEPTH} levels deep, strings and keys of well-formed UTF-16 (an
	 * unpaired surrogate has no UTF-8 encoding), numbers a 64-bit floating-point number
	 * can hold. Reports the first offence.
	 */
	private static boolean wellFormedData(JsonNode node, String path, int depth, FieldProblems problems) {
		if (node.isContainer() && depth > MAX_DATA_DEPTH) {
			problems.add("data", "must be nested at most " + MAX_DATA_DEPTH + " levels deep; " + path + " is deeper");
			return false;
		}
		if (node.isString() && !JsonCodec.isWellFormed(node.stringValue())) {
			problems.add(path, "must be text without unpaired surrogates");
			return false;
		}
		if (node.isNumber() && !node.isIntegralNumber() && outOfRange(node.decimalValue())
				|| node.isBigInteger() && node.bigIntegerValue().bitLength() > 1023) {
			problems.add(path, "must be a number within the range of a 64-bit floating-point number");
			return false;
		}
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				String child = path + "." + entry.getKey();
				if (!JsonCodec.isWellFormed(entry.getKey())) {
					problems.add(path, "must have keys without unpaired surrogates");
					return false;
				}
				if (!wellFormedData(entry.getValue(), child, depth + 1, problems)) {
					return false;
				}
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				if (!wellFormedData(node.get(i), path + "[" + i + "]", depth + 1, problems)) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean outOfRange(BigDecimal number) {
		if (number.signum() == 0) {
			return false;
		}
		// precision - scale - 1 is the decimal exponent of the leading digit.
		long exponent = (long) number.precision() - number.scale() - 1;
		return exponent > MAX_NUMBER_EXPONENT || exponent < MIN_NUMBER_EXPONENT;
	}

	private static @Nullable Channel channel(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? channel(node.stringValue()) : null;
	}

	private static @Nullable Channel channel(String name) {
		return WireNamed.find(Channel.values(), name);
	}

	private static Result result(FieldProblems problems, @Nullable EventDraft draft) {
		return (draft != null && problems.isEmpty()) ? new Result.Valid(draft) : new Result.Invalid(problems.list());
	}

}
