package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import io.herald.events.TemplateDefined;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The templates of the routing service, every file parsed and every text compiled when the
 * catalog loads: a catalog that loads renders any template for any channel and locale, so a
 * broken template fails the start of the service (naming its file and line) rather than the
 * first notification that uses it. Immutable and thread-safe.
 * <p>
 * A text is looked up for the requested locale, then for each less specific locale down to
 * {@code default.yml} (see {@link TemplateRenderer}); within one locale file, the channel's
 * section ({@code sms:}) wins over the file's top-level text. A more specific locale thus wins
 * over a channel section of a less specific one: a German SMS uses {@code de.yml}'s
 * {@code body} rather than {@code default.yml}'s {@code sms.body}. The HTML body is rendered
 * for email only. Title and body are plain text; only the HTML body is HTML-escaped. Variables
 * missing from the data render as nothing.
 */
public final class MustacheTemplateCatalog implements TemplateRenderer {

	private final Map<String, Map<String, LocalizedTemplate>> templates;

	private MustacheTemplateCatalog(Map<String, Map<String, LocalizedTemplate>> templates) {
		this.templates = templates;
	}

	/**
	 * Loads the templates in a directory on disk: one sub-directory per template id.
	 * @throws InvalidTemplateException when the directory or a template in it is broken
	 */
	public static MustacheTemplateCatalog fromDirectory(Path directory) {
		return of(TemplateSources.fromDirectory(directory));
	}

	/**
	 * Loads the templates packaged under {@code templates/} on the default class loader's
	 * classpath.
	 * @throws InvalidTemplateException when a template is broken
	 */
	public static MustacheTemplateCatalog fromClasspath() {
		return fromClasspath(new PathMatchingResourcePatternResolver());
	}

	static MustacheTemplateCatalog fromClasspath(ResourcePatternResolver resolver) {
		return of(TemplateSources.fromClasspath(resolver));
	}

	static MustacheTemplateCatalog of(List<TemplateDirectory> directories) {
		Map<String, Map<String, LocalizedTemplate>> templates = new TreeMap<>();
		for (TemplateDirectory directory : directories) {
			Map<String, LocalizedTemplate> locales = new HashMap<>();
			for (TemplateResource file : directory.files()) {
				LocalizedTemplate previous = locales.putIfAbsent(file.locale(), TemplateFileParser.parse(file));
				if (previous != null) {
					throw new InvalidTemplateException(file.location(),
							"the same locale as " + previous.location() + "; keep one of the two files");
				}
			}
			if (!locales.containsKey(LocaleFallback.DEFAULT)) {
				throw new InvalidTemplateException(directory.location(),
						"no default.yml; every template needs one, with at least title and body");
			}
			if (templates.putIfAbsent(directory.id(), Map.copyOf(locales)) != null) {
				throw new InvalidTemplateException(directory.location(),
						"template '" + directory.id() + "' is defined twice");
			}
		}
		return new MustacheTemplateCatalog(templates);
	}

	/**
	 * What the catalog defines, sorted by id: each template's locales and channels. Every
	 * template renders every channel: {@code default.yml} has a title and a body, the fallback
	 * of every channel.
	 */
	List<TemplateDefined> definitions() {
		List<TemplateDefined> definitions = new ArrayList<>(this.templates.size());
		this.templates.forEach((id, locales) -> definitions
			.add(TemplateDefined.of(id, List.copyOf(locales.keySet()), EnumSet.allOf(Channel.class))));
		return definitions;
	}

	/** The ids of the loaded templates, sorted. */
	Set<String> templateIds() {
		return this.templates.keySet();
	}

	@Override
	public boolean contains(String templateId) {
		return this.templates.containsKey(templateId);
	}

	@Override
	public Rendered render(String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		Map<String, LocalizedTemplate> locales = this.templates.get(templateId);
		if (locales == null) {
			throw new UnknownTemplateException(templateId);
		}
		List<LocalizedTemplate> candidates = new ArrayList<>(4);
		for (String tag : LocaleFallback.chain(locale)) {
			LocalizedTemplate candidate = locales.get(tag);
			if (candidate != null) {
				candidates.add(candidate);
			}
		}
		Template title = find(candidates, channel, TemplateField.TITLE);
		Template body = find(candidates, channel, TemplateField.BODY);
		Template html = (channel == Channel.EMAIL) ? find(candidates, channel, TemplateField.HTML) : null;
		// default.yml is the last candidate and has a title and a body: the parser made sure.
		if (title == null || body == null) {
			throw new IllegalStateException("template '" + templateId + "' has no default title or body");
		}
		return new Rendered(title.execute(data), body.execute(data), (html != null) ? html.execute(data) : null);
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
