package io.herald.routing.template;

import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import org.jspecify.annotations.Nullable;

import java.io.Writer;
import java.util.Iterator;
import java.util.Map;

/**
 * What rendering one message may cost, so that no template, however written, and no data,
 * however shaped, can hold a routing thread or fill its memory: sections may iterate over
 * at most {@value #MAX_ITERATIONS} list elements in all (nested sections over a list
 * multiply), and the texts of one message may come to at most {@value #MAX_OUTPUT}
 * characters. Past either, rendering stops with a
 * {@link TemplateRenderer.RenderFailedException}. One budget per message (title, body and
 * HTML together), used by one thread.
 */
final class RenderBudget {

	/**
	 * Elements all sections of one message may iterate over. A digest of a hundred items
	 * with a few lists each stays far below; {@code data} is at most 16 KiB, so only
	 * nesting multiplies.
	 */
	static final int MAX_ITERATIONS = 10_000;

	/**
	 * Characters the texts of one message may come to: far above an email's HTML (mail
	 * clients clip at about 100 KB) and within what one delivery record carries with its
	 * fallbacks.
	 */
	static final int MAX_OUTPUT = 128 * 1024;

	private static final ThreadLocal<@Nullable RenderBudget> CURRENT = new ThreadLocal<>();

	private int iterations;

	private int output;

	/**
	 * Renders a text within this budget.
	 * @throws TemplateRenderer.RenderFailedException when the budget runs out, or
	 * rendering fails
	 */
	String execute(Template template, Map<String, @Nullable Object> data) {
		RenderBudget previous = CURRENT.get();
		CURRENT.set(this);
		BoundedWriter out = new BoundedWriter(this);
		try {
			template.execute(data, out);
			return out.text.toString();
		}
		catch (MustacheException ex) {
			throw new TemplateRenderer.RenderFailedException(String.valueOf(ex.getMessage()), ex);
		}
		finally {
			CURRENT.set(previous);
		}
	}

	/**
	 * An iterator of a section, each element charged to the budget of the rendering under
	 * way.
	 */
	static <T> Iterator<T> charged(Iterator<T> iterator) {
		RenderBudget budget = CURRENT.get();
		if (budget == null) {
			return iterator;
		}
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return iterator.hasNext();
			}

			@Override
			public T next() {
				if (++budget.iterations > MAX_ITERATIONS) {
					throw new TemplateRenderer.RenderFailedException(
							"sections iterate over more than " + MAX_ITERATIONS + " elements", null);
				}
				return iterator.next();
			}

		};
	}

	private void write(int length) {
		this.output += length;
		if (this.output > MAX_OUTPUT) {
			throw new TemplateRenderer.RenderFailedException(
					"the message would be longer than " + MAX_OUTPUT + " characters", null);
		}
	}

	/** Collects a text, charging every character to the budget before keeping it. */
	private static final class BoundedWriter extends Writer {

		private final RenderBudget budget;

		private final StringBuilder text = new StringBuilder();

		BoundedWriter(RenderBudget budget) {
			this.budget = budget;
		}

		@Override
		public void write(char[] buffer, int offset, int length) {
			this.budget.write(length);
			this.text.append(buffer, offset, length);
		}

		@Override
		public void write(String string, int offset, int length) {
			this.budget.write(length);
			this.text.append(string, offset, offset + length);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	}

}
