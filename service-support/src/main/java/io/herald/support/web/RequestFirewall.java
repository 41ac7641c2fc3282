package io.herald.support.web;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The rules of a canonical request target. A path is canonical when it has exactly one
 * spelling: the one every filter and every handler see alike. Rejected, after Spring
 * Security's {@code StrictHttpFirewall}:
 * <ul>
 * <li>a path that does not start with {@code /};</li>
 * <li>path parameters ({@code ;}, raw or encoded);</li>
 * <li>empty segments ({@code //}), except a trailing {@code /}, and dot segments
 * ({@code /./}, {@code /../}, a trailing {@code /.} or {@code /..});</li>
 * <li>backslashes, raw or encoded, encoded slashes ({@code %2F}) and encoded percent
 * signs ({@code %25}, the way to double encoding);</li>
 * <li>percent-encoded characters that never need encoding (letters, digits,
 * {@code - . _ ~}): {@code /%761/events} is {@code /v1/events} in disguise;</li>
 * <li>control characters, raw or encoded, raw non-ASCII characters, and percent-encoded
 * bytes that are not UTF-8;</li>
 * <li>malformed percent escapes.</li>
 * </ul>
 * Every id Herald puts in a path passes: user ids ({@code [A-Za-z0-9._:@+-]}) raw or with
 * {@code : @ +} percent-encoded (as {@code encodeURIComponent} does), device tokens,
 * topic names, event ids. A query string may percent-encode anything, provided the
 * escapes are well formed and decode to UTF-8 without control characters other than tab.
 *
 * <p>
 * A service whose path segments carry URLs (the user API's Web Push device tokens) allows
 * encoded slashes with {@link #allowingEncodedSlashes()}, by declaring the firewall as a
 * bean; it must then also let them through the servlet container.
 */
public final class RequestFirewall {

	private static final String UNRESERVED_MARKS = "-._~";

	/**
	 * Characters allowed raw in a path besides unreserved ones: sub-delims but ';', ':',
	 * '@', '/'.
	 */
	private static final String PATH_MARKS = "!$&'()*+,=:@/";

	private final boolean encodedSlashes;

	private RequestFirewall(boolean encodedSlashes) {
		this.encodedSlashes = encodedSlashes;
	}

	/** The firewall with every rule above. */
	public static RequestFirewall strict() {
		return new RequestFirewall(false);
	}

	/** This firewall, but allowing encoded slashes ({@code %2F}) inside path segments. */
	public RequestFirewall allowingEncodedSlashes() {
		return new RequestFirewall(true);
	}

	/**
	 * Why a request target is not canonical, or {@code null} when it is.
	 * @param rawPath the path as sent, not decoded
	 * ({@code HttpServletRequest.getRequestURI()})
	 * @param rawQuery the query string as sent, or {@code null}
	 */
	public @Nullable String rejection(String rawPath, @Nullable String rawQuery) {
		String pathProblem = pathRejection(rawPath);
		if (pathProblem != null) {
			return pathProblem;
		}
		return (rawQuery != null) ? queryRejection(rawQuery) : null;
	}

	private @Nullable String pathRejection(String path) {
		if (!path.startsWith("/")) {
			return "The path must start with '/'.";
		}
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == ';') {
				return "The path must not contain path parameters (';').";
			}
			if (c == '\\') {
				return "The path must not contain a backslash.";
			}
			if (c < 0x20 || c == 0x7F) {
				return "The path must not contain control characters.";
			}
			if (c == '%') {
				String escape = escapeRejection(path, i);
				if (escape != null) {
					return escape;
				}
				i += 2;
				continue;
			}
			if (!isUnreserved(c) && PATH_MARKS.indexOf(c) < 0) {
				return "The path contains a character that must be percent-encoded.";
			}
		}
		String segments = segmentRejection(path);
		if (segments != null) {
			return segments;
		}
		return utf8(path) ? null : "The path's percent-encoded bytes are not UTF-8.";
	}

	private @Nullable String escapeRejection(String path, int at) {
		int value = escapeValue(path, at);
		if (value < 0) {
			return "The path contains a malformed percent escape.";
		}
		char c = (char) value;
		if (c == '\\') {
			return "The path must not contain an encoded backslash.";
		}
		if (c == '/' && !this.encodedSlashes) {
			return "The path must not contain an encoded slash.";
		}
		if (c == ';') {
			return "The path must not contain path parameters (';').";
		}
		if (c == '%') {
			return "The path must not contain an encoded '%'.";
		}
		if (c < 0x20 || c == 0x7F) {
			return "The path must not contain control characters.";
		}
		if (isUnreserved(c)) {
			return "The path percent-encodes '" + c + "', which must be sent as is.";
		}
		return null;
	}

	private static @Nullable String segmentRejection(String path) {
		int start = 1;
		while (start <= path.length()) {
			int end = path.indexOf('/', start);
			if (end < 0) {
				end = path.length();
			}
			String segment = path.substring(start, end);
			if (segment.equals(".") || segment.equals("..")) {
				return "The path must not contain '.' or '..' segments.";
			}
			if (segment.isEmpty() && end < path.length()) {
				return "The path must not contain empty segments ('//').";
			}
			start = end + 1;
		}
		return null;
	}

	private static @Nullable String queryRejection(String query) {
		for (int i = 0; i < query.length(); i++) {
			char c = query.charAt(i);
			if (c == '%') {
				int value = escapeValue(query, i);
				if (value < 0) {
					return "The query string contains a malformed percent escape.";
				}
				c = (char) value;
				i += 2;
			}
			else if (c > 0x7E) {
				return "The query string contains a character that must be percent-encoded.";
			}
			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				return "The query string must not contain control characters.";
			}
		}
		return utf8(query) ? null : "The query string's percent-encoded bytes are not UTF-8.";
	}

	/**
	 * The byte a {@code %XX} escape at {@code at} stands for, or -1 when it is malformed.
	 */
	private static int escapeValue(String text, int at) {
		if (at + 2 >= text.length()) {
			return -1;
		}
		int high = Character.digit(text.charAt(at + 1), 16);
		int low = Character.digit(text.charAt(at + 2), 16);
		return (high < 0 || low < 0) ? -1 : (high << 4) | low;
	}

	/** Whether the text, with its (well-formed) escapes decoded, is UTF-8. */
	private static boolean utf8(String text) {
		if (text.indexOf('%') < 0) {
			return true;
		}
		ByteBuffer bytes = ByteBuffer.allocate(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%') {
				bytes.put((byte) escapeValue(text, i));
				i += 2;
			}
			else {
				bytes.put((byte) c);
			}
		}
		bytes.flip();
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes);
			return true;
		}
		catch (CharacterCodingException ex) {
			return false;
		}
	}

	private static boolean isUnreserved(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| UNRESERVED_MARKS.indexOf(c) >= 0;
	}

}
