package io.herald.routing.template;

import com.samskivert.mustache.Template;
import io.herald.events.Channel;
import io.herald.events.ChannelContent;
import io.herald.events.TemplateTexts;
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

/**
 * Parses one locale file of a template and compiles its Mustache texts. Any problem is an
 * {@link InvalidTemplateException} naming the file and line: YAML syntax, a duplicate
 * key, a key other than {@code title}, {@code body}, {@code html} and the channel names,
 * {@code html} in a channel other than email, a value that is not text, a text
 * {@link TemplateCompiler} refuses (Mustache syntax, partials, deep sections...), and a
 * {@code default.yml} without a top-level title or body. A Mustache error's line is the
 * value's first line in the file plus the line within the value: exact for one-line
 * values and {@code |} blocks, approximate for values that YAML folds ({@code >} blocks,
 * multi-line quoted strings).
 */
final class TemplateFileParser {

	private static final String KEYS = "title, body, html, inapp, push, email, sms";

	private TemplateFileParser() {
	}

	/**
	 * Parses and compiles a locale file.
	 * @throws InvalidTemplateException when the file is broken
	 */
	static LocalizedTemplate parse(TemplateResource file) {
		MappingNode root = mapping(file, compose(file), "the file");
		Map<String, Integer> lines = new HashMap<>();
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
		Map<Channel, ChannelContent> overrides = new EnumMap<>(Channel.class);
		for (NodeTuple entry : entries(file, root)) {
			String key = ((ScalarNode) entry.getKeyNode()).getValue();
			TemplateField field = TemplateField.ofKey(key);
			Channel channel = channel(key);
			if (field != null) {
				fields.put(field, text(file, key, entry.getValueNode(), lines));
			}
			else if (channel != null) {
				overrides.put(channel, override(file, channel, entry.getValueNode(), lines));
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
		TemplateTexts texts = new TemplateTexts(fields.get(TemplateField.TITLE), fields.get(TemplateField.BODY),
				fields.get(TemplateField.HTML), overrides);
		return LocalizedTemplate.compile(file.location(), texts,
				(path, source, field) -> compile(file, lines.get(path), path, source, field));
	}

	private static ChannelContent override(TemplateResource file, Channel channel, Node value,
			Map<String, Integer> lines) {
		String section = channel.wireName();
		Map<TemplateField, String> fields = new EnumMap<>(TemplateField.class);
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
			fields.put(field, text(file, section + "." + key, entry.getValueNode(), lines));
		}
		return new ChannelContent(fields.get(TemplateField.TITLE), fields.get(TemplateField.BODY),
				fields.get(TemplateField.HTML));
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

	/**
	 * The text of a value, after checking that it is text; remembers the file line its
	 * text starts on under its path.
	 */
	private static String text(TemplateResource file, String path, Node node, Map<String, Integer> lines) {
		if (!(node instanceof ScalarNode scalar) || !scalar.getTag().equals(Tag.STR)) {
			throw new InvalidTemplateException(file.location(), line(node),
					"'" + path + "' must be text, found " + kind(node) + hint(node));
		}
		// A block scalar's text starts on the line after its '|' or '>' indicator.
		boolean block = scalar.getScalarStyle() == ScalarStyle.LITERAL || scalar.getScalarStyle() == ScalarStyle.FOLDED;
		lines.put(path, line(scalar) + (block ? 1 : 0));
		// 'body: |' keeps a final line break that no channel wants.
		return scalar.getValue().stripTrailing();
	}

	private static Template compile(TemplateResource file, @Nullable Integer firstLine, String path, String source,
			TemplateField field) {
		int first = (firstLine != null) ? firstLine : 0;
		return switch (TemplateCompiler.compile(source, field)) {
			case TemplateCompiler.Compiled.Valid valid -> valid.template();
			case TemplateCompiler.Compiled.Invalid invalid -> throw new InvalidTemplateException(file.location(),
					first + invalid.line() - 1, "invalid Mustache in '" + path + "': " + invalid.message());
		};
	}

	/**
	 * A hint for the commonest YAML mistake in a template: an unquoted value starting
	 * with a tag.
	 */
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

}
