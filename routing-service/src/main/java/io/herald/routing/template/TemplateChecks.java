package io.herald.routing.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import org.jspecify.annotations.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what JMustache compiles but Herald rejects: partials and template inheritance (a
 * template is one self-contained text, and JMustache would only fail on them when
 * rendering), and a <code>{{</code> without its closing <code>}}</code>, which JMustache
 * keeps as literal text.
 */
final class TemplateChecks {

	private static final Pattern INCLUDE = Pattern.compile("\\{\\{\\s*[>$<]");

	private TemplateChecks() {
	}

	/** The first problem of a compiled template, or {@code null} if there is none. */
	static @Nullable Problem find(Template template, String source) {
		Finder finder = new Finder(source);
		template.visit(finder);
		return finder.problem;
	}

	/**
	 * A problem in a template's source.
	 *
	 * @param offset where in the source, as near as can be determined
	 * @param message what is wrong
	 */
	record Problem(int offset, String message) {
	}

	private static final class Finder implements Mustache.Visitor {

		private final String source;

		private @Nullable Problem problem;

		Finder(String source) {
			this.source = source;
		}

		@Override
		public void visitText(String text) {
			int tag = text.indexOf("{{");
			if (tag >= 0) {
				int start = this.source.indexOf(text);
				report((start >= 0) ? start + tag : 0, "'{{' without a closing '}}'");
			}
		}

		@Override
		public void visitVariable(String name) {
		}

		@Override
		public boolean visitInclude(String name) {
			reportInclude("partials ('{{> " + name + "}}') are not supported");
			return false;
		}

		@Override
		public boolean visitParent(String name) {
			reportInclude("template inheritance ('{{< " + name + "}}') is not supported");
			return false;
		}

		@Override
		public boolean visitBlock(String name) {
			reportInclude("blocks ('{{$" + name + "}}') are not supported");
			return false;
		}

		@Override
		public boolean visitSection(String name) {
			return true;
		}

		@Override
		public boolean visitInvertedSection(String name) {
			return true;
		}

		private void reportInclude(String message) {
			Matcher matcher = INCLUDE.matcher(this.source);
			report(matcher.find() ? matcher.start() : 0, message);
		}

		private void report(int offset, String message) {
			if (this.problem == null) {
				this.problem = new Problem(offset, message);
			}
		}

	}

}
