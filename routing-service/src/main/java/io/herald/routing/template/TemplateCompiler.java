package io.herald.routing.template;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheParseException;
import com.samskivert.mustache.Template;
import org.jspecify.annotations.Nullable;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles one text of a template, under the rules every template obeys, whether it comes
 * from the service's files or from a tenant through the template API:
 * <ul>
 * <li>Mustache syntax, with only what a self-contained text needs: no partials
 * (<code>{{&gt; name}}</code>), no template inheritance or blocks, so a text can never
 * include a file or another template (another tenant's least of all); no change of
 * delimiters (<code>{{=&lt;% %&gt;=}}</code>), which would hide tags from these
 * checks;</li>
 * <li>sections nested at most {@value #MAX_SECTION_DEPTH} deep;</li>
 * <li>no <code>{{</code> without its closing <code>}}</code>, which Mustache would keep
 * as text.</li>
 * </ul>
 * Variables are looked up in the event's {@code data} only, which is JSON: maps, lists
 * and plain values. Nothing is looked up by reflection, so a text cannot call a method of
 * a Java object (<code>{{name.class}}</code> is simply missing), and data never holds
 * lambdas. Rendering is bounded by {@link RenderBudget}.
 */
final class TemplateCompiler {

	/**
	 * How deep sections may nest. Real templates nest two or three levels; the bound
	 * keeps the recursion of checking and rendering a text far from any stack limit,
	 * whatever a tenant sends.
	 */
	static final int MAX_SECTION_DEPTH = 16;

	/**
	 * Plain text, not escaped. A missing or {@code null} variable renders as nothing,
	 * since {@code data} is free JSON and optional; empty strings and zero are false in
	 * sections, as in mustache.js.
	 */
	private static final Mustache.Compiler TEXT = Mustache.compiler()
		.escapeHTML(false)
		.defaultValue("")
		.emptyStringIsFalse(true)
		.zeroIsFalse(true)
		.withCollector(new JsonCollector());

	private static final Mustache.Compiler HTML = TEXT.escapeHTML(true);

	/** JMustache puts the line into the message only: {@code "<problem> @ line <n>"}. */
	private static final Pattern PARSE_ERROR = Pattern.compile("(?s)(.*) @ line (\\d+)");

	private TemplateCompiler() {
	}

	/**
	 * Compiles a text of a field.
	 * @param source the Mustache text
	 * @param field which field it is: only {@link TemplateField#HTML} is HTML-escaped
	 */
	static Compiled compile(String source, TemplateField field) {
		Compiled.Invalid shape = checkTags(source);
		if (shape != null) {
			return shape;
		}
		Template template;
		try {
			template = ((field == TemplateField.HTML) ? HTML : TEXT).compile(source);
		}
		catch (MustacheParseException ex) {
			Matcher matcher = PARSE_ERROR.matcher(String.valueOf(ex.getMessage()));
			if (matcher.matches()) {
				return new Compiled.Invalid(Integer.parseInt(matcher.group(2)), 0, matcher.group(1));
			}
			return new Compiled.Invalid(1, 0, String.valueOf(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			// JMustache fails on some malformed tags, such as '{{}}', with an unspecific
			// exception.
			return new Compiled.Invalid(1, 0, "malformed tag (" + ex.getMessage() + ")");
		}
		TemplateChecks.Problem problem = TemplateChecks.find(template, source);
		if (problem != null) {
			return Compiled.Invalid.at(source, problem.offset(), problem.message());
		}
		return new Compiled.Valid(template);
	}

	/**
	 * Checks the tags of a text before it is compiled: how deep its sections nest, and
	 * that it changes no delimiters. Conservative: a tag is what lies between
	 * <code>{{</code> and the next <code>}}</code>, so the depth counted is never below
	 * the real one.
	 */
	private static Compiled.@Nullable Invalid checkTags(String source) {
		int depth = 0;
		int from = 0;
		while (true) {
			int open = source.indexOf("{{", from);
			if (open < 0) {
				return null;
			}
			int close = source.indexOf("}}", open + 2);
			if (close < 0) {
				return null;
			}
			String tag = source.substring(open + 2, close).strip();
			if (tag.startsWith("=")) {
				return Compiled.Invalid.at(source, open, "changing delimiters ('{{=...=}}') is not supported");
			}
			if (tag.startsWith("#") || tag.startsWith("^")) {
				depth++;
				if (depth > MAX_SECTION_DEPTH) {
					return Compiled.Invalid.at(source, open, "sections nest more than " + MAX_SECTION_DEPTH + " deep");
				}
			}
			else if (tag.startsWith("/")) {
				depth = Math.max(0, depth - 1);
			}
			from = close + 2;
		}
	}

	/** The outcome of compiling a text. */
	sealed interface Compiled {

		/** The text compiled. */
		record Valid(Template template) implements Compiled {
		}

		/**
		 * The text is not a template Herald renders.
		 *
		 * @param line the 1-based line within the text
		 * @param column the 1-based column on that line, {@code 0} when not known
		 * @param message what is wrong
		 */
		record Invalid(int line, int column, String message) implements Compiled {

			/** A problem at an offset of a text. */
			static Invalid at(String source, int offset, String message) {
				int end = Math.max(0, Math.min(offset, source.length()));
				int lineStart = source.lastIndexOf('\n', end - 1) + 1;
				int line = 1 + (int) source.substring(0, end).chars().filter((c) -> c == '\n').count();
				return new Invalid(line, end - lineStart + 1, message);
			}

		}

	}

	/**
	 * Looks variables up in JSON data only: maps by key, lists by index, nothing by
	 * reflection. Every element a section iterates over is charged to the
	 * {@link RenderBudget} of the rendering under way.
	 */
	private static final class JsonCollector extends BasicCollector {

		@Override
		public @Nullable Iterator<?> toIterator(Object value) {
			Iterator<?> iterator = super.toIterator(value);
			return (iterator != null) ? RenderBudget.charged(iterator) : null;
		}

		@Override
		public <K, V> Map<K, V> createFetcherCache() {
			return new ConcurrentHashMap<>();
		}

	}

}
