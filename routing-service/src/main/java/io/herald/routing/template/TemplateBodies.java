package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.JsonCodec;
import io.herald.events.TemplateTexts;
import io.herald.support.web.FieldProblem;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a template from the JSON of the template API, in the model of the template files:
 *
 * <pre>
 * {"locales": {"default": {"title": "...", "body": "...", "html": "...", "sms": {"body": "..."}},
 *              "de": {"title": "..."}}}
 * </pre>
 *
 * and checks it as the files are checked: every locale a tag ({@code default}, {@code de},
 * {@code de-DE}; compared case-insensitively, {@code _} the same as {@code -}, each at most once),
 * {@code default} with a title and a body, keys {@code title}, {@code body}, {@code html} and the
 * channel sections {@code inapp}, {@code push}, {@code email}, {@code sms} (with {@code html} in
 * {@code email} only), every value text, every text a template {@link TemplateCompiler} accepts.
 * Any other field is refused, so a typo cannot pass for a template that silently lacks a text. The
 * parser must refuse a key given twice in one object (which value counts must not depend on it).
 *
 * <p>Every problem names its field by JSON path ({@code locales.de.sms.body}); a problem of the
 * structure carries the line and column of the request body where it is, a problem of a text's
 * Mustache the line (and column, when known) within that text.
 */
public final class TemplateBodies {

	/** Most locales one template may have: far more than any product translates into. */
	public static final int MAX_LOCALES = 100;

	private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*");

	private static final String KEYS = "title, body, html, inapp, push, email, sms";

	private TemplateBodies() {
	}

	/**
	 * Reads the template whose object starts at the parser's current token, and leaves the parser
	 * on its last token.
	 * @param parser a parser of the request body, on the template's first token
	 * @param path the template's JSON path with a trailing dot ({@code template.}), or empty for the
	 * whole body
	 * @param problems where the problems go
	 * @return the template, or {@code null} when it has problems
	 * @throws tools.jackson.core.JacksonException when the body is not JSON or breaks a parser limit
	 */
	public static @Nullable Parsed read(JsonParser parser, String path, List<FieldProblem> problems) {
		int before = problems.size();
		Map<String, TemplateTexts> texts = null;
		Map<String, String> names = new HashMap<>();
		if (!object(parser, path.isEmpty() ? "" : path.substring(0, path.length() - 1), problems)) {
			return null;
		}
		TokenStreamLocation start = parser.currentTokenLocation();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			TokenStreamLocation at = parser.currentTokenLocation();
			parser.nextToken();
			if (name.equals("locales")) {
				texts = locales(parser, path + "locales", names, problems);
			}
			else {
				problems.add(problem(path + name, "is not a field of a template; expected locales", at));
				parser.skipChildren();
			}
		}
		if (texts == null && problems.size() == before) {
			problems.add(problem(path + "locales", "is required: the texts by locale, at least default", start));
		}
		if (texts == null || problems.size() > before) {
			return null;
		}
		return compile(path + "locales.", texts, names, problems);
	}

	private static @Nullable Map<String, TemplateTexts> locales(JsonParser parser, String path,
			Map<String, String> names, List<FieldProblem> problems) {
		if (!object(parser, path, problems)) {
			return null;
		}
		TokenStreamLocation start = parser.currentTokenLocation();
		Map<String, TemplateTexts> locales = new TreeMap<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			TokenStreamLocation at = parser.currentTokenLocation();
			parser.nextToken();
			String field = path + "." + name;
			if (!name.equals(LocaleFallback.DEFAULT) && !LOCALE.matcher(name).matches()) {
				problems.add(problem(field, "is not a locale; name a locale default or after a language tag, "
						+ "such as de or de-DE", at));
				parser.skipChildren();
				continue;
			}
			String normalized = LocaleFallback.normalize(name);
			String previous = names.putIfAbsent(normalized, name);
			if (previous != null) {
				problems.add(problem(field, "is the same locale as " + previous + "; keep one of the two", at));
				parser.skipChildren();
				continue;
			}
			if (locales.size() == MAX_LOCALES) {
				problems.add(problem(field, "is one locale too many: at most " + MAX_LOCALES, at));
				parser.skipChildren();
				continue;
			}
			TemplateTexts texts = locale(parser, field, normalized.equals(LocaleFallback.DEFAULT), problems);
			if (texts != null) {
				locales.put(normalized, texts);
			}
		}
		if (!names.containsKey(LocaleFallback.DEFAULT)) {
			problems.add(problem(path, "needs a locale default, with a title and a body: the fallback for "
					+ "every channel and locale", start));
		}
		return locales;
	}

	private static @Nullable TemplateTexts locale(JsonParser parser, String path, boolean isDefault,
			List<FieldProblem> problems) {
		if (!object(parser, path, problems)) {
			return null;
		}
		TokenStreamLocation start = parser.currentTokenLocation();
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
		Map<Channel, ChannelContent> sections = new EnumMap<>(Channel.class);
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			TokenStreamLocation at = parser.currentTokenLocation();
			parser.nextToken();
			String field = path + "." + name;
			TemplateField text = TemplateField.ofKey(name);
			Channel channel = channel(name);
			if (text != null) {
				String value = text(parser, field, problems);
				if (value != null) {
					fields.put(text, value);
				}
			}
			else if (channel != null) {
				ChannelContent section = section(parser, field, channel, problems);
				if (section != null) {
					sections.put(channel, section);
				}
			}
			else {
				problems.add(problem(field, "is not a field of a locale; expected one of " + KEYS, at));
				parser.skipChildren();
			}
		}
		if (isDefault) {
			for (TemplateField required : List.of(TemplateField.TITLE, TemplateField.BODY)) {
				if (!fields.containsKey(required)) {
					problems.add(problem(path + "." + required.key(),
							"is required in default: the fallback for every channel and locale", start));
				}
			}
		}
		return new TemplateTexts(fields.get(TemplateField.TITLE), fields.get(TemplateField.BODY),
				fields.get(TemplateField.HTML), sections);
	}

	private static @Nullable ChannelContent section(JsonParser parser, String path, Channel channel,
			List<FieldProblem> problems) {
		if (!object(parser, path, problems)) {
			return null;
		}
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			TokenStreamLocation at = parser.currentTokenLocation();
			parser.nextToken();
			String field = path + "." + name;
			TemplateField text = TemplateField.ofKey(name);
			if (text == null) {
				problems.add(problem(field, "is not a field of a channel; expected one of title, body, html", at));
				parser.skipChildren();
			}
			else if (text == TemplateField.HTML && channel != Channel.EMAIL) {
				problems.add(problem(field, "would never be used; only email has an HTML body", at));
				parser.skipChildren();
			}
			else {
				String value = text(parser, field, problems);
				if (value != null) {
					fields.put(text, value);
				}
			}
		}
		return new ChannelContent(fields.get(TemplateField.TITLE), fields.get(TemplateField.BODY),
				fields.get(TemplateField.HTML));
	}

	private static @Nullable String text(JsonParser parser, String path, List<FieldProblem> problems) {
		TokenStreamLocation at = parser.currentTokenLocation();
		if (parser.currentToken() != JsonToken.VALUE_STRING) {
			problems.add(problem(path, "must be text", at));
			parser.skipChildren();
			return null;
		}
		String value = parser.getString();
		if (value.indexOf('\0') >= 0 || !JsonCodec.isWellFormed(value)) {
			problems.add(problem(path, "must not contain NUL characters or unpaired surrogates", at));
			return null;
		}
		return value;
	}

	/** Compiles every text, naming each problem by its path and its place in the text. */
	private static @Nullable Parsed compile(String path, Map<String, TemplateTexts> texts, Map<String, String> names,
			List<FieldProblem> problems) {
		int before = problems.size();
		Map<String, LocalizedTemplate> locales = new TreeMap<>();
		texts.forEach((locale, localeTexts) -> {
			String prefix = path + names.get(locale) + ".";
			locales.put(locale, LocalizedTemplate.compile(locale, localeTexts,
					(field, source, kind) -> compiled(prefix + field, source, kind, problems)));
		});
		if (problems.size() > before) {
			return null;
		}
		return new Parsed(texts, new CompiledTemplate(locales));
	}

	private static @Nullable Template compiled(String path, String source, TemplateField field,
			List<FieldProblem> problems) {
		return switch (TemplateCompiler.compile(source, field)) {
			case TemplateCompiler.Compiled.Valid valid -> valid.template();
			case TemplateCompiler.Compiled.Invalid invalid -> {
				problems.add(new FieldProblem(path, "invalid Mustache: " + invalid.message(), invalid.line(),
						(invalid.column() > 0) ? invalid.column() : null));
				yield null;
			}
		};
	}

	private static boolean object(JsonParser parser, String path, List<FieldProblem> problems) {
		if (parser.currentToken() == JsonToken.START_OBJECT) {
			return true;
		}
		problems.add(problem(path, "must be a JSON object", parser.currentTokenLocation()));
		parser.skipChildren();
		return false;
	}

	private static @Nullable Channel channel(String key) {
		for (Channel channel : Channel.values()) {
			if (channel.wireName().equals(key)) {
				return channel;
			}
		}
		return null;
	}

	/** A problem at a place in the request body. */
	static FieldProblem problem(String field, String message, TokenStreamLocation at) {
		return new FieldProblem(field, message, (at.getLineNr() > 0) ? at.getLineNr() : null,
				(at.getColumnNr() > 0) ? at.getColumnNr() : null);
	}

	/**
	 * A template read from a request.
	 * @param texts its texts by normalized locale
	 * @param compiled the texts compiled, ready to render
	 */
	public record Parsed(Map<String, TemplateTexts> texts, CompiledTemplate compiled) {
	}

}
