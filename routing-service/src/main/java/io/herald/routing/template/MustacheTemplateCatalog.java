package io.herald.routing.template;

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
 * The templates of the routing service's files, shared by every tenant: every file parsed
 * and every text compiled when the catalog loads, so a broken template fails the start of
 * the service (naming its file and line) rather than the first notification that uses it.
 * Rendered as {@link CompiledTemplate} says. Immutable and thread-safe.
 */
public final class MustacheTemplateCatalog {

	private final Map<String, CompiledTemplate> templates;

	private MustacheTemplateCatalog(Map<String, CompiledTemplate> templates) {
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
		Map<String, CompiledTemplate> templates = new TreeMap<>();
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
			if (templates.putIfAbsent(directory.id(), new CompiledTemplate(locales)) != null) {
				throw new InvalidTemplateException(directory.location(),
						"template '" + directory.id() + "' is defined twice");
			}
		}
		return new MustacheTemplateCatalog(templates);
	}

	/**
	 * What the catalog defines, sorted by id: each template's locales and channels. Every
	 * template renders every channel: {@code default.yml} has a title and a body, the
	 * fallback of every channel.
	 */
	List<TemplateDefined> definitions() {
		List<TemplateDefined> definitions = new ArrayList<>(this.templates.size());
		this.templates.forEach((id, template) -> definitions
			.add(TemplateDefined.of(id, List.copyOf(template.texts().keySet()), EnumSet.allOf(Channel.class))));
		return definitions;
	}

	/** The ids of the loaded templates, sorted. */
	Set<String> templateIds() {
		return this.templates.keySet();
	}

	/** Whether a template with this id exists. */
	public boolean contains(String templateId) {
		return this.templates.containsKey(templateId);
	}

	/** The template of an id, or {@code null}. */
	public @Nullable CompiledTemplate find(String templateId) {
		return this.templates.get(templateId);
	}

	/**
	 * Renders a template.
	 * @throws TemplateRenderer.UnknownTemplateException when there is no such template
	 */
	public TemplateRenderer.Rendered render(String templateId, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> data) {
		CompiledTemplate template = this.templates.get(templateId);
		if (template == null) {
			throw new TemplateRenderer.UnknownTemplateException(templateId);
		}
		return template.render(channel, locale, data);
	}

}
