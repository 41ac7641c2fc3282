package io.herald.routing.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheParseException;
import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one locale file of a template and compiles its Mustache texts. Any problem is an
 * {@link InvalidTemplateException} naming the file and line: YAML syntax, a duplicate key, a key
 * other than {@code title}, {@code body}, {@code html} and the channel names, {@code html} in a
 * channel other than email, a value that is not text, Mustache syntax, partials (templates are
 * self-contained), and a {@code default.yml} without a top-level title or body. A Mustache
 * error's line is the value's first line in the file plus the line within the value: exact for
 * one-line values and {@code |} blocks, approximate for values that YAML folds ({@code >}
 * blocks, multi-line quoted strings).
 */
final class TemplateFileParser {

	private static final String KEYS = "title, body, html, inapp, push, email, sms";

	/**
	 * Plain text, not escaped. A missing or {@code null} variable renders as nothing, since
	 * {@code data} is free JSON and optional; empty strings and zero are false in sections, as
	 * in mustache.js.
	 */
	private static final Mustache.Compiler TEXT = Mustache.compiler()
		.escapeHTML(false)
		.defaultValue("")
		.emptyStringIsFalse(true)
		.zeroIsFalse(true);

	private static final Mustache.Compiler HTML = TEXT.escapeHTML(true);

	/** JMustache puts the line into the message only: {@code "<problem> @ line <n>"}. */
	private static final Pattern PARSE_ERROR = Pattern.compile("(?s)(.*) @ line (\\d+)");

	private TemplateFileParser() {
	}

	/**
	 * Parses and compiles a locale file.
	 * @throws InvalidTemplateException when the file is broken
	 */
	static LocalizedTemplate parse(TemplateResource file) {
		MappingNode root = mapping(file, compose(file), "the file");
		Map<TemplateField, Template> fields = new EnumMap<>(TemplateField.class);
		Map<Channel, Map<TemplateField, Template>> overrides = new EnumMap<>(Channel.class);
		for (NodeTuple entry : entries(file, root)) {
			String key = ((ScalarNode) entry.getKeyNode()).getValue();
			TemplateField field = TemplateField.ofKey(key);
			Channel channel = channel(key);
			if (field != null) {
				fields.put(field, compile(file, key, entry.getValueNode(), field));
			}
			else if (channel != null) {
				overrides.put(channel, override(file, channel, entry.getValueNode()));
			}
			else {
				throw new InvalidTemplateException(file.location(), line(entry.getKeyNode()),
						"unknown key '" + key + "'; expected one of " + KEYS);
			}
		}
		if (file.locale().equals(LocaleFallback.DEFAULT)) {
			for (TemplateField field : List.of(TemplateField.TITLE, TemplateField.BODY)) {
				if (!fields.containsKey(field)) {
					throw new InvalidTemplateException(file.location(), line(root), "default.yml needs a top-level '"
							+ field.key() + "', the fallback for every channel and locale");
				}
			}
		}
		return new LocalizedTemplate(file.location(), fields, overrides);
	}

	private static Map<TemplateField, Template> override(TemplateResource file, Channel channel, Node value) {
		String section = channel.wireName();
		Map<TemplateField, Template> fields = new EnumMap<>(TemplateField.class);
		for (NodeTuple entry : entries(file, mapping(file, value, "'" + section + "'"))) {
			String key = ((ScalarNode) entry.getKeyNode()).getValue();
			TemplateField field = TemplateField.ofKey(key);
			if (field == null) {
				throw new InvalidTemplateException(file.location(), line(entry.getKeyNode()),
						"unknown key '" + key + "' in '" + section + "'; expected one of title, body, html");
			}
			if (field == TemplateField.HTML && channel != Channel.EMAIL) {
				throw new InvalidTemplateException(file.location(), line(entry.getKeyNode()),
						"'html' in '" + section + "' would never be used; only email has an HTML body");
			}
			fields.put(field, compile(file, section + "." + key, entry.getValueNode(), field));
		}
		return fields;
	}

	private static @Nullable Channel channel(String key) {
		for (Channel channel : Channel.values()) {
			if (channel.wireName().equals(key)) {
				return channel;
			}
		}
		return null;
	}

	private static Node compose(TemplateResource file) {
		Node root;
		try {
			root = new Yaml(new LoaderOptions()).compose(new StringReader(file.content()));
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			String context = (ex.getContext() != null) ? ex.getContext() + ", " : "";
			int line = (mark != null) ? mark.getLine() + 1 : 0;
			throw new InvalidTemplateException(file.location(), line,
					"invalid YAML: " + context + ex.getProblem() + yamlHint(file.content(), line));
		}
		catch (YAMLException ex) {
			throw new InvalidTemplateException(file.location(), "invalid YAML: " + ex.getMessage());
		}
		if (root == null) {
			throw new InvalidTemplateException(file.location(), "the file is empty; expected " + KEYS);
		}
		return root;
	}

	private static MappingNode mapping(TemplateResource file, Node node, String what) {
		if (node instanceof MappingNode mapping) {
			return mapping;
		}
		throw new InvalidTemplateException(file.location(), line(node),
				what + " must be a mapping of keys to texts, found " + kind(node) + hint(node));
	}

	/** The mapping's entries, after checking that every key is a distinct plain name. */
	private static Iterable<NodeTuple> entries(TemplateResource file, MappingNode mapping) {
		Map<String, Integer> seen = new HashMap<>();
		for (NodeTuple entry : mapping.getValue()) {
			Node key = entry.getKeyNode();
			if (key.getTag().equals(Tag.MERGE)) {
				throw new InvalidTemplateException(file.location(), line(key), "merge keys ('<<') are not supported");
			}
			if (!(key instanceof ScalarNode scalar)) {
				throw new InvalidTemplateException(file.location(), line(key),
						"keys must be plain names, found " + kind(key));
			}
			Integer first = seen.putIfAbsent(scalar.getValue(), line(key));
			if (first != null) {
				throw new InvalidTemplateException(file.location(), line(key),
						"duplicate key '" + scalar.getValue() + "', first at line " + first);
			}
		}
		return mapping.getValue();
	}

	private static Template compile(TemplateResource file, String path, Node node, TemplateField field) {
		if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
			throw new InvalidTemplateException(file.location(), line(node),
					"'" + path + "' must be text, found " + kind(node) + hint(node));
		}
		// A block scalar's text starts on the line after its '|' or '>' indicator.
		boolean block = scalar.getScalarStyle() == ScalarStyle.LITERAL || scalar.getScalarStyle() == ScalarStyle.FOLDED;
		int firstLine = line(scalar) + (block ? 1 : 0);
		// 'body: |' keeps a final line break that no channel wants.
		String source = scalar.getValue().stripTrailing();
		Template template;
		try {
			template = ((field == TemplateField.HTML) ? HTML : TEXT).compile(source);
		}
		catch (MustacheParseException ex) {
			Matcher matcher = PARSE_ERROR.matcher(String.valueOf(ex.getMessage()));
			boolean located = matcher.matches();
			int line = located ? firstLine + Integer.parseInt(matcher.group(2)) - 1 : firstLine;
			throw new InvalidTemplateException(file.location(), line,
					"invalid Mustache in '" + path + "': " + (located ? matcher.group(1) : ex.getMessage()));
		}
		catch (RuntimeException ex) {
			// JMustache fails on some malformed tags, such as '{{}}', with an unspecific exception.
			throw new InvalidTemplateException(file.location(), firstLine,
					"invalid Mustache in '" + path + "': malformed tag (" + ex.getMessage() + ")");
		}
		TemplateChecks.Problem problem = TemplateChecks.find(template, source);
		if (problem != null) {
			throw new InvalidTemplateException(file.location(), firstLine + lineOf(source, problem.offset()),
					"invalid Mustache in '" + path + "': " + problem.message());
		}
		return template;
	}

	/** A hint for the commonest YAML mistake in a template: an unquoted value starting with a tag. */
	private static String yamlHint(String content, int line) {
		String[] lines = content.split("\n", -1);
		boolean unquotedTag = line > 0 && line <= lines.length
				&& lines[line - 1].strip().matches("[^#\"']*:\\s*\\{\\{.*");
		return unquotedTag ? " (quote a value that starts with '{{': \"{{name}} ...\")" : "";
	}

	private static String hint(Node node) {
		if (node instanceof MappingNode mapping && mapping.getFlowStyle() == FlowStyle.FLOW) {
			return " (quote a value that starts with '{{': \"{{name}} ...\")";
		}
		if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.STR)
				&& !scalar.getTag().equals(Tag.NULL)) {
			return " (quote the value)";
		}
		return "";
	}

	private static String kind(Node node) {
		if (node instanceof MappingNode) {
			return "a mapping";
		}
		if (node instanceof SequenceNode) {
			return "a list";
		}
		Tag tag = node.getTag();
		if (tag.equals(Tag.STR)) {
			return "text";
		}
		if (tag.equals(Tag.NULL)) {
			return "nothing";
		}
		if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
			return "a number";
		}
		if (tag.equals(Tag.BOOL)) {
			return "a boolean";
		}
		return "a value tagged " + tag.getValue();
	}

	/** The node's 1-based line. */
	private static int line(Node node) {
		return (node.getStartMark() != null) ? node.getStartMark().getLine() + 1 : 0;
	}

	/** The 0-based line of an offset within a text. */
	private static int lineOf(String text, int offset) {
		String before = text.substring(0, Math.max(0, Math.min(offset, text.length())));
		return (int) before.chars().filter((c) -> c == '\n').count();
	}

}
