package io.herald.routing.unsubscribe;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of a one-click unsubscription (RFC 8058): {@code List-Unsubscribe=One-Click},
 * form-encoded ({@code application/x-www-form-urlencoded}, what browsers and most mailbox
 * providers send) or as {@code multipart/form-data} (which the RFC recommends). Read
 * here, from the raw stream and within {@value #MAX_BYTES} bytes, because the path is
 * public: no API filter bounds it.
 */
final class OneClickBody {

	/** The largest body read: the real one is 26 bytes, a multipart one a few hundred. */
	static final int MAX_BYTES = 4096;

	static final String FIELD = "List-Unsubscribe";

	static final String VALUE = "One-Click";

	private OneClickBody() {
	}

	/**
	 * Reads the request's body and says whether it asks for a one-click unsubscription.
	 */
	static Result read(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_BYTES) {
			return Result.TOO_LARGE;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(MAX_BYTES + 1);
		}
		if (body.length > MAX_BYTES) {
			return Result.TOO_LARGE;
		}
		return check(request.getContentType(), new String(body, StandardCharsets.ISO_8859_1));
	}

	/**
	 * Checks a body of a content type.
	 * @param body the bytes as ISO-8859-1, one character per byte
	 */
	static Result check(@Nullable String contentType, String body) {
		MediaType type;
		try {
			type = (contentType != null) ? MediaType.parseMediaType(contentType)
					: MediaType.APPLICATION_FORM_URLENCODED;
		}
		catch (InvalidMediaTypeException ex) {
			return Result.INVALID;
		}
		if (MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
			return form(body) ? Result.ONE_CLICK : Result.INVALID;
		}
		if (MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(type)) {
			String boundary = type.getParameter("boundary");
			return (boundary != null && multipart(unquote(boundary), body)) ? Result.ONE_CLICK : Result.INVALID;
		}
		return Result.INVALID;
	}

	private static boolean form(String body) {
		for (String pair : body.strip().split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && FIELD.equals(decode(pair.substring(0, equals)))
					&& VALUE.equals(decode(pair.substring(equals + 1)))) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** Whether a part named {@value #FIELD} holds {@value #VALUE} (RFC 7578). */
	private static boolean multipart(String boundary, String body) {
		if (boundary.isEmpty() || boundary.length() > 70) {
			return false;
		}
		String[] parts = body.split("\r?\n?--" + Pattern.quote(boundary), -1);
		for (String part : parts) {
			int blank = part.indexOf("\r\n\r\n");
			int separator = 4;
			if (blank < 0) {
				blank = part.indexOf("\n\n");
				separator = 2;
			}
			if (blank < 0) {
				continue;
			}
			String headers = part.substring(0, blank).toLowerCase(Locale.ROOT);
			String content = part.substring(blank + separator).strip();
			if (headers.contains("content-disposition: form-data") && headers.contains("name=\"list-unsubscribe\"")
					&& content.equals(VALUE)) {
				return true;
			}
		}
		return false;
	}

	private static String unquote(String value) {
		return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
	}

	/** What a body asks for. */
	enum Result {

		/** {@code List-Unsubscribe=One-Click}. */
		ONE_CLICK,

		/** Something else, or a content type that is not a form. */
		INVALID,

		/** More than {@value OneClickBody#MAX_BYTES} bytes. */
		TOO_LARGE

	}

}
