package io.herald.routing.template;

/**
 * A template that cannot be loaded. The message starts with the file (or template
 * directory) and, when the problem sits at one place in a file, its 1-based line, for
 * example {@code templates/order-shipped/de.yml, line 4: unknown key 'titel'}, so a
 * broken template fails the start of the service with a pointer to the fix.
 */
public class InvalidTemplateException extends RuntimeException {

	private final String location;

	private final int line;

	InvalidTemplateException(String location, int line, String problem) {
		super(location + ((line > 0) ? ", line " + line : "") + ": " + problem);
		this.location = location;
		this.line = line;
	}

	InvalidTemplateException(String location, String problem) {
		this(location, 0, problem);
	}

	/**
	 * The file or template directory: a path on disk or a {@code classpath:} location.
	 */
	public String getLocation() {
		return this.location;
	}

	/**
	 * The 1-based line within {@link #getLocation()}, or {@code 0} when the problem is
	 * not at one line.
	 */
	public int getLine() {
		return this.line;
	}

}
