package io.herald.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The properties a module's code binds, read from its sources: the prefix of every
 * {@code @ConfigurationProperties} record followed by each of its components. Paths are
 * in canonical form (lower case, no dashes, one segment per dot), the form Spring Boot's
 * relaxed binding compares environment variables with: {@code herald.api-keys} and
 * {@code HERALD_APIKEYS_0_SHA256} both start with {@code [herald, apikeys]}.
 */
final class BoundProperties {

	private static final Pattern CONFIGURATION_PROPERTIES = Pattern
		.compile("@ConfigurationProperties\\(\\s*(?:(?:value|prefix)\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");

	private static final Pattern RECORD_HEADER = Pattern.compile("\\brecord\\s+\\w+\\s*(?:<[^>]*>)?\\s*\\(");

	private static final Pattern LAST_IDENTIFIER = Pattern.compile("([A-Za-z_$][\\w$]*)\\s*$");

	private BoundProperties() {
	}

	/**
	 * The canonical property paths bound by the {@code @ConfigurationProperties} records
	 * under a source directory.
	 */
	static Set<List<String>> in(Path sourceDirectory) {
		Set<List<String>> paths = new LinkedHashSet<>();
		if (!Files.isDirectory(sourceDirectory)) {
			return paths;
		}
		try (Stream<Path> files = Files.walk(sourceDirectory)) {
			files.filter((file) -> file.toString().endsWith(".java")).forEach((file) -> {
				String source = Repository.read(file);
				Matcher annotation = CONFIGURATION_PROPERTIES.matcher(source);
				while (annotation.find()) {
					Matcher header = RECORD_HEADER.matcher(source);
					if (!header.find(annotation.end())) {
						throw new IllegalStateException("@ConfigurationProperties(\"" + annotation.group(1) + "\") in "
								+ file + " is not on a record; teach BoundProperties to read it");
					}
					for (String component : recordComponents(source, header.end() - 1)) {
						paths.add(canonical(annotation.group(1) + "." + component));
					}
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return paths;
	}

	/**
	 * The canonical paths of every leaf of a parsed YAML configuration
	 * ({@code application.yml}).
	 */
	static Set<List<String>> leavesOf(Map<String, Object> configuration) {
		Set<List<String>> paths = new LinkedHashSet<>();
		addLeaves("", configuration, paths);
		return paths;
	}

	/**
	 * A property name or path in canonical form:
	 * {@code herald.delivery.smtp.providers[0].max-in-flight} and
	 * {@code herald.delivery.smtp.providers.0.maxInFlight} are both
	 * {@code [herald, delivery, smtp, providers, 0, maxinflight]}.
	 */
	static List<String> canonical(String name) {
		List<String> segments = new ArrayList<>();
		for (String segment : name.replace('[', '.').replace("]", "").split("\\.")) {
			if (!segment.isEmpty()) {
				segments.add(segment.replace("-", "").toLowerCase(Locale.ROOT));
			}
		}
		return List.copyOf(segments);
	}

	/**
	 * An environment variable as relaxed binding reads it:
	 * {@code HERALD_APIKEYS_0_SHA256} is {@code [herald, apikeys, 0, sha256]}.
	 */
	static List<String> canonicalVariable(String variable) {
		return canonical(variable.replace('_', '.'));
	}

	/**
	 * The names of a record's components, its header's opening parenthesis at
	 * {@code open}: annotations (with their arguments), type arguments, comments and
	 * string literals are skipped, and each component's name is the last identifier
	 * before its comma.
	 */
	static List<String> recordComponents(String source, int open) {
		List<String> names = new ArrayList<>();
		StringBuilder component = new StringBuilder();
		int depth = 0;
		int i = open + 1;
		while (i < source.length()) {
			char c = source.charAt(i);
			if (c == '"' || c == '@' || source.startsWith("//", i) || source.startsWith("/*", i)) {
				i = skip(source, i);
				component.append(' ');
				continue;
			}
			if (c == ')' && depth == 0) {
				addName(component, names);
				return names;
			}
			if (c == ',' && depth == 0) {
				addName(component, names);
				component.setLength(0);
			}
			else {
				depth += (c == '(' || c == '<') ? 1 : (c == ')' || c == '>') ? -1 : 0;
				component.append(c);
			}
			i++;
		}
		throw new IllegalStateException("Unbalanced record header at " + open);
	}

	/**
	 * The index just past the string literal, comment or annotation (with its arguments)
	 * at {@code at}.
	 */
	private static int skip(String source, int at) {
		if (source.startsWith("//", at)) {
			int end = source.indexOf('\n', at);
			return (end < 0) ? source.length() : end + 1;
		}
		if (source.startsWith("/*", at)) {
			return source.indexOf("*/", at + 2) + 2;
		}
		if (source.charAt(at) == '"') {
			int i = at + 1;
			while (source.charAt(i) != '"') {
				i += (source.charAt(i) == '\\') ? 2 : 1;
			}
			return i + 1;
		}
		int i = at + 1;
		while (i < source.length() && (Character.isJavaIdentifierPart(source.charAt(i)) || source.charAt(i) == '.')) {
			i++;
		}
		int next = i;
		while (next < source.length() && Character.isWhitespace(source.charAt(next))) {
			next++;
		}
		if (next >= source.length() || source.charAt(next) != '(') {
			return i;
		}
		int depth = 0;
		int j = next;
		do {
			char c = source.charAt(j);
			if (c == '"') {
				j = skip(source, j);
				continue;
			}
			depth += (c == '(') ? 1 : (c == ')') ? -1 : 0;
			j++;
		}
		while (depth > 0);
		return j;
	}

	private static void addName(StringBuilder component, List<String> names) {
		Matcher name = LAST_IDENTIFIER.matcher(component.toString().strip());
		if (name.find()) {
			names.add(name.group(1));
		}
	}

	private static void addLeaves(String prefix, Object value, Set<List<String>> paths) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, child) -> addLeaves(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, child,
					paths));
		}
		else if (value instanceof List<?> list) {
			for (int index = 0; index < list.size(); index++) {
				addLeaves(prefix + "." + index, list.get(index), paths);
			}
		}
		else {
			paths.add(canonical(prefix));
		}
	}

}
