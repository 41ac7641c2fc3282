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
 * and checks it as the files are checked: every locale a tag ({@code default},
 * {@code de}, {@code de-DE}; compared case-insensitively, {@code _} the same as
 * {@code -}, each at most once), {@code default} with a title and a body, keys
 * {@code title}, {@code body}, {@code html} and the channel sections {@code inapp},
 * {@code push}, {@code email}, {@code sms} (with {@code html} in {@code email} only),
 * every value text, every text a template {@link TemplateCompiler} accepts. Any other
 * field is refused, so a typo cannot pass for a template that silently lacks a text. The
 * parser must refuse a key given twice in one object (which value counts must not depend
 * on it).
 *
 * <p>
 * Every problem names its field by JSON path ({@code locales.de.sms.body}); a problem of
 * the structure carries the line and column of the request body where it is, a problem of
 * a text's Mustache the line (and column, when known) within that text.
 */
public final class TemplateBodies {

	/** Most locales one template may have: far more than any product translates into. */
	public static final int MAX_LOCALES = 100;

	private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*");

	private static final String KEYS = "title, body, html, inapp, push, email, sms";

	private TemplateBodies() {
	}

	/**
	 * Reads the template whose object starts at the parser's current token, and leaves
	 * the parser on its last token.
	 * @param parser a parser of the request body, on the template's first token
	 * @param path the template's JSON path with a trailing dot ({@code template.}), or
	 * empty for the whole body
	 * @param problems where the problems go
	 * @return the template, or {@code null} when it has problems
	 * @throws tools.jackson.core.JacksonException when the body is not JSON or breaks a
	 * parser limit
	 */
	public static @Nullable Parsed read(JsonParser parser, String path, List<FieldProblem> problems) {
		int before = problems.size();
		String object = path.isEmpty() ? "" : path.substring(0, path.length() - 1);
		Map<String, String> names = new HashMap<>();
		Map<String, TemplateTexts> texts = new TreeMap<>();
		boolean[] given = new boolean[1];
		TokenStreamLocation start = parser.currentTokenLocation();
		boolean read = fields(parser, object, problems, (name, field, at) -> {
			if (name.equals("locales")) {
				given[0] = true;
				locales(parser, field, names, texts, problems);
			}
			else {
				problems.add(problem(field, "is not a field of a template; expected locales", at));
				parser.skipChildren();
			}
		});
		if (read && !given[0] && problems.size() == before) {
			problems.add(problem(path + "locales", "is required: the texts by locale, at least default", start));
		}
		if (problems.size() > before) {
			return null;
		}
		return compile(path + "locales.", texts, names, problems);
	}

	private static void locales(JsonParser parser, String path, Map<String, String> names,
			Map<String, TemplateTexts> locales, List<FieldProblem> problems) {
		TokenStreamLocation start = parser.currentTokenLocation();
		boolean read = fields(parser, path, problems, (name, field, at) -> {
			String normalized = LocaleFallback.normalize(name);
			String problem = null;
			if (!name.equals(LocaleFallback.DEFAULT) && !LOCALE.matcher(name).matches()) {
				problem = "is not a locale; name a locale default or after a language tag, such as de or de-DE";
			}
			else if (names.containsKey(normalized)) {
				problem = "is the same locale as " + names.get(normalized) + "; keep one of the two";
			}
			else if (names.size() == MAX_LOCALES) {
				problem = "is one locale too many: at most " + MAX_LOCALES;
			}
			if (problem != null) {
				problems.add(problem(field, problem, at));
				parser.skipChildren();
				return;
			}
			names.put(normalized, name);
			TemplateTexts texts = locale(parser, field, normalized.equals(LocaleFallback.DEFAULT), problems);
			if (texts != null) {
				locales.put(normalized, texts);
			}
		});
		if (read && !names.containsKey(LocaleFallback.DEFAULT)) {
			problems.add(problem(path,
					"needs a locale default, with a title and a body: the fallback for " + "every channel and locale",
					start));
		}
	}

	private static @Nullable TemplateTexts locale(JsonParser parser, String path, boolean isDefault,
			List<FieldProblem> problems) {
		TokenStreamLocation start = parser.currentTokenLocation();
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
		Map<Channel, ChannelContent> sections = new EnumMap<>(Channel.class);
		boolean read = fields(parser, path, problems, (name, field, at) -> {
			TemplateField text = TemplateField.ofKey(name);
			Channel channel = channel(name);
			if (text != null) {
				text(parser, field, text, fields, problems);
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
		});
		if (!read) {
			return null;
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
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
		boolean read = fields(parser, path, problems, (name, field, at) -> {
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
				text(parser, field, text, fields, problems);
			}
		});
		return read ? new ChannelContent(fields.get(TemplateField.TITLE), fields.get(TemplateField.BODY),
				fields.get(TemplateField.HTML)) : null;
	}

	/**
	 * Reads the fields of the object at the parser's current token, each by a reader that
	 * leaves the parser on the field value's last token.
	 * @return {@code false} when the value is not an object (reported, and skipped)
	 */
	private static boolean fields(JsonParser parser, String path, List<FieldProblem> problems, FieldReader reader) {
		if (parser.currentToken() != JsonToken.START_OBJECT) {
			problems.add(problem(path, "must be a JSON object", parser.currentTokenLocation()));
			parser.skipChildren();
			return false;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			TokenStreamLocation at = parser.currentTokenLocation();
			parser.nextToken();
			reader.read(name, path.isEmpty() ? name : path + "." + name, at);
		}
		return true;
	}

	/** Reads one field of an object. */
	@FunctionalInterface
	private interface FieldReader {

		/**
		 * @param name the field's name
		 * @param field its JSON path
		 * @param at where its name is in the body
		 */
		void read(String name, String field, TokenStreamLocation at);

	}

	/** Reads the text of a field into {@code fields}, or reports why it is not one. */
	private static void text(JsonParser parser, String path, TemplateField field, Map<TemplateField, String> fields,
			List<FieldProblem> problems) {
		TokenStreamLocation at = parser.currentTokenLocation();
		if (parser.currentToken() != JsonToken.VALUE_STRING) {
			problems.add(problem(path, "must be text", at));
			parser.skipChildren();
			return;
		}
		String value = parser.getString();
		if (value.indexOf('\0') >= 0 || !JsonCodec.isWellFormed(value)) {
			problems.add(problem(path, "must not contain NUL characters or unpaired surrogates", at));
			return;
		}
		fields.put(field, value);
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
	 *
	 * @param texts its texts by normalized locale
	 * @param compiled the texts compiled, ready to render
	 */
	public record Parsed(Map<String, TemplateTexts> texts, CompiledTemplate compiled) {
	}

}
