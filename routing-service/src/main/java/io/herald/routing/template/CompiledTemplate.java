package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import io.herald.events.TemplateTexts;
import io.herald.routing.template.TemplateRenderer.Rendered;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One template with every locale compiled: immutable, thread-safe, rendered for any
 * channel and locale within a {@link RenderBudget}.
 * <p>
 * A text is looked up for the requested locale, then for each less specific locale down
 * to {@code default} ({@link LocaleFallback}); within one locale, the channel's section
 * ({@code sms}) wins over the locale's top-level text. A more specific locale thus wins
 * over a channel section of a less specific one: a German SMS uses {@code de}'s
 * {@code body} rather than {@code default}'s {@code sms.body}. The HTML body is rendered
 * for email only. Title and body are plain text; only the HTML body is HTML-escaped.
 * Variables missing from the data render as nothing.
 */
public final class CompiledTemplate {

	private final Map<String, LocalizedTemplate> locales;

	/**
	 * @param locales every locale by its normalized tag; {@code default} has a title and
	 * a body
	 */
	CompiledTemplate(Map<String, LocalizedTemplate> locales) {
		LocalizedTemplate fallback = locales.get(LocaleFallback.DEFAULT);
		if (fallback == null || fallback.fields().get(TemplateField.TITLE) == null
				|| fallback.fields().get(TemplateField.BODY) == null) {
			throw new IllegalArgumentException("a template needs a default locale with a title and a body");
		}
		this.locales = Map.copyOf(locales);
	}

	/**
	 * Compiles texts that were checked when they were written (a tenant's template on the
	 * catalog topic).
	 * @param location the template, for messages
	 * @param texts the texts by normalized locale
	 * @throws InvalidTemplateException when a text does not compile, or {@code default}
	 * lacks a title or a body
	 */
	public static CompiledTemplate compile(String location, Map<String, TemplateTexts> texts) {
		Map<String, LocalizedTemplate> locales = new TreeMap<>();
		texts.forEach((locale, localeTexts) -> {
			String where = location + ", locale " + locale;
			locales.put(LocaleFallback.normalize(locale), LocalizedTemplate.compile(where, localeTexts,
					(path, source, field) -> valid(where, path, source, field)));
		});
		try {
			return new CompiledTemplate(locales);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTemplateException(location, ex.getMessage());
		}
	}

	private static Template valid(String location, String path, String source, TemplateField field) {
		return switch (TemplateCompiler.compile(source, field)) {
			case TemplateCompiler.Compiled.Valid valid -> valid.template();
			case TemplateCompiler.Compiled.Invalid invalid -> throw new InvalidTemplateException(location,
					"invalid Mustache in '" + path + "', line " + invalid.line() + ": " + invalid.message());
		};
	}

	/** The texts by normalized locale, as they were compiled. */
	public Map<String, TemplateTexts> texts() {
		Map<String, TemplateTexts> texts = new TreeMap<>();
		this.locales.forEach((locale, template) -> texts.put(locale, template.texts()));
		return texts;
	}

	/**
	 * Renders the template for a channel and locale.
	 * @throws TemplateRenderer.RenderFailedException when it cannot be rendered within
	 * its budget
	 */
	public Rendered render(Channel channel, @Nullable String locale, Map<String, @Nullable Object> data) {
		List<LocalizedTemplate> candidates = new ArrayList<>(4);
		for (String tag : LocaleFallback.chain(locale)) {
			LocalizedTemplate candidate = this.locales.get(tag);
			if (candidate != null) {
				candidates.add(candidate);
			}
		}
		Template title = find(candidates, channel, TemplateField.TITLE);
		Template body = find(candidates, channel, TemplateField.BODY);
		Template html = (channel == Channel.EMAIL) ? find(candidates, channel, TemplateField.HTML) : null;
		// default is the last candidate and has a title and a body: the constructor made
		// sure.
		if (title == null || body == null) {
			throw new IllegalStateException("no default title or body");
		}
		RenderBudget budget = new RenderBudget();
		return new Rendered(budget.execute(title, data), budget.execute(body, data),
				(html != null) ? budget.execute(html, data) : null);
	}

	private static @Nullable Template find(List<LocalizedTemplate> candidates, Channel channel, TemplateField field) {
		for (LocalizedTemplate candidate : candidates) {
			Template template = candidate.find(channel, field);
			if (template != null) {
				return template;
			}
		}
		return null;
	}

}
