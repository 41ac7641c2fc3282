package io.herald.routing.template.api;

import io.herald.events.Channel;
import io.herald.events.Identifiers;
import io.herald.events.JsonCodec;
import io.herald.events.WireNamed;
import io.herald.routing.template.TemplateBodies;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.FieldProblem;
import io.herald.support.web.FieldProblems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the bodies of the template API with limits that make a hostile document fail
 * fast, as a {@code 400 malformed_json} that names the limit and the line and column
 * where it was broken, before any deep recursion or large allocation; then checks them,
 * naming every offending field ({@code 400 invalid_request}).
 */
final class TemplateRequests {

	/** Deepest nesting: a template is 4 levels, a preview's {@code data} 16 more. */
	static final int MAX_DOCUMENT_DEPTH = 32;

	/**
	 * Most of {@code data} as JSON, and its deepest nesting: as for an event's
	 * {@code data}.
	 */
	static final int MAX_DATA_BYTES = 16 * 1024;

	static final int MAX_DATA_DEPTH = 16;

	/**
	 * Longest locale of a preview: the length RFC 5646 asks every implementation to
	 * support.
	 */
	static final int MAX_LOCALE_LENGTH = 35;

	private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*");

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_DOCUMENT_DEPTH)
				.maxNumberLength(100)
				.maxNameLength(1_000)
				.build())
			.build())
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private TemplateRequests() {
	}

	/**
	 * The body of {@code PUT /v1/templates/{templateId}}: a template.
	 * @throws ApiProblemException {@code 400} ({@code malformed_json} or
	 * {@code invalid_request})
	 */
	static TemplateBodies.Parsed template(byte[] body) {
		List<FieldProblem> problems = new ArrayList<>();
		try (JsonParser parser = MAPPER.createParser(body)) {
			first(parser);
			TemplateBodies.Parsed parsed = TemplateBodies.read(parser, "", problems);
			last(parser);
			if (parsed == null) {
				throw invalid(problems);
			}
			return parsed;
		}
		catch (JacksonException ex) {
			throw malformed(ex);
		}
	}

	/**
	 * The body of a preview: the data, locale and channels to render with; the template
	 * for {@code POST /v1/templates:preview}, the version for {@code POST
	 * /v1/templates/{id}/preview}. An empty body previews the stored template's latest
	 * version with no data, in the default locale, for every channel.
	 * @param withTemplate whether the body carries the template (and must)
	 * @throws ApiProblemException {@code 400} ({@code malformed_json} or
	 * {@code invalid_request})
	 */
	static Preview preview(byte[] body, boolean withTemplate) {
		List<FieldProblem> problems = new ArrayList<>();
		TemplateBodies.Parsed template = null;
		boolean templateGiven = false;
		Map<String, @Nullable Object> data = Map.of();
		String locale = null;
		Set<Channel> channels = EnumSet.allOf(Channel.class);
		Long version = null;
		if (body.length > 0 || withTemplate) {
			try (JsonParser parser = MAPPER.createParser(body)) {
				first(parser);
				if (parser.currentToken() != JsonToken.START_OBJECT) {
					throw invalid(List.of(FieldProblems.NOT_AN_OBJECT));
				}
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					TokenStreamLocation at = parser.currentTokenLocation();
					parser.nextToken();
					switch (name) {
						case "template" -> {
							if (withTemplate) {
								templateGiven = true;
								template = TemplateBodies.read(parser, "template.", problems);
							}
							else {
								problems.add(unknown(name, at, withTemplate));
								parser.skipChildren();
							}
						}
						case "data" -> data = data(parser.readValueAsTree(), problems);
						case "locale" -> locale = locale(parser.readValueAsTree(), problems);
						case "channels" -> channels = channels(parser.readValueAsTree(), problems);
						case "version" -> {
							if (withTemplate) {
								problems.add(unknown(name, at, withTemplate));
								parser.skipChildren();
							}
							else {
								version = version(parser.readValueAsTree(), problems);
							}
						}
						default -> {
							problems.add(unknown(name, at, withTemplate));
							parser.skipChildren();
						}
					}
				}
				last(parser);
			}
			catch (JacksonException ex) {
				throw malformed(ex);
			}
		}
		if (withTemplate && !templateGiven) {
			problems.add(new FieldProblem("template", "is required: the template to preview"));
		}
		if (!problems.isEmpty()) {
			throw invalid(problems);
		}
		return new Preview(template, data, locale, channels, version);
	}

	private static void first(JsonParser parser) {
		if (parser.nextToken() == null) {
			throw new ApiProblemException(ErrorCode.MALFORMED_JSON, "The body is empty; send a JSON object.");
		}
	}

	private static void last(JsonParser parser) {
		if (parser.nextToken() != null) {
			TokenStreamLocation at = parser.currentTokenLocation();
			throw new ApiProblemException(ErrorCode.MALFORMED_JSON, "The body has more after its JSON object, at line "
					+ at.getLineNr() + ", column " + at.getColumnNr() + ".");
		}
	}

	private static FieldProblem unknown(String name, TokenStreamLocation at, boolean withTemplate) {
		return new FieldProblem(name, "is not a field of a preview; expected "
				+ (withTemplate ? "template, " : "version, ") + "data, locale, channels", at.getLineNr(),
				at.getColumnNr());
	}

	private static Map<String, @Nullable Object> data(JsonNode node, List<FieldProblem> problems) {
		if (node.isNull()) {
			return Map.of();
		}
		if (!node.isObject()) {
			problems.add(new FieldProblem("data", "must be a JSON object"));
			return Map.of();
		}
		if (JsonCodec.MAPPER.writeValueAsBytes(node).length > MAX_DATA_BYTES) {
			problems.add(new FieldProblem("data", "must be at most " + MAX_DATA_BYTES + " bytes as JSON"));
			return Map.of();
		}
		if (depth(node) > MAX_DATA_DEPTH) {
			problems.add(new FieldProblem("data", "must be at most " + MAX_DATA_DEPTH + " levels deep"));
			return Map.of();
		}
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> data = JsonCodec.MAPPER.treeToValue(node, Map.class);
		return data;
	}

	private static int depth(JsonNode node) {
		int deepest = 0;
		for (JsonNode child : node) {
			deepest = Math.max(deepest, depth(child));
		}
		return (node.isContainer() ? 1 : 0) + deepest;
	}

	private static @Nullable String locale(JsonNode node, List<FieldProblem> problems) {
		if (node.isNull()) {
			return null;
		}
		if (!node.isString() || node.stringValue().length() > MAX_LOCALE_LENGTH
				|| !LOCALE.matcher(node.stringValue()).matches()) {
			problems.add(new FieldProblem("locale",
					"must be a BCP 47 language tag such as de-DE, at most " + MAX_LOCALE_LENGTH + " characters"));
			return null;
		}
		return node.stringValue();
	}

	private static Set<Channel> channels(JsonNode node, List<FieldProblem> problems) {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		if (!node.isArray() || node.isEmpty() || node.size() > Channel.values().length) {
			problems.add(new FieldProblem("channels", "must be a list of 1 to 4 of inapp, push, email, sms"));
			return channels;
		}
		for (int i = 0; i < node.size(); i++) {
			JsonNode item = node.get(i);
			Channel channel = item.isString() ? WireNamed.find(Channel.values(), item.stringValue()) : null;
			if (channel == null || !channels.add(channel)) {
				problems.add(new FieldProblem("channels[" + i + "]", "must be one of inapp, push, email, sms, once"));
			}
		}
		return channels;
	}

	private static @Nullable Long version(JsonNode node, List<FieldProblem> problems) {
		if (node.isNull()) {
			return null;
		}
		if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
			problems.add(new FieldProblem("version", "must be a version number, 1 or more"));
			return null;
		}
		return node.longValue();
	}

	/** A path variable that must be a template id. */
	static void requireTemplateId(String templateId) {
		if (!Identifiers.matches(Identifiers.TEMPLATE, templateId)) {
			throw invalid(List.of(new FieldProblem("templateId", "must be a template id matching [a-z0-9_.-]{1,100}")));
		}
	}

	/** A path variable that must be a version number. */
	static long requireVersion(String version) {
		if (!version.matches("[1-9][0-9]{0,17}")) {
			throw invalid(List.of(new FieldProblem("version", "must be a version number, 1 or more")));
		}
		return Long.parseLong(version);
	}

	/** The {@code 400 invalid_request} problem for these fields. */
	static ApiProblemException invalid(List<FieldProblem> problems) {
		String detail = (problems.size() == 1) ? "The field " + problems.get(0).field() + " is invalid."
				: problems.size() + " fields are invalid.";
		if (problems.size() == 1 && problems.get(0).field().isEmpty()) {
			detail = "The body " + problems.get(0).message() + ".";
		}
		return new ApiProblemException(ErrorCode.INVALID_REQUEST, detail, problems, HttpHeaders.EMPTY);
	}

	private static ApiProblemException malformed(JacksonException ex) {
		TokenStreamLocation at = ex.getLocation();
		String where = (at != null && at.getLineNr() > 0)
				? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
		return new ApiProblemException(ErrorCode.MALFORMED_JSON,
				"The body is not valid JSON" + where + ": " + ex.getOriginalMessage());
	}

	/**
	 * A preview request.
	 *
	 * @param template the template to preview, for {@code POST /v1/templates:preview}
	 * @param data the model
	 * @param locale the locale to render for, {@code null} for the default
	 * @param channels the channels to render for
	 * @param version the stored version to preview, {@code null} for the one in force
	 */
	record Preview(TemplateBodies.@Nullable Parsed template, Map<String, @Nullable Object> data,
			@Nullable String locale, Set<Channel> channels, @Nullable Long version) {
	}

}
