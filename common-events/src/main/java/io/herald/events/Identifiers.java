package io.herald.events;

import java.util.regex.Pattern;

/**
 * The shapes of the ids that end up in partition keys and Redis keys. None of them may
 * contain {@code |} (the partition-key separator) or braces (Redis hash tags), so a key
 * always splits back into its parts and one user's keys always share one hash slot.
 */
public final class Identifiers {

	/** The regular expression of {@link #TENANT}, for annotations. */
	public static final String TENANT_REGEX = "[a-z0-9][a-z0-9_-]{0,63}";

	/**
	 * A tenant id: lower-case letters, digits, {@code _} and {@code -}, at most 64
	 * characters.
	 */
	public static final Pattern TENANT = Pattern.compile(TENANT_REGEX);

	/**
	 * A user id: letters, digits and {@code . _ : @ + -}, at most 128 characters, but
	 * neither {@code .} nor {@code ..}: as path segments those name no user (every API
	 * path with a user id would resolve to another path).
	 */
	public static final Pattern USER_ID = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9._:@+-]{1,128}");

	/** An event type, as API.md defines it. */
	public static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.-]{1,100}");

	/** A topic name for fan-out: like an event type. */
	public static final Pattern TOPIC = Pattern.compile("[a-z0-9_.-]{1,100}");

	/** A template id: like an event type. */
	public static final Pattern TEMPLATE = Pattern.compile("[a-z0-9_.-]{1,100}");

	private Identifiers() {
	}

	/** Whether {@code value} is a valid id of the given shape. */
	public static boolean matches(Pattern shape, String value) {
		return shape.matcher(value).matches();
	}

}
