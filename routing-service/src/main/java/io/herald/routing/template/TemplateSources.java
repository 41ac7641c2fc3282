package io.herald.routing.template;

import io.herald.events.Identifiers;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the template files of a source: a directory on disk, or {@code templates/} on the
 * classpath. Both have one directory per template id holding one UTF-8
 * {@code <locale>.yml} per locale; other files (a README) are ignored, and so are names
 * on disk starting with a dot. A YAML file anywhere else, a {@code .yaml} file, and a
 * template id or locale name of the wrong shape are an {@link InvalidTemplateException},
 * so a file that would silently never be used fails loudly.
 */
final class TemplateSources {

	/** The classpath folder the packaged templates live in. */
	static final String CLASSPATH_ROOT = "templates";

	private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*");

	private TemplateSources() {
	}

	/**
	 * The templates in a directory on disk.
	 * @throws InvalidTemplateException when the directory is missing or holds a misplaced
	 * file
	 */
	static List<TemplateDirectory> fromDirectory(Path root) {
		if (!Files.isDirectory(root)) {
			throw new InvalidTemplateException(root.toString(), "no such template directory");
		}
		List<TemplateDirectory> templates = new ArrayList<>();
		for (Path entry : list(root, 1)) {
			String name = entry.getFileName().toString();
			if (Files.isDirectory(entry)) {
				templates.add(directory(entry));
			}
			else if (isYaml(name)) {
				throw new InvalidTemplateException(entry.toString(),
						"a template file must be in its template's directory: <template-id>/" + name);
			}
		}
		return templates;
	}

	private static TemplateDirectory directory(Path directory) {
		String id = templateId(directory.getFileName().toString(), directory.toString());
		List<TemplateResource> files = new ArrayList<>();
		for (Path entry : list(directory, Integer.MAX_VALUE)) {
			String name = entry.getFileName().toString();
			if (!Files.isRegularFile(entry) || !isYaml(name)) {
				continue;
			}
			if (!entry.getParent().equals(directory)) {
				throw new InvalidTemplateException(entry.toString(),
						"a template file must be directly in its template's directory " + directory);
			}
			files.add(new TemplateResource(locale(name, entry.toString()), entry.toString(), read(entry)));
		}
		return new TemplateDirectory(id, directory.toString(), files);
	}

	/**
	 * The templates under {@code templates/} of every classpath root, jars included.
	 * @throws InvalidTemplateException when a file is misplaced or found twice
	 */
	static List<TemplateDirectory> fromClasspath(ResourcePatternResolver resolver) {
		String prefix = ResourcePatternResolver.CLASSPATH_ALL_URL_PREFIX + CLASSPATH_ROOT + "/";
		Resource[] yaml = resources(resolver, prefix + "**/*.yaml");
		if (yaml.length > 0) {
			throw new InvalidTemplateException(url(yaml[0]), "template files must end in .yml");
		}
		Map<String, List<TemplateResource>> templates = new LinkedHashMap<>();
		Map<String, String> seen = new LinkedHashMap<>();
		for (Resource resource : resources(resolver, prefix + "*/*.yml")) {
			String[] segments = url(resource).split("/");
			String id = StringUtils.uriDecode(segments[segments.length - 2], StandardCharsets.UTF_8);
			String name = StringUtils.uriDecode(segments[segments.length - 1], StandardCharsets.UTF_8);
			String location = "classpath:" + CLASSPATH_ROOT + "/" + id + "/" + name;
			String previous = seen.putIfAbsent(location, url(resource));
			if (previous != null) {
				throw new InvalidTemplateException(location, "found twice on the classpath, in " + previous + " and "
						+ url(resource) + "; a template must come from one place");
			}
			templateId(id, "classpath:" + CLASSPATH_ROOT + "/" + id);
			templates.computeIfAbsent(id, (key) -> new ArrayList<>())
				.add(new TemplateResource(locale(name, location), location, read(resource, location)));
		}
		Set<String> placed = new HashSet<>(seen.values());
		for (Resource resource : resources(resolver, prefix + "**/*.yml")) {
			if (!placed.contains(url(resource))) {
				throw new InvalidTemplateException(url(resource),
						"a template file must be directly in its template's directory: "
								+ "templates/<template-id>/<locale>.yml");
			}
		}
		return templates.entrySet()
			.stream()
			.map((entry) -> new TemplateDirectory(entry.getKey(), "classpath:" + CLASSPATH_ROOT + "/" + entry.getKey(),
					entry.getValue()))
			.toList();
	}

	private static String templateId(String name, String location) {
		if (!Identifiers.matches(Identifiers.TEMPLATE, name)) {
			throw new InvalidTemplateException(location, "'" + name
					+ "' is not a template id; a template directory's name must match " + Identifiers.TEMPLATE);
		}
		return name;
	}

	private static String locale(String fileName, String location) {
		if (fileName.endsWith(".yaml")) {
			throw new InvalidTemplateException(location, "template files must end in .yml");
		}
		String locale = fileName.substring(0, fileName.length() - ".yml".length());
		if (!LOCALE.matcher(locale).matches()) {
			throw new InvalidTemplateException(location,
					"'" + locale + "' is not a locale; name a template file default.yml or after a locale, "
							+ "such as de.yml or de-DE.yml");
		}
		return LocaleFallback.normalize(locale);
	}

	private static boolean isYaml(String fileName) {
		return fileName.endsWith(".yml") || fileName.endsWith(".yaml");
	}

	/** The entries under a directory up to a depth, sorted, without hidden ones. */
	private static List<Path> list(Path directory, int depth) {
		try (Stream<Path> entries = Files.walk(directory, depth)) {
			return entries.filter((entry) -> !entry.equals(directory))
				.filter((entry) -> !isHidden(directory.relativize(entry)))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the template directory " + directory, ex);
		}
	}

	private static boolean isHidden(Path relative) {
		for (Path name : relative) {
			if (name.toString().startsWith(".")) {
				return true;
			}
		}
		return false;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (CharacterCodingException ex) {
			throw new InvalidTemplateException(file.toString(), "not UTF-8 text");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the template file " + file, ex);
		}
	}

	private static String read(Resource resource, String location) {
		try {
			return resource.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the template file " + location, ex);
		}
	}

	private static Resource[] resources(ResourcePatternResolver resolver, String pattern) {
		try {
			return resolver.getResources(pattern);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot list the templates " + pattern, ex);
		}
	}

	private static String url(Resource resource) {
		try {
			return resource.getURL().toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot locate the template file " + resource, ex);
		}
	}

}
